package org.reelbox.origin.internal;

import static java.util.Objects.requireNonNull;

import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.reelbox.common.storage.BlobInfo;
import org.reelbox.common.storage.BlobNotFoundException;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.storage.FileBlobStore;

/**
 * One object opened for a response: its validators, and its bytes as a body Netty can write. All
 * methods block (file system or S3) and are called off the event loop.
 */
public interface StoredObject extends Closeable {
  /** Size and modification time; the size is exactly what {@link #body} can deliver. */
  BlobInfo info();

  /**
   * The bytes {@code [offset, offset + length)}. The returned body owns what it needs; this object
   * may be closed after.
   */
  Body body(long offset, long length) throws IOException;

  /** A response body: a zero-copy file region, or a stream read in chunks. */
  sealed interface Body permits RegionBody, StreamBody, BytesBody {
    long length();

    /** Frees the body when it is not written. */
    void discard();
  }

  /** Written with {@code sendfile}/{@code transferTo}: the bytes never enter the JVM heap. */
  record RegionBody(FileRegion region) implements Body {
    @Override
    public long length() {
      return region.count();
    }

    @Override
    public void discard() {
      region.release();
    }
  }

  /** Read in chunks on the blocking executor and written one chunk at a time. */
  record StreamBody(InputStream in, long length) implements Body {
    @Override
    public void discard() {
      try {
        in.close();
      } catch (IOException e) {
        // nothing was sent from it
      }
    }
  }

  /** Already in memory (made on request): written in one piece, no storage reads left. */
  record BytesBody(byte[] bytes, int offset, long length) implements Body {
    @Override
    public void discard() {}
  }

  /** Opens objects of a blob store: {@link FileBlobStore} zero-copy, any other by streaming. */
  interface Opener {
    /** The object under {@code key}, or empty when there is none. */
    Optional<StoredObject> open(String key) throws IOException;

    static Opener of(BlobStore store) {
      requireNonNull(store, "store");
      if (store instanceof FileBlobStore files) {
        return key -> openFile(files, key);
      }
      return key -> store.stat(key).map(info -> new Streamed(store, info));
    }
  }

  private static Optional<StoredObject> openFile(FileBlobStore files, String key)
      throws IOException {
    Optional<Path> path = files.localPath(key);
    if (path.isEmpty()) {
      return Optional.empty();
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(path.get(), StandardOpenOption.READ);
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty(); // deleted since
    }
    try {
      // The size comes from the open file, so the framing always matches the bytes sent even if
      // the object is replaced (renamed over) while this request runs.
      BlobInfo info =
          new BlobInfo(key, channel.size(), Files.getLastModifiedTime(path.get()).toInstant());
      return Optional.of(new Opened(channel, info));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** A file store object: the open channel becomes a {@link DefaultFileRegion}. */
  final class Opened implements StoredObject {
    private FileChannel channel;
    private final BlobInfo info;

    Opened(FileChannel channel, BlobInfo info) {
      this.channel = channel;
      this.info = info;
    }

    @Override
    public BlobInfo info() {
      return info;
    }

    @Override
    public Body body(long offset, long length) {
      FileChannel owned = channel;
      if (owned == null) {
        throw new IllegalStateException("body already taken");
      }
      channel = null; // the region closes it when released
      return new RegionBody(new DefaultFileRegion(owned, offset, length));
    }

    @Override
    public void close() throws IOException {
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }
  }

  /** An object of a store without local files (S3): streamed with a ranged GET. */
  final class Streamed implements StoredObject {
    private final BlobStore store;
    private final BlobInfo info;

    Streamed(BlobStore store, BlobInfo info) {
      this.store = store;
      this.info = info;
    }

    @Override
    public BlobInfo info() {
      return info;
    }

    @Override
    public Body body(long offset, long length) throws IOException {
      InputStream in = store.getRange(info.key(), offset, length);
      return new StreamBody(in, length);
    }

    @Override
    public void close() {}
  }

  /** Bytes made on request (just-in-time packaging), served like a stored object. */
  static StoredObject inMemory(BlobInfo info, byte[] bytes) {
    requireNonNull(info, "info");
    requireNonNull(bytes, "bytes");
    if (info.sizeBytes() != bytes.length) {
      throw new IllegalArgumentException("info.sizeBytes() must be the length of bytes");
    }
    return new StoredObject() {
      @Override
      public BlobInfo info() {
        return info;
      }

      @Override
      public Body body(long offset, long length) {
        return new BytesBody(bytes, (int) offset, (int) length);
      }

      @Override
      public void close() {}
    };
  }

  /** Thrown through when a key vanished between stat and read; answered 404. */
  static boolean isNotFound(Throwable t) {
    return t instanceof BlobNotFoundException;
  }
}
