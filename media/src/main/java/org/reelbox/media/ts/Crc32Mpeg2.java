package org.reelbox.media.ts;

/**
 * The CRC of PSI sections (ISO/IEC 13818-1 Annex B): CRC-32 with polynomial 0x04C11DB7, initial
 * value 0xFFFFFFFF, no bit reflection and no final XOR. Not {@link java.util.zip.CRC32}, which
 * reflects. Over a whole section including its CRC_32 field, the result is 0.
 */
final class Crc32Mpeg2 {
  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 24;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
      }
      TABLE[i] = crc;
    }
  }

  private Crc32Mpeg2() {}

  static int compute(byte[] data, int offset, int length) {
    int crc = 0xFFFFFFFF;
    for (int i = offset; i < offset + length; i++) {
      crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data[i]) & 0xFF];
    }
    return crc;
  }
}
