package org.reelbox.origin.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.reelbox.common.storage.BlobStore;

/**
 * A read-only {@link SeekableByteChannel} over one object of a {@link BlobStore} without local
 * files (S3), made of ranged reads: what the MP4 reader walks. Small reads (box headers) are served
 * from one cached block of {@value #BLOCK_BYTES} bytes, so walking the boxes of a {@code moov}
 * costs a few requests, not one per box; a read larger than a block (the {@code moov} itself) is
 * one ranged read of exactly that size. Never holds more than one block besides the caller's
 * buffer. Not thread-safe.
 */
final class BlobChannel implements SeekableByteChannel {
  static final int BLOCK_BYTES = 64 << 10;

  private final BlobStore store;
  private final String key;
  private final long size;
  private long position;
  private byte[] block;
  private long blockStart = -1;
  private boolean open = true;

  BlobChannel(BlobStore store, String key, long size) {
    this.store = requireNonNull(store, "store");
    this.key = requireNonNull(key, "key");
    this.size = size;
  }

  /** Exactly {@code length} bytes at {@code offset}, in one ranged read. */
  static byte[] readFully(BlobStore store, String key, long offset, int length) throws IOException {
    try (InputStream in = store.getRange(key, offset, length)) {
      byte[] bytes = in.readNBytes(length);
      if (bytes.length != length) {
        throw new IOException("the object " + key + " ended early");
      }
      return bytes;
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!open) {
      throw new java.nio.channels.ClosedChannelException();
    }
    if (position >= size) {
      return -1;
    }
    int want = (int) Math.min(dst.remaining(), size - position);
    if (want > BLOCK_BYTES) {
      dst.put(readFully(store, key, position, want));
      position += want;
      return want;
    }
    if (block == null || position < blockStart || position >= blockStart + block.length) {
      blockStart = position;
      block = readFully(store, key, position, (int) Math.min(BLOCK_BYTES, size - position));
    }
    int n = (int) Math.min(want, blockStart + block.length - position);
    dst.put(block, (int) (position - blockStart), n);
    position += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
    block = null;
  }
}
