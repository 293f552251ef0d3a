package org.reelbox.ingest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** Reading an {@link InputStream} that may also be a channel into a {@link ByteBuffer}. */
final class Streams {
  private static final int ARRAY_BYTES = 64 * 1024;

  private Streams() {}

  /**
   * Reads into {@code dst} like {@link ReadableByteChannel#read}: directly when {@code in} is a
   * channel, else through an array.
   */
  static int read(InputStream in, ByteBuffer dst) throws IOException {
    if (in instanceof ReadableByteChannel channel) {
      return channel.read(dst);
    }
    if (dst.hasArray()) {
      int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }
    byte[] array = new byte[Math.min(dst.remaining(), ARRAY_BYTES)];
    int n = in.read(array);
    if (n > 0) {
      dst.put(array, 0, n);
    }
    return n;
  }
}
