package org.reelbox.media.ts;

/**
 * The 33-bit timestamps of MPEG-TS (ISO/IEC 13818-1 §2.4.3.7, §2.4.2.2): PTS and DTS in PES
 * headers, and the PCR base in adaptation fields, all on the 90 kHz clock and all modulo 2^33.
 */
final class Timestamps {

  /** Timestamps count modulo 2^33 (about 26.5 hours at 90 kHz). */
  static final long MODULUS = 1L << 33;

  static final long MASK = MODULUS - 1;

  private Timestamps() {}

  /**
   * Writes a PTS or DTS in the 5-byte PES form: a 4-bit prefix, then bits 32..30, 29..15 and 14..0
   * of the timestamp, each group followed by a marker bit of 1.
   */
  static void writePesTimestamp(byte[] out, int offset, int prefix, long timestamp) {
    long ts = timestamp & MASK;
    out[offset] = (byte) ((prefix << 4) | ((ts >>> 29) & 0x0E) | 1);
    out[offset + 1] = (byte) (ts >>> 22);
    out[offset + 2] = (byte) (((ts >>> 14) & 0xFE) | 1);
    out[offset + 3] = (byte) (ts >>> 7);
    out[offset + 4] = (byte) (((ts << 1) & 0xFE) | 1);
  }

  /** Reads a 5-byte PES timestamp, or returns -1 if one of its three marker bits is 0. */
  static long readPesTimestamp(byte[] in, int offset) {
    int b0 = in[offset] & 0xFF;
    int b2 = in[offset + 2] & 0xFF;
    int b4 = in[offset + 4] & 0xFF;
    if ((b0 & 1) == 0 || (b2 & 1) == 0 || (b4 & 1) == 0) {
      return -1;
    }
    return ((long) (b0 & 0x0E) << 29)
        | ((long) (in[offset + 1] & 0xFF) << 22)
        | ((long) (b2 & 0xFE) << 14)
        | ((long) (in[offset + 3] & 0xFF) << 7)
        | (b4 >>> 1);
  }

  /**
   * Writes a 6-byte program_clock_reference: the 33-bit base, 6 reserved bits of 1, and a 9-bit
   * extension of 0 (this muxer's PCR ticks at 90 kHz; the 27 MHz extension adds nothing).
   */
  static void writePcr(byte[] out, int offset, long base) {
    long b = base & MASK;
    out[offset] = (byte) (b >>> 25);
    out[offset + 1] = (byte) (b >>> 17);
    out[offset + 2] = (byte) (b >>> 9);
    out[offset + 3] = (byte) (b >>> 1);
    out[offset + 4] = (byte) (((b & 1) << 7) | 0x7E);
    out[offset + 5] = 0;
  }

  /** Reads the 33-bit base of a 6-byte program_clock_reference. */
  static long readPcrBase(byte[] in, int offset) {
    return ((long) (in[offset] & 0xFF) << 25)
        | ((long) (in[offset + 1] & 0xFF) << 17)
        | ((long) (in[offset + 2] & 0xFF) << 9)
        | ((long) (in[offset + 3] & 0xFF) << 1)
        | ((in[offset + 4] & 0xFF) >>> 7);
  }

  /** 90 kHz ticks to microseconds, rounded to the nearest. */
  static long ticksToUs(long ticks90k) {
    return Math.floorDiv(Math.multiplyExact(ticks90k, 100L) + 4, 9);
  }

  /**
   * Extends 33-bit timestamps to a continuous 64-bit timeline: each value is placed at the multiple
   * of 2^33 that brings it nearest the previous one, so a wrap from 2^33 - 1 to 0 reads as one tick
   * forward, and a stream may go back a little (B-frames, audio) without being seen as a wrap. The
   * first value is taken as it is, so a value just before the first across a wrap comes out
   * negative.
   */
  static final class Unwrapper {
    private boolean started;
    private long last;

    long unwrap(long raw) {
      if (!started) {
        started = true;
        last = raw;
        return raw;
      }
      long delta = Math.floorMod(raw - last, MODULUS);
      if (delta >= MODULUS / 2) {
        delta -= MODULUS;
      }
      last += delta;
      return last;
    }
  }
}
