package org.reelbox.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Test files generated on the fly: "videos" that start like an MP4 (an {@code ftyp} box, then an
 * {@code mdat} box of pseudo-random bytes), and text that does not. Deterministic per seed, so a
 * stream and an array of the same size and seed hold the same bytes.
 */
final class Media {
  private static final byte[] FTYP = {
    0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p',
    '4', '1'
  };

  private Media() {}

  /** An MP4-looking file of {@code size} bytes (at least 32). */
  static byte[] mp4(int size, long seed) {
    try (InputStream in = mp4Stream(size, seed)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same bytes as {@link #mp4}, generated as they are read: no array of the whole. */
  static InputStream mp4Stream(long size, long seed) {
    if (size < FTYP.length + 8) {
      throw new IllegalArgumentException("an mp4 here is at least 32 bytes, got " + size);
    }
    byte[] header = new byte[FTYP.length + 8];
    System.arraycopy(FTYP, 0, header, 0, FTYP.length);
    long mdatSize = size - FTYP.length;
    for (int i = 0; i < 4; i++) {
      header[FTYP.length + i] = (byte) (mdatSize >>> (24 - 8 * i));
      header[FTYP.length + 4 + i] = (byte) "mdat".charAt(i);
    }
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private long position;
      private long word;
      private int wordLeft;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (position >= size) {
          return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
          long p = position + i;
          if (p < header.length) {
            b[off + i] = header[(int) p];
          } else {
            if (wordLeft == 0) {
              word = random.nextLong();
              wordLeft = 8;
            }
            b[off + i] = (byte) word;
            word >>>= 8;
            wordLeft--;
          }
        }
        position += n;
        return n;
      }
    };
  }

  /** Text: certainly not a video. */
  static byte[] text(int size) {
    StringBuilder sb = new StringBuilder(size);
    while (sb.length() < size) {
      sb.append("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ");
    }
    return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest("SHA-256").digest(bytes));
  }

  static String sha256(InputStream in) throws IOException {
    MessageDigest md = digest("SHA-256");
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      md.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
