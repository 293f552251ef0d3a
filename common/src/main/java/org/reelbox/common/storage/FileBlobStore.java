package org.reelbox.common.storage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} in a local directory: the embedded default. Key {@code a/b/c} is the file
 * {@code root/a/b/c}.
 *
 * <p><b>Atomic writes.</b> {@link #put} writes to a temporary file under {@code root/.tmp/}, forces
 * it to disk, and renames it over the target with {@code ATOMIC_MOVE}: a reader sees the old file
 * or the new one, and a crash leaves at worst a stray temporary file, never a partial object. (The
 * directory is not synced after the rename, so a power loss just after a put may bring back the old
 * object, or none; never a partial one.) The temporary directory is a dot name, which no key can
 * start with, so it never collides with an object and is never listed.
 *
 * <p><b>Containment.</b> Keys are validated by {@link BlobKeys} first, which already keeps them
 * inside the root. As defence in depth, every resolved path is checked to lie under the root both
 * lexically and after resolving symbolic links ({@link Path#toRealPath}), so a symlink planted in
 * the root cannot send reads or writes elsewhere; such a key fails with an {@link IOException}. The
 * check and the use are not one atomic step: the root is trusted to be writable only by reelbox,
 * and the check guards against a stray link, not against a concurrent attacker with write access.
 *
 * <p><b>Directories.</b> Parent directories are created on write and removed on delete once empty,
 * up to the root, so that deleting a video's objects leaves no empty directories behind. A put that
 * races with the removal of its parent directory retries.
 */
public final class FileBlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(FileBlobStore.class);

  /** Directory under the root for writes in progress. A dot name, so never a key. */
  static final String TEMP_DIR = ".tmp";

  // A put whose parent directory is removed by a concurrent delete between mkdir and rename
  // retries; more attempts than this mean something else is wrong.
  private static final int MOVE_ATTEMPTS = 8;

  private static final int COPY_BUFFER_BYTES = 64 * 1024;

  private final Path root;
  private final Path tempDir;

  /**
   * Opens (and creates, when missing) the store at {@code root}.
   *
   * @throws IOException if the root or its temporary directory cannot be created
   */
  public FileBlobStore(Path root) throws IOException {
    requireNonNull(root, "root");
    Files.createDirectories(root);
    // The real path, so that containment checks compare like with like even when the root itself
    // is reached through a symlink (as /tmp is on some systems).
    this.root = root.toRealPath();
    this.tempDir = this.root.resolve(TEMP_DIR);
    Files.createDirectories(tempDir);
  }

  /** The store's directory, as a real (symlink-free) absolute path. */
  public Path root() {
    return root;
  }

  @Override
  public BlobInfo put(String key, InputStream in, long length) throws IOException {
    Path target = resolve(key);
    requireNonNull(in, "in");
    // Refuse before reading a byte when the key goes through a link out of the store.
    checkContained(target, key);
    ExactLengthInputStream body = new ExactLengthInputStream(in, length, key);
    // Not Files.createTempFile: it makes the file owner-only (0600), and the object would keep that
    // mode after the rename; a plain create gets the usual umask, like the directories.
    Path temp = Files.createFile(tempDir.resolve("put-" + UUID.randomUUID() + ".tmp"));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        int n;
        while ((n = body.read(buffer, 0, buffer.length)) >= 0) {
          out.write(buffer, 0, n);
        }
        // Data (and size) on disk before the rename makes the file visible: otherwise a crash
        // could leave a renamed but empty object.
        channel.force(true);
      }
      BasicFileAttributes written = Files.readAttributes(temp, BasicFileAttributes.class);
      moveIntoPlace(temp, target, key);
      return new BlobInfo(key, body.count(), written.lastModifiedTime().toInstant());
    } catch (IOException | RuntimeException | Error e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  /**
   * Moves {@code file} into the store as the object {@code key}, atomically replacing any object
   * there, without copying its bytes: the way to commit a large file written elsewhere on the same
   * file system (an upload). The caller forces the file's data to disk first; afterwards the file
   * belongs to the store.
   *
   * @throws AtomicMoveNotSupportedException if {@code file} is on another file system; nothing has
   *     changed, and the caller may {@link #put} the bytes instead
   */
  public BlobInfo adopt(String key, Path file) throws IOException {
    Path target = resolve(key);
    requireNonNull(file, "file");
    checkContained(target, key);
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile()) {
      throw new IOException("cannot adopt " + file + " as " + BlobKeys.quote(key) + ": not a file");
    }
    try {
      moveIntoPlace(file, target, key);
    } catch (IOException e) {
      if (e.getCause() instanceof AtomicMoveNotSupportedException notSupported) {
        throw notSupported;
      }
      throw e;
    }
    return new BlobInfo(key, attributes.size(), attributes.lastModifiedTime().toInstant());
  }

  private void moveIntoPlace(Path temp, Path target, String key) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        createParents(target, key);
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return;
      } catch (NoSuchFileException | FileAlreadyExistsException e) {
        // A concurrent delete removed the (then empty) parent directory between our mkdir and
        // our rename, or while createDirectories was checking what it found. Make it again.
        if (attempt >= MOVE_ATTEMPTS) {
          throw e;
        }
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(
            "cannot rename atomically within "
                + root
                + " (is "
                + TEMP_DIR
                + " on another file system?)",
            e);
      }
    }
  }

  private void createParents(Path target, String key) throws IOException {
    Path parent = target.getParent();
    Path existing = checkContained(parent, key);
    // Throws NoSuchFileException when a concurrent delete has just removed it; the caller retries.
    if (!Files.readAttributes(existing, BasicFileAttributes.class).isDirectory()) {
      // S3 allows both "a" and "a/b"; a directory tree cannot.
      throw new IOException(
          "cannot store key "
              + BlobKeys.quote(key)
              + ": "
              + BlobKeys.quote(keyOf(existing))
              + " is an object, so it cannot also be a directory");
    }
    Files.createDirectories(parent);
    checkContained(target, key);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "cannot store key "
              + BlobKeys.quote(key)
              + ": it is a directory of other objects, so it cannot also be an object");
    }
  }

  @Override
  public InputStream get(String key) throws IOException {
    FileChannel channel = openRegular(key);
    return Channels.newInputStream(channel);
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    checkRange(offset, length);
    FileChannel channel = openRegular(key);
    try {
      long size = channel.size();
      if (offset > size) {
        throw new IllegalArgumentException(
            "offset "
                + offset
                + " is past the end of "
                + BlobKeys.quote(key)
                + " ("
                + size
                + " bytes)");
      }
      channel.position(offset);
      return new LimitedInputStream(
          Channels.newInputStream(channel), Math.min(length, size - offset));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public Optional<BlobInfo> stat(String key) throws IOException {
    Path path = resolve(key);
    BasicFileAttributes attributes = regularFileAttributes(path, key);
    if (attributes == null) {
      return Optional.empty();
    }
    return Optional.of(
        new BlobInfo(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    BlobKeys.requireValidPrefix(prefix);
    // Walk only the deepest directory the prefix names in full: "hls/ab" walks hls/, and inside
    // it descends only into names that can still match.
    String directoryPart = prefix.substring(0, prefix.lastIndexOf('/') + 1);
    Path start = directoryPart.isEmpty() ? root : root.resolve(directoryPart).normalize();
    if (!start.startsWith(root) || !Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    checkContained(start, prefix);
    List<BlobInfo> found = new ArrayList<>();
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(tempDir)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            String dirKey = keyOf(dir) + "/";
            boolean canMatch =
                dir.equals(root) || dirKey.startsWith(prefix) || prefix.startsWith(dirKey);
            return canMatch ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            // Regular files only: symlinks are not followed (nor listed), and stray files whose
            // names are not valid keys (".DS_Store", editor backups) are not objects.
            if (attrs.isRegularFile()) {
              String key = keyOf(file);
              if (key.startsWith(prefix) && BlobKeys.isValid(key)) {
                found.add(new BlobInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            // A concurrent delete may remove files and directories while we walk.
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    found.sort(Comparator.comparing(BlobInfo::key));
    return List.copyOf(found);
  }

  @Override
  public boolean delete(String key) throws IOException {
    Path path = resolve(key);
    if (!checkContained(path, key).equals(path)
        || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      // Nothing there, or a directory, which is not an object ("hls/abc" beside hls/abc/1.ts).
      return false;
    }
    boolean existed = Files.deleteIfExists(path);
    if (existed) {
      pruneEmptyParents(path.getParent());
    }
    return existed;
  }

  private void pruneEmptyParents(Path dir) {
    while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return; // still in use, or another delete got there first
      } catch (IOException e) {
        log.debug("could not remove empty directory {}: {}", dir, e.toString());
        return;
      }
      dir = dir.getParent();
    }
  }

  @Override
  public int deletePrefix(String prefix) throws IOException {
    int deleted = 0;
    for (BlobInfo info : list(prefix)) {
      if (delete(info.key())) {
        deleted++;
      }
    }
    return deleted;
  }

  /**
   * The file that holds the object, for zero-copy serving (such as Netty's {@code
   * DefaultFileRegion}); empty if there is no object under the key.
   *
   * <p>The path stays valid until the object is replaced or deleted. Since {@link #put} replaces by
   * rename, a file opened before a replacement keeps reading the old bytes: open it once and serve
   * from the open file, rather than opening the path again per chunk.
   */
  public Optional<Path> localPath(String key) throws IOException {
    Path path = resolve(key);
    return regularFileAttributes(path, key) == null ? Optional.empty() : Optional.of(path);
  }

  /** Validates the key and resolves it under the root, checking the result lexically. */
  private Path resolve(String key) throws IOException {
    BlobKeys.requireValid(key);
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root) || path.equals(root) || path.startsWith(tempDir)) {
      // Unreachable with a valid key; here so that a future change to BlobKeys cannot open a hole.
      throw new IOException("key " + BlobKeys.quote(key) + " resolves outside the store");
    }
    return path;
  }

  /**
   * Checks that the deepest existing part of {@code path} lies under the root once symbolic links
   * are resolved, and returns that part: {@code path} itself when it exists.
   */
  private Path checkContained(Path path, String key) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path existing = path;
      while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        existing = existing.getParent();
      }
      if (existing == null) {
        throw new IOException("key " + BlobKeys.quote(key) + " resolves outside the store");
      }
      Path real;
      try {
        real = existing.toRealPath();
      } catch (NoSuchFileException e) {
        if (Files.isSymbolicLink(existing)) {
          // A dangling link points somewhere that does not exist, maybe outside: refuse it.
          throw new IOException(
              "key " + BlobKeys.quote(key) + " goes through a dangling symbolic link; refusing it",
              e);
        }
        if (attempt >= MOVE_ATTEMPTS) {
          throw e;
        }
        continue; // removed by a concurrent delete since we looked: look again
      }
      if (!real.startsWith(root)) {
        throw new IOException(
            "key "
                + BlobKeys.quote(key)
                + " goes through a symbolic link out of the store; refusing it");
      }
      return existing;
    }
  }

  /** The attributes of the object's file, or null when there is no object under the key. */
  private BasicFileAttributes regularFileAttributes(Path path, String key) throws IOException {
    if (!checkContained(path, key).equals(path)) {
      // Missing, or a parent is missing or is a file ("a/b" when "a" is an object): the file
      // system reports the latter as ENOTDIR, which Java does not map to NoSuchFileException.
      return null;
    }
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      // A directory is not an object: "hls/abc" while hls/abc/1.ts exists.
      return attributes.isRegularFile() ? attributes : null;
    } catch (NoSuchFileException e) {
      return null; // deleted since
    }
  }

  private FileChannel openRegular(String key) throws IOException {
    Path path = resolve(key);
    if (regularFileAttributes(path, key) == null) {
      throw new BlobNotFoundException(key);
    }
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      BlobNotFoundException notFound = new BlobNotFoundException(key);
      notFound.initCause(e);
      throw notFound; // deleted since
    }
  }

  static void checkRange(long offset, long length) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
  }

  private String keyOf(Path path) {
    // Keys use '/', whatever the platform's separator.
    return root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      log.warn("could not delete temporary file {}: {}", temp, e.toString());
    }
  }

  @Override
  public String toString() {
    return "FileBlobStore[" + root + "]";
  }
}
