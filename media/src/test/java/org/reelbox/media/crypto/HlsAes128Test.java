package org.reelbox.media.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reelbox.media.hls.EncryptionKey;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.PlaylistWriter;
import org.reelbox.media.hls.Segment;

class HlsAes128Test {

  private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
  private static final byte[] IV = HexFormat.of().parseHex("f0e0d0c0b0a090807060504030201000");

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 16, 17, 188, 65_535, 65_536, 65_537, 1_000_000})
  void encrypt_decryptsWithJavaxCrypto(int size) throws Exception {
    byte[] plain = bytes(size, size);

    byte[] encrypted = HlsAes128.encrypt(plain, KEY, IV);

    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(IV));
    assertThat(cipher.doFinal(encrypted)).isEqualTo(plain);
    assertThat((long) encrypted.length).isEqualTo(HlsAes128.encryptedLength(size));
    assertThat(HlsAes128.decrypt(encrypted, KEY, IV)).isEqualTo(plain);
  }

  @Test
  void encrypt_knownAnswer_nistCbcVectorPlusPaddingBlock() throws Exception {
    // NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt), first block; PKCS7 then adds a block of 0x10.
    byte[] key = HexFormat.of().parseHex("2b7e151628aed2a6abf7158809cf4f3c");
    byte[] iv = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    byte[] plain = HexFormat.of().parseHex("6bc1bee22e409f96e93d7e117393172a");

    byte[] encrypted = HlsAes128.encrypt(plain, key, iv);

    assertThat(encrypted).hasSize(32);
    assertThat(HexFormat.of().formatHex(encrypted, 0, 16))
        .isEqualTo("7649abac8119b246cee98e9b12e9197d");
  }

  @Test
  void encrypt_streaming_boundedBuffersAndByteCount() throws Exception {
    long size = 50L * 1024 * 1024;
    InputStream in = new PatternStream(size);
    CountingSink out = new CountingSink();

    long written = HlsAes128.encrypt(in, out, KEY, IV);

    assertThat(written).isEqualTo(HlsAes128.encryptedLength(size)).isEqualTo(out.count);
    assertThat(out.largestWrite).isLessThanOrEqualTo(64 * 1024 + 32);
  }

  @Test
  void decrypt_streaming_roundTrip() throws Exception {
    byte[] plain = bytes(300_001, 9);
    ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
    HlsAes128.encrypt(new ByteArrayInputStream(plain), encrypted, KEY, IV);
    ByteArrayOutputStream decrypted = new ByteArrayOutputStream();

    long written =
        HlsAes128.decrypt(new ByteArrayInputStream(encrypted.toByteArray()), decrypted, KEY, IV);

    assertThat(written).isEqualTo(plain.length);
    assertThat(decrypted.toByteArray()).isEqualTo(plain);
  }

  @Test
  void decrypt_wrongKey_badPaddingAsCheckedException() {
    byte[] encrypted = HlsAes128.encrypt(bytes(1000, 1), KEY, IV);
    byte[] wrongKey = KEY.clone();
    wrongKey[0] ^= 1;

    // A wrong key passes the padding check about 1 time in 256; this key and IV do not.
    assertThatThrownBy(() -> HlsAes128.decrypt(encrypted, wrongKey, IV))
        .isInstanceOf(SegmentDecryptionException.class)
        .hasMessageContaining("bad PKCS7 padding")
        .hasMessageNotContaining(HexFormat.of().formatHex(wrongKey));
  }

  @Test
  void decrypt_notWholeBlocks_checkedException() {
    byte[] encrypted = HlsAes128.encrypt(bytes(100, 1), KEY, IV);

    assertThatThrownBy(() -> HlsAes128.decrypt(Arrays.copyOf(encrypted, 100), KEY, IV))
        .isInstanceOf(SegmentDecryptionException.class)
        .hasMessage("ciphertext is not a whole number of 16-byte blocks");
  }

  @Test
  void badKeyOrIvLength_rejectedWithLength() {
    assertThatThrownBy(() -> HlsAes128.encrypt(new byte[1], new byte[15], IV))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must be 16 bytes, got 15");
    assertThatThrownBy(() -> HlsAes128.encrypt(new byte[1], KEY, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("iv must be 16 bytes, got 32");
    assertThatThrownBy(() -> HlsAes128.encrypt(new byte[1], null, IV))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> HlsAes128.encryptedLength(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ivForMediaSequence_bigEndianZeroPadded() {
    assertThat(HexFormat.of().formatHex(HlsAes128.ivForMediaSequence(0)))
        .isEqualTo("00000000000000000000000000000000");
    assertThat(HexFormat.of().formatHex(HlsAes128.ivForMediaSequence(1)))
        .isEqualTo("00000000000000000000000000000001");
    assertThat(HexFormat.of().formatHex(HlsAes128.ivForMediaSequence(0x0102030405L)))
        .isEqualTo("00000000000000000000000102030405");
    assertThat(HexFormat.of().formatHex(HlsAes128.ivForMediaSequence(Long.MAX_VALUE)))
        .isEqualTo("00000000000000007fffffffffffffff");
    assertThatThrownBy(() -> HlsAes128.ivForMediaSequence(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mediaSequenceNumber must not be negative: -1");
  }

  @Test
  void ivForMediaSequence_agreesWithPlaylistKeyModel() {
    EncryptionKey key = EncryptionKey.aes128("key.bin");
    for (long sequence : new long[] {0, 1, 255, 256, 123_456_789, Long.MAX_VALUE}) {
      assertThat(HlsAes128.ivForMediaSequence(sequence)).isEqualTo(key.ivForSegment(sequence));
    }
  }

  @Test
  void generate_randomSixteenBytes() {
    byte[] a = HlsAes128.generateKey();
    byte[] b = HlsAes128.generateKey();
    assertThat(a).hasSize(16).isNotEqualTo(b);
    assertThat(HlsAes128.generateIv()).hasSize(16);
    assertThat(HlsAes128.generateKey(new SecureRandom())).hasSize(16);
    assertThat(HlsAes128.generateIv(new SecureRandom())).hasSize(16);
  }

  @Test
  void playlistKey_explicitIv_decryptsEverySegmentWithIt() throws Exception {
    byte[] key = HlsAes128.generateKey();
    byte[] iv = HlsAes128.generateIv();
    MediaPlaylist playlist =
        MediaPlaylist.builder()
            .mediaSequence(7)
            .encryptionKey(EncryptionKey.aes128("/t/tok/v/v1/key", iv))
            .addSegment("7.ts", 4_000_000)
            .addSegment(Segment.of("8.ts", 4_000_000))
            .build();

    String text = PlaylistWriter.write(playlist);
    assertThat(text)
        .contains(
            "#EXT-X-KEY:METHOD=AES-128,URI=\"/t/tok/v/v1/key\",IV=0x"
                + HexFormat.of().formatHex(iv)
                + "\n");
    // A player reads the key tag back and derives the same IV for any segment.
    EncryptionKey parsed = PlaylistParser.parseMedia(text).encryptionKey().orElseThrow();
    byte[] segment = bytes(5000, 3);
    byte[] encrypted = HlsAes128.encrypt(segment, key, iv);
    assertThat(HlsAes128.decrypt(encrypted, key, parsed.ivForSegment(8))).isEqualTo(segment);
  }

  @Test
  void playlistKey_withoutIv_eachSegmentUsesItsSequenceNumber() throws Exception {
    byte[] key = HlsAes128.generateKey();
    MediaPlaylist playlist =
        MediaPlaylist.builder()
            .mediaSequence(41)
            .encryptionKey(EncryptionKey.aes128("key"))
            .addSegment("41.ts", 4_000_000)
            .addSegment("42.ts", 4_000_000)
            .build();
    String text = PlaylistWriter.write(playlist);
    assertThat(text).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"key\"\n").doesNotContain("IV=");

    EncryptionKey parsed = PlaylistParser.parseMedia(text).encryptionKey().orElseThrow();
    byte[] segment42 = bytes(2000, 42);
    byte[] encrypted = HlsAes128.encrypt(segment42, key, HlsAes128.ivForMediaSequence(42));
    // Segment index 1 has media sequence number 41 + 1 (RFC 8216 §6.3.2).
    long sequence = playlist.mediaSequence() + 1;
    assertThat(HlsAes128.decrypt(encrypted, key, parsed.ivForSegment(sequence)))
        .isEqualTo(segment42);
  }

  private static byte[] bytes(int size, int seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  /** A long deterministic stream that is never in memory whole. */
  private static final class PatternStream extends InputStream {
    private final long size;
    private long position;

    PatternStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return position < size ? (int) (position++ & 0xFF) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) (position++);
      }
      return n;
    }
  }

  private static final class CountingSink extends OutputStream {
    long count;
    int largestWrite;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
      largestWrite = Math.max(largestWrite, len);
    }
  }
}
