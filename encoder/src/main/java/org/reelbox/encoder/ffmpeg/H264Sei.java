package org.reelbox.encoder.ffmpeg;

/**
 * Looks for SEI messages of one payload type in an H.264 access unit (Annex B byte stream): enough
 * to know whether a chunk's first frame carries a display orientation (payload type 47, H.264
 * D.1.27), which split writes for rotated sources. Encode reads the rotation itself with ffprobe
 * only when this says there is one, sparing an ffprobe per chunk for the usual unrotated video.
 *
 * <p>Conservative: whatever it cannot parse counts as "maybe", so a malformed SEI leads to the
 * probe, never to a wrongly unrotated picture.
 */
final class H264Sei {
  /** SEI payload type of a display orientation message. */
  static final int DISPLAY_ORIENTATION = 47;

  private static final int NAL_SEI = 6;

  private H264Sei() {}

  /**
   * Whether any SEI NAL unit of {@code annexB} holds a message of {@code payloadType}, or may (a
   * truncated or malformed SEI).
   */
  static boolean mayContain(byte[] annexB, int payloadType) {
    int n = annexB.length;
    int start = nextStartCode(annexB, 0); // the first NAL unit's header byte
    while (start >= 0 && start < n) {
      int next = nextStartCode(annexB, start);
      int nalEnd = next < 0 ? n : startCodeBegin(annexB, next);
      if ((annexB[start] & 0x1f) == NAL_SEI
          && seiHas(unescape(annexB, start + 1, nalEnd), payloadType)) {
        return true;
      }
      start = next;
    }
    return false;
  }

  /** Whether the SEI RBSP's messages include {@code payloadType}; true when it cannot tell. */
  private static boolean seiHas(byte[] rbsp, int payloadType) {
    int[] p = {0};
    // sei_message()s until the rbsp_trailing_bits (0x80) or the end.
    while (p[0] < rbsp.length && !(p[0] == rbsp.length - 1 && rbsp[p[0]] == (byte) 0x80)) {
      int type = ffCoded(rbsp, p);
      int size = type < 0 ? -1 : ffCoded(rbsp, p);
      if (type == payloadType || size < 0 || p[0] + size > rbsp.length) {
        return true; // found, or truncated: cannot rule the type out of what follows
      }
      p[0] += size;
    }
    return false;
  }

  /**
   * An SEI payload type or size (H.264 7.3.2.3.1): 0xFF bytes each adding 255, then a last byte,
   * read at {@code p[0]}, which it advances; -1 when the bytes run out first.
   */
  private static int ffCoded(byte[] rbsp, int[] p) {
    int value = 0;
    while (p[0] < rbsp.length && rbsp[p[0]] == (byte) 0xff) {
      value += 255;
      p[0]++;
    }
    return p[0] < rbsp.length ? value + (rbsp[p[0]++] & 0xff) : -1;
  }

  /** The index just after the next 00 00 01 at or after {@code from}, or -1. */
  private static int nextStartCode(byte[] b, int from) {
    for (int i = from; i + 2 < b.length; i++) {
      if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
        return i + 3;
      }
    }
    return -1;
  }

  /** Where the start code that ends just before {@code afterStartCode} begins (3 or 4 bytes). */
  private static int startCodeBegin(byte[] b, int afterStartCode) {
    int begin = afterStartCode - 3;
    return begin > 0 && b[begin - 1] == 0 ? begin - 1 : begin;
  }

  /** The RBSP of a NAL unit payload: every 00 00 03 becomes 00 00. */
  private static byte[] unescape(byte[] b, int from, int to) {
    byte[] out = new byte[Math.max(0, to - from)];
    int o = 0;
    int zeros = 0;
    for (int i = from; i < to; i++) {
      byte v = b[i];
      if (zeros >= 2 && v == 3) {
        zeros = 0;
        continue;
      }
      out[o++] = v;
      zeros = v == 0 ? zeros + 1 : 0;
    }
    return java.util.Arrays.copyOf(out, o);
  }
}
