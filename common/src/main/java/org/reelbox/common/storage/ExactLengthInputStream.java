package org.reelbox.common.storage;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes a {@link BlobStore#put} stores: exactly {@code length} bytes of the caller's stream (or
 * all of it when the length is unknown), counted.
 *
 * <p>It never reads past {@code length}, so the caller's stream is left positioned just after the
 * object (an upload body may go on with other data). It throws {@link EOFException} when the stream
 * ends early, instead of reporting a short end of file that a store could take for a complete
 * object. Closing it does not close the caller's stream: {@link BlobStore#put} promises not to.
 */
final class ExactLengthInputStream extends InputStream {
  private final InputStream in;
  private final long length;
  private final String key;
  private long count;
  private boolean endedEarly;

  /**
   * @param length the number of bytes expected, or {@link BlobStore#UNKNOWN_LENGTH}
   * @param key the key being written, for the error message
   */
  ExactLengthInputStream(InputStream in, long length, String key) {
    this.in = requireNonNull(in, "in");
    this.key = requireNonNull(key, "key");
    if (length < 0 && length != BlobStore.UNKNOWN_LENGTH) {
      throw new IllegalArgumentException(
          "length must be >= 0 or UNKNOWN_LENGTH (-1), got " + length);
    }
    this.length = length;
  }

  /** Bytes read so far. */
  long count() {
    return count;
  }

  /** Whether the stream ended before the expected length (an {@link EOFException} was thrown). */
  boolean endedEarly() {
    return endedEarly;
  }

  /** The message of the {@link EOFException} thrown on a short stream. */
  String shortfallMessage() {
    return "stream for key "
        + BlobKeys.quote(key)
        + " ended after "
        + count
        + " of "
        + length
        + " bytes; nothing was stored";
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int want = len;
    if (length >= 0) {
      long remaining = length - count;
      if (remaining <= 0) {
        return -1;
      }
      want = (int) Math.min(len, remaining);
    }
    int n = in.read(b, off, want);
    if (n < 0) {
      if (length >= 0) {
        endedEarly = true;
        throw new EOFException(shortfallMessage());
      }
      return -1;
    }
    count += n;
    return n;
  }

  @Override
  public int available() throws IOException {
    int available = in.available();
    return length < 0 ? available : (int) Math.min(available, length - count);
  }

  @Override
  public void close() {
    // The caller owns the stream.
  }
}
