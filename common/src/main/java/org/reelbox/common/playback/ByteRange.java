package org.reelbox.common.playback;

/**
 * One satisfiable byte range of a representation, and the parser of the {@code Range} header.
 *
 * @param first the first byte, inclusive
 * @param length the number of bytes, at least 1
 */
public record ByteRange(long first, long length) {
  public ByteRange {
    if (first < 0 || length < 1) {
      throw new IllegalArgumentException(
          "need first >= 0 and length >= 1, got first=" + first + " length=" + length);
    }
  }

  /** The last byte, inclusive. */
  public long last() {
    return first + length - 1;
  }

  /** The {@code Content-Range} value of a 206: {@code bytes first-last/size}. */
  public String contentRange(long size) {
    return "bytes " + first + "-" + last() + "/" + size;
  }

  /** What a {@code Range} header asks of a representation of a given size. */
  public sealed interface Request permits Full, Partial, Unsatisfiable {}

  /** No range, or one this server ignores: answer 200 with the whole representation. */
  public record Full() implements Request {}

  /** One satisfiable range: answer 206. */
  public record Partial(ByteRange range) implements Request {}

  /** A well-formed range that selects nothing: answer 416 with {@code bytes *}{@code /size}. */
  public record Unsatisfiable() implements Request {}

  private static final Full FULL = new Full();
  private static final Unsatisfiable UNSATISFIABLE = new Unsatisfiable();

  /**
   * Reads a {@code Range} header (RFC 9110 §14.2) against a representation of {@code size} bytes.
   *
   * <ul>
   *   <li>absent, malformed, another unit, or several ranges: {@link Full}. §14.2: "A server MAY
   *       ignore the Range header field", and a malformed one must be ignored; several ranges would
   *       need multipart/byteranges, which HLS players never ask for;
   *   <li>{@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n} (suffix): {@link Partial}, the last
   *       position clamped to the end (§14.1.2);
   *   <li>a first position at or past the end, or a suffix of length 0: {@link Unsatisfiable};
   *   <li>a zero-length representation: {@link Full}, since §14.1.2 leaves it no satisfiable
   *       first-position range and an empty 206 helps nobody.
   * </ul>
   */
  public static Request parse(String header, long size) {
    if (header == null || size == 0) {
      return FULL;
    }
    String h = header.trim();
    // §14.1.1: the range unit is case-insensitive.
    if (h.length() < 6 || !h.regionMatches(true, 0, "bytes=", 0, 6)) {
      return FULL;
    }
    String spec = h.substring(6).trim();
    if (spec.indexOf(',') >= 0) {
      return FULL;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return FULL;
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    if (a.isEmpty()) {
      long suffix = digits(b);
      if (suffix < 0) {
        return FULL;
      }
      if (suffix == 0) {
        return UNSATISFIABLE;
      }
      long length = Math.min(suffix, size);
      return new Partial(new ByteRange(size - length, length));
    }
    long first = digits(a);
    if (first < 0) {
      return FULL;
    }
    long last;
    if (b.isEmpty()) {
      last = size - 1;
    } else {
      last = digits(b);
      if (last < 0 || last < first) {
        return FULL; // §14.1.1: last < first makes the range-spec invalid
      }
    }
    if (first >= size) {
      return UNSATISFIABLE;
    }
    last = Math.min(last, size - 1);
    return new Partial(new ByteRange(first, last - first + 1));
  }

  /** A non-empty run of ASCII digits as a long (saturating at Long.MAX_VALUE), else -1. */
  private static long digits(String s) {
    if (s.isEmpty()) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      if (v > (Long.MAX_VALUE - 9) / 10) {
        v = Long.MAX_VALUE;
      } else {
        v = v * 10 + (c - '0');
      }
    }
    return v;
  }
}
