package org.reelbox.edge.cache.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/** Reads bodies into memory and checksums them. */
final class Bodies {
  private Bodies() {}

  /**
   * Reads exactly {@code sizeBytes} from {@code in}, which must then be at its end.
   *
   * @throws IOException if {@code in} fails, ends early, or has more bytes
   */
  static byte[] readExactly(InputStream in, int sizeBytes) throws IOException {
    byte[] body = new byte[sizeBytes];
    int read = 0;
    while (read < sizeBytes) {
      int n = in.read(body, read, sizeBytes - read);
      if (n < 0) {
        throw new EOFException("body ended after " + read + " of " + sizeBytes + " bytes");
      }
      read += n;
    }
    if (in.read() >= 0) {
      throw new IOException("body is longer than " + sizeBytes + " bytes");
    }
    return body;
  }

  static int crc32c(byte[] body) {
    var crc = new CRC32C();
    crc.update(body, 0, body.length);
    return (int) crc.getValue();
  }
}
