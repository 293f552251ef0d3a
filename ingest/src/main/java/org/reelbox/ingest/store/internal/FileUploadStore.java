package org.reelbox.ingest.store.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.reelbox.common.storage.BlobInfo;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.storage.FileBlobStore;
import org.reelbox.ingest.store.UploadInfo;
import org.reelbox.ingest.store.UploadNotFoundException;
import org.reelbox.ingest.store.UploadState;
import org.reelbox.ingest.store.UploadStore;
import org.reelbox.ingest.store.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link UploadStore} in a local directory, in the style of tusd's filestore: upload {@code id}
 * is {@code id.bin} (the bytes) and {@code id.info} (its {@link UploadInfo} as JSON) side by side.
 *
 * <p><b>Durability.</b> The info file is authoritative. It is replaced atomically (written to a
 * temporary file, forced, renamed over the old one), and only after the bytes it counts were forced
 * to disk, so after a crash it never counts bytes that are not there. The data file may hold more
 * bytes than the info counts (a crash between the two); they are cut off by the next write. A long
 * write records its progress every {@value #CHECKPOINT_BYTES} bytes, so that a crash in the middle
 * of a 1 GiB PATCH loses at most that much.
 *
 * <p><b>Commit.</b> To a {@link FileBlobStore} on the same file system, a finished upload is moved
 * into place with one rename ({@link FileBlobStore#adopt}) rather than copied.
 */
public final class FileUploadStore
    implements UploadStore,
        UploadStore.Terminater,
        UploadStore.Concater,
        UploadStore.LengthDeferrer,
        UploadStore.Committer {
  private static final Logger log = LoggerFactory.getLogger(FileUploadStore.class);

  static final String INFO_SUFFIX = ".info";
  static final String DATA_SUFFIX = ".bin";

  private static final int BUFFER_BYTES = 256 * 1024;
  private static final long CHECKPOINT_BYTES = 16L * 1024 * 1024;

  private final Path dir;
  private final boolean durableOffsets;

  /** Opens (and creates when missing) the store in {@code dir}, with durable offsets. */
  public FileUploadStore(Path dir) throws IOException {
    this(dir, true);
  }

  /**
   * Opens (and creates when missing) the store in {@code dir}.
   *
   * @param durableOffsets force the bytes to disk before counting them (every 16 MiB and at the end
   *     of each write); when false they are forced once, by {@link #finish}, and after a crash the
   *     offset falls back to what survived
   */
  public FileUploadStore(Path dir, boolean durableOffsets) throws IOException {
    Files.createDirectories(requireNonNull(dir, "dir"));
    this.dir = dir.toRealPath();
    this.durableOffsets = durableOffsets;
  }

  @Override
  public boolean rereadIsCheap() {
    return true;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public UploadInfo create(UploadInfo info) throws IOException {
    requireNonNull(info, "info");
    if (info.offset() != 0) {
      throw new IllegalArgumentException("a new upload has offset 0, got " + info.offset());
    }
    if (Files.exists(infoPath(info.id()))) {
      throw new IllegalStateException("upload " + info.id() + " already exists");
    }
    Files.write(dataPath(info.id()), new byte[0]);
    return save(info);
  }

  @Override
  public Optional<UploadInfo> get(String id) throws IOException {
    UploadInfo.requireValidId(id);
    byte[] json;
    try {
      json = Files.readAllBytes(infoPath(id));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    UploadInfo info = InfoCodec.read(json, UploadInfo.class, id);
    if (!durableOffsets && info.state() == UploadState.UPLOADING) {
      // Without forced offsets a crash can lose bytes the info counted: count what survived, so
      // that HEAD sends the client back to the right place.
      long size = Files.size(dataPath(id));
      if (size < info.offset()) {
        info = info.withBytes(info.length(), size, info.head());
      }
    }
    return Optional.of(info);
  }

  private UploadInfo load(String id) throws IOException {
    return get(id).orElseThrow(() -> new UploadNotFoundException(id));
  }

  @Override
  public List<String> ids() throws IOException {
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + INFO_SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - INFO_SUFFIX.length());
        if (UploadInfo.isValidId(id)) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  @Override
  public WriteResult write(String id, long offset, InputStream in, long maxBytes)
      throws IOException {
    requireNonNull(in, "in");
    UploadInfo info = load(id);
    requireWritable(info, offset);
    long limit = info.length() >= 0 ? Math.min(maxBytes, info.length() - offset) : maxBytes;
    HeadBuffer head = new HeadBuffer(info.head());
    long written = 0;
    IOException inputFailure = null;
    try (FileChannel channel = FileChannel.open(dataPath(id), StandardOpenOption.WRITE)) {
      positionAt(channel, offset, id);
      byte[] buffer = new byte[BUFFER_BYTES];
      ByteBuffer wrapped = ByteBuffer.wrap(buffer);
      long sinceCheckpoint = 0;
      while (written < limit) {
        int n;
        try {
          n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - written));
        } catch (IOException e) {
          inputFailure = e;
          break;
        }
        if (n < 0) {
          break;
        }
        wrapped.clear().limit(n);
        while (wrapped.hasRemaining()) {
          channel.write(wrapped);
        }
        head.accept(offset + written, buffer, 0, n);
        written += n;
        sinceCheckpoint += n;
        if (sinceCheckpoint >= CHECKPOINT_BYTES) {
          if (durableOffsets) {
            channel.force(false);
          }
          info = save(info.withBytes(info.length(), offset + written, head.bytes()));
          sinceCheckpoint = 0;
        }
      }
      if (durableOffsets) {
        channel.force(false);
      }
    }
    info = save(info.withBytes(info.length(), offset + written, head.bytes()));
    return new WriteResult(info, Optional.ofNullable(inputFailure));
  }

  /** Positions at the end of the counted bytes, cutting off any a crash left beyond them. */
  private static void positionAt(FileChannel channel, long offset, String id) throws IOException {
    long size = channel.size();
    if (size < offset) {
      // Only possible after a crash lost unforced bytes: the write is refused (409 at the
      // handler), the client asks HEAD and resumes from what the recovery at start counted.
      throw new IOException(
          "data of upload " + id + " has " + size + " bytes, fewer than its offset " + offset);
    }
    if (size > offset) {
      channel.truncate(offset);
    }
    channel.position(offset);
  }

  static void requireWritable(UploadInfo info, long offset) {
    if (info.state() != UploadState.UPLOADING && info.state() != UploadState.COMPLETE) {
      throw new IllegalStateException("upload " + info.id() + " is " + info.state());
    }
    if (info.offset() != offset) {
      throw new IllegalStateException(
          "upload " + info.id() + " is at offset " + info.offset() + ", not " + offset);
    }
  }

  @Override
  public UploadInfo finish(String id) throws IOException {
    UploadInfo info = load(id);
    if (!info.fullyReceived()) {
      throw new IllegalStateException("upload " + id + " is not fully received: " + info);
    }
    if (!durableOffsets) {
      // The writes left their bytes to the page cache: force them now, before the original is
      // committed and the control plane told, so an UPLOADED video survives a power loss.
      try (FileChannel channel = FileChannel.open(dataPath(id), StandardOpenOption.WRITE)) {
        channel.force(true);
      }
    }
    return info;
  }

  @Override
  public InputStream read(String id) throws IOException {
    load(id);
    try {
      return Files.newInputStream(dataPath(id));
    } catch (NoSuchFileException e) {
      throw new IOException("the bytes of upload " + id + " are gone", e);
    }
  }

  @Override
  public UploadInfo update(String id, UnaryOperator<UploadInfo> change) throws IOException {
    UploadInfo current = load(id);
    UploadInfo changed = requireNonNull(change.apply(current), "change returned null");
    if (!changed.id().equals(id)) {
      throw new IllegalArgumentException("update must not change the id of upload " + id);
    }
    return save(changed.withStoreFieldsOf(current));
  }

  @Override
  public void delete(String id) throws IOException {
    UploadInfo.requireValidId(id);
    Files.deleteIfExists(dataPath(id));
    Files.deleteIfExists(infoPath(id));
  }

  @Override
  public UploadInfo terminate(String id, UploadState state) throws IOException {
    if (state.holdsBytes()) {
      throw new IllegalArgumentException("a tombstone state holds no bytes, got " + state);
    }
    UploadInfo info = load(id);
    Files.deleteIfExists(dataPath(id));
    return info.state() == state ? info : save(info.withState(state));
  }

  @Override
  public UploadInfo concat(String finalId, List<UploadInfo> partials) throws IOException {
    UploadInfo info = load(finalId);
    long total = 0;
    try (FileChannel out =
        FileChannel.open(
            dataPath(finalId),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (UploadInfo partial : partials) {
        try (FileChannel in = FileChannel.open(dataPath(partial.id()), StandardOpenOption.READ)) {
          long size = partial.offset();
          if (in.size() < size) {
            throw new IOException(
                "data of partial upload " + partial.id() + " is shorter than its offset " + size);
          }
          // transferTo may move fewer bytes than asked; loop until the partial is in.
          for (long done = 0; done < size; ) {
            done += in.transferTo(done, size - done, out.position(total + done));
          }
          total += size;
        }
      }
      if (durableOffsets) {
        out.force(false);
      } // else finish() forces the whole final before it is committed
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(dataPath(finalId))) {
      head = in.readNBytes((int) Math.min(total, UploadInfo.HEAD_BYTES));
    }
    return save(info.withBytes(total, total, head));
  }

  @Override
  public UploadInfo declareLength(String id, long length) throws IOException {
    UploadInfo info = load(id);
    if (!info.hasDeferredLength()) {
      throw new IllegalStateException("upload " + id + " already has a length");
    }
    if (length < info.offset()) {
      throw new IllegalStateException(
          "length " + length + " of upload " + id + " is below its offset " + info.offset());
    }
    return save(info.withBytes(length, info.offset(), info.head()));
  }

  @Override
  public boolean commitTo(String id, BlobStore target, String key) throws IOException {
    if (!(target instanceof FileBlobStore files)) {
      return false;
    }
    UploadInfo info = load(id);
    Path data = dataPath(id);
    if (Files.exists(data)) {
      try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        files.adopt(key, data);
        return true;
      } catch (AtomicMoveNotSupportedException e) {
        log.info("uploads and blobs are on different file systems; copying upload {}", id);
        return false;
      }
    }
    // Moved by an earlier call that did not get to record it.
    Optional<BlobInfo> committed = files.stat(key);
    if (committed.isPresent() && committed.get().sizeBytes() == info.length()) {
      return true;
    }
    throw new IOException("the bytes of upload " + id + " are gone and " + key + " lacks them");
  }

  private UploadInfo save(UploadInfo info) throws IOException {
    Path target = infoPath(info.id());
    Path temp = Files.createTempFile(dir, info.id() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(InfoCodec.write(info)));
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return info;
  }

  Path infoPath(String id) {
    return dir.resolve(UploadInfo.requireValidId(id) + INFO_SUFFIX);
  }

  Path dataPath(String id) {
    return dir.resolve(UploadInfo.requireValidId(id) + DATA_SUFFIX);
  }

  @Override
  public String toString() {
    return "FileUploadStore[" + dir + "]";
  }
}
