package org.reelbox.ingest.store.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.UnaryOperator;
import org.reelbox.common.storage.BlobInfo;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.storage.FileBlobStore;
import org.reelbox.ingest.store.ConcatKind;
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
 * of a 1 GiB PATCH loses at most that much; without durable offsets, also at most every {@value
 * #CHECKPOINT_MIN_INTERVAL_MILLIS} ms (each record is a small forced write: on a fast link,
 * sixty-four of them per GiB would stall the write for a noticeable share of its time).
 *
 * <p><b>Writes.</b> Bytes go from the request body into a direct buffer of {@value
 * #WRITE_BUFFER_BYTES} bytes and from there to the file, one system call per buffer: when the body
 * is a {@link ReadableByteChannel} (the HTTP request body is) that is the only copy in user space,
 * where an array costs a second one (the JDK copies arrays into a direct buffer of its own).
 *
 * <p><b>Concatenation.</b> A final upload is recorded at once and assembled only when it is
 * committed: straight into a file that the blob store then adopts, so the bytes are copied once
 * (and the final's creation answers without waiting for a gigabyte to be copied). Until then {@link
 * #read} streams the partials in order.
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

  static final String ASSEMBLING_SUFFIX = ".assembling";

  private static final int WRITE_BUFFER_BYTES = 1024 * 1024;
  private static final int ARRAY_BYTES = 256 * 1024;
  private static final int IDLE_BUFFERS = 4;
  private static final long CHECKPOINT_BYTES = 16L * 1024 * 1024;
  private static final long CHECKPOINT_MIN_INTERVAL_MILLIS = 250;

  private final Path dir;
  private final boolean durableOffsets;
  private final Clock clock;
  // Direct buffers are slow to allocate and freed only by the GC: keep a few for the next writes.
  private final ArrayBlockingQueue<ByteBuffer> idleBuffers = new ArrayBlockingQueue<>(IDLE_BUFFERS);

  /** Opens (and creates when missing) the store in {@code dir}, with durable offsets. */
  public FileUploadStore(Path dir) throws IOException {
    this(dir, true, Clock.systemUTC());
  }

  /**
   * Opens (and creates when missing) the store in {@code dir}.
   *
   * @param durableOffsets force the bytes to disk before counting them (every 16 MiB and at the end
   *     of each write); when false they are forced once, when the upload is committed, and after a
   *     crash the offset falls back to what survived
   * @param clock paces the progress records of long writes
   */
  public FileUploadStore(Path dir, boolean durableOffsets, Clock clock) throws IOException {
    Files.createDirectories(requireNonNull(dir, "dir"));
    this.dir = dir.toRealPath();
    this.durableOffsets = durableOffsets;
    this.clock = requireNonNull(clock, "clock");
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
    boolean receivable =
        info.state() == UploadState.UPLOADING
            || (info.state() == UploadState.COMPLETE && info.concat() == ConcatKind.PARTIAL);
    if (!durableOffsets && receivable && info.concat() != ConcatKind.FINAL) {
      // Without forced offsets a crash can lose bytes the info counted (also those of a complete
      // partial upload, which is forced only as part of its final): count what survived, so that
      // HEAD sends the client back to the right place.
      long size;
      try {
        size = Files.size(dataPath(id));
      } catch (NoSuchFileException e) {
        // Released by a concurrent commit or termination, whose info is being written: not a
        // loss, and the next read sees the new state.
        size = info.offset();
      }
      if (size < info.offset()) {
        info = info.withBytes(info.length(), size, info.head()).withState(UploadState.UPLOADING);
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
    ByteBuffer buffer = takeBuffer();
    byte[] array = in instanceof ReadableByteChannel ? null : new byte[ARRAY_BYTES];
    try (FileChannel channel = FileChannel.open(dataPath(id), StandardOpenOption.WRITE)) {
      positionAt(channel, offset, id);
      long sinceCheckpoint = 0;
      long checkpointedAtMillis = clock.millis();
      while (written < limit) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), limit - written));
        int n;
        try {
          n = readInto(in, array, buffer);
        } catch (IOException e) {
          inputFailure = e; // what was read before is written: an interrupted request keeps it
          break;
        }
        if (n < 0) {
          break;
        }
        buffer.flip();
        head.accept(offset + written, buffer);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        written += n;
        sinceCheckpoint += n;
        if (sinceCheckpoint >= CHECKPOINT_BYTES
            && (durableOffsets
                || clock.millis() - checkpointedAtMillis >= CHECKPOINT_MIN_INTERVAL_MILLIS)) {
          if (durableOffsets) {
            channel.force(false);
          }
          info = save(info.withBytes(info.length(), offset + written, head.bytes()));
          sinceCheckpoint = 0;
          checkpointedAtMillis = clock.millis();
        }
      }
      if (durableOffsets) {
        channel.force(false);
      }
    } finally {
      giveBack(buffer);
    }
    info = save(info.withBytes(info.length(), offset + written, head.bytes()));
    return new WriteResult(info, Optional.ofNullable(inputFailure));
  }

  /**
   * Reads once into {@code buffer} (up to its limit): straight from a channel, else through {@code
   * array}.
   */
  private static int readInto(InputStream in, byte[] array, ByteBuffer buffer) throws IOException {
    if (in instanceof ReadableByteChannel channel) {
      return channel.read(buffer);
    }
    int n = in.read(array, 0, Math.min(array.length, buffer.remaining()));
    if (n > 0) {
      buffer.put(array, 0, n);
    }
    return n;
  }

  private ByteBuffer takeBuffer() {
    ByteBuffer buffer = idleBuffers.poll();
    return buffer != null ? buffer : ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
  }

  private void giveBack(ByteBuffer buffer) {
    idleBuffers.offer(buffer.clear());
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
    if (!durableOffsets && info.concat() == ConcatKind.NONE) {
      // The writes left their bytes to the page cache: force them now, before the original is
      // committed and the control plane told, so an UPLOADED video survives a power loss. (A
      // partial is forced only as part of its final, which is forced when it is assembled.)
      try (FileChannel channel = FileChannel.open(dataPath(id), StandardOpenOption.WRITE)) {
        channel.force(true);
      }
    }
    return info;
  }

  @Override
  public InputStream read(String id) throws IOException {
    UploadInfo info = load(id);
    try {
      return Files.newInputStream(dataPath(id));
    } catch (NoSuchFileException e) {
      if (info.concat() == ConcatKind.FINAL && info.state().holdsBytes()) {
        return new PartialsInputStream(partialsOf(info)); // not assembled yet
      }
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
    Files.deleteIfExists(assemblingPath(id));
    Files.deleteIfExists(infoPath(id));
  }

  @Override
  public UploadInfo terminate(String id, UploadState state) throws IOException {
    if (state.holdsBytes()) {
      throw new IllegalArgumentException("a tombstone state holds no bytes, got " + state);
    }
    UploadInfo info = load(id);
    Files.deleteIfExists(dataPath(id));
    Files.deleteIfExists(assemblingPath(id));
    return info.state() == state ? info : save(info.withState(state));
  }

  /**
   * Records the final upload as the partials' bytes, without copying them: they are assembled when
   * the final is committed ({@link #commitTo}), or streamed by {@link #read}.
   */
  @Override
  public UploadInfo concat(String finalId, List<UploadInfo> partials) throws IOException {
    UploadInfo info = load(finalId);
    long total = 0;
    for (UploadInfo partial : partials) {
      checkPartial(partial);
      total += partial.offset();
    }
    byte[] head;
    try (InputStream in = new PartialsInputStream(partials)) {
      head = in.readNBytes((int) Math.min(total, UploadInfo.HEAD_BYTES));
    }
    Files.deleteIfExists(dataPath(finalId)); // the empty file of its creation: not assembled
    return save(info.withBytes(total, total, head));
  }

  private void checkPartial(UploadInfo partial) throws IOException {
    long size;
    try {
      size = Files.size(dataPath(partial.id()));
    } catch (NoSuchFileException e) {
      throw new IOException("the bytes of partial upload " + partial.id() + " are gone", e);
    }
    if (size < partial.offset()) {
      throw new IOException(
          "data of partial upload "
              + partial.id()
              + " has "
              + size
              + " bytes, fewer than its offset "
              + partial.offset());
    }
  }

  /** The partial uploads of a final, in order. */
  private List<UploadInfo> partialsOf(UploadInfo info) throws IOException {
    List<UploadInfo> partials = new ArrayList<>();
    for (String partialId : info.partialIds()) {
      UploadInfo partial = load(partialId);
      if (!partial.state().holdsBytes()) {
        throw new IOException("the bytes of partial upload " + partialId + " are gone");
      }
      partials.add(partial);
    }
    return partials;
  }

  /**
   * Copies a final's partials, in order, into its data file: into a temporary file first, renamed
   * when complete, so that a data file of a final is always whole. Forced by the caller.
   */
  private void assemble(UploadInfo info) throws IOException {
    Path temp = assemblingPath(info.id());
    long total = 0;
    try (FileChannel out =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (UploadInfo partial : partialsOf(info)) {
        checkPartial(partial);
        try (FileChannel in = FileChannel.open(dataPath(partial.id()), StandardOpenOption.READ)) {
          long size = partial.offset();
          // transferTo copies inside the kernel, and may move fewer bytes than asked: loop.
          for (long done = 0; done < size; ) {
            done += in.transferTo(done, size - done, out.position(total + done));
          }
          total += size;
        }
      }
    }
    if (total != info.length()) {
      throw new IOException(
          "partials of final upload "
              + info.id()
              + " hold "
              + total
              + " bytes, not "
              + info.length());
    }
    Files.move(temp, dataPath(info.id()), StandardCopyOption.ATOMIC_MOVE);
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
    if (!Files.exists(data) && info.concat() == ConcatKind.FINAL && partialsHoldBytes(info)) {
      assemble(info);
    }
    if (Files.exists(data)) {
      try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
        // Never commit fewer bytes than the upload counts (bytes lost to a power loss, when
        // offsets are not durable): fail, and let the commit be retried or looked into.
        long size = channel.size();
        if (size != info.length()) {
          throw new IOException(
              "data of upload " + id + " has " + size + " bytes, not its length " + info.length());
        }
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

  /** Whether every partial of a final still holds its bytes (none was released by a commit). */
  private boolean partialsHoldBytes(UploadInfo info) throws IOException {
    for (String partialId : info.partialIds()) {
      Optional<UploadInfo> partial = get(partialId);
      if (partial.isEmpty()
          || !partial.get().state().holdsBytes()
          || !Files.exists(dataPath(partialId))) {
        return false;
      }
    }
    return true;
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

  Path assemblingPath(String id) {
    return dir.resolve(UploadInfo.requireValidId(id) + ASSEMBLING_SUFFIX);
  }

  /** The bytes of partial uploads, one after the other: a final that is not assembled yet. */
  private final class PartialsInputStream extends InputStream {
    private final List<UploadInfo> partials;
    private int next;
    private FileChannel current;
    private long left;

    PartialsInputStream(List<UploadInfo> partials) {
      this.partials = List.copyOf(partials);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (current == null || left == 0) {
        if (current != null) {
          current.close();
          current = null;
        }
        if (next == partials.size()) {
          return -1;
        }
        UploadInfo partial = partials.get(next++);
        checkPartial(partial);
        current = FileChannel.open(dataPath(partial.id()), StandardOpenOption.READ);
        left = partial.offset();
      }
      int n = current.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)));
      if (n < 0) {
        throw new IOException("a partial upload ended before its offset");
      }
      left -= n;
      return n;
    }

    @Override
    public void close() throws IOException {
      if (current != null) {
        current.close();
        current = null;
      }
    }
  }

  @Override
  public String toString() {
    return "FileUploadStore[" + dir + "]";
  }
}
