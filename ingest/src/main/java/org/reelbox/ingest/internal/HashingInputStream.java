package org.reelbox.ingest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;

/** Feeds every byte read to a digest and counts them. */
final class HashingInputStream extends FilterInputStream implements ReadableByteChannel {
  private final MessageDigest digest;
  private long count;

  HashingInputStream(InputStream in, MessageDigest digest) {
    super(in);
    this.digest = digest;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      digest.update(b, off, n);
      count += n;
    }
    return n;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int start = dst.position();
    int n = Streams.read(in, dst);
    if (n > 0) {
      digest.update(dst.duplicate().position(start).limit(start + n));
      count += n;
    }
    return n;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  long count() {
    return count;
  }
}
