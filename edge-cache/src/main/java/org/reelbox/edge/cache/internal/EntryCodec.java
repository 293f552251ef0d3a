package org.reelbox.edge.cache.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.reelbox.edge.cache.ObjectMetadata;

/**
 * The on-disk layout of one entry. Both column families use the same RocksDB key: the cache key in
 * UTF-8 followed by the entry's generation as 8 big-endian bytes. The generation makes every stored
 * copy of a key distinct, so deleting an old copy can never delete a newer one.
 *
 * <p>A metadata value is {@code version(1) size(8) crc32c(4) lastModifiedMillis(8, -1 = none)
 * contentType(UTF) etag(UTF, "" = none)}.
 */
final class EntryCodec {
  static final int MAX_KEY_BYTES = 1024;
  private static final byte VERSION = 1;

  private EntryCodec() {}

  /** A decoded metadata value. */
  record StoredMeta(long sizeBytes, int crc32c, ObjectMetadata metadata) {}

  /** A decoded RocksDB key. */
  record StoredKey(String key, long generation) {}

  static byte[] checkedKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > MAX_KEY_BYTES || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("key too long or holds NUL: " + key.length() + " chars");
    }
    return utf8;
  }

  static byte[] dbKey(String key, long generation) {
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(utf8.length + Long.BYTES).put(utf8).putLong(generation).array();
  }

  static StoredKey decodeKey(byte[] dbKey) {
    if (dbKey.length <= Long.BYTES) {
      throw new IllegalArgumentException("short key: " + dbKey.length + " bytes");
    }
    int keyLength = dbKey.length - Long.BYTES;
    return new StoredKey(
        new String(dbKey, 0, keyLength, StandardCharsets.UTF_8),
        ByteBuffer.wrap(dbKey, keyLength, Long.BYTES).getLong());
  }

  static byte[] encodeMeta(long sizeBytes, int crc32c, ObjectMetadata metadata) {
    var bytes = new ByteArrayOutputStream(64 + metadata.contentType().length());
    try (var out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(sizeBytes);
      out.writeInt(crc32c);
      out.writeLong(metadata.lastModified() == null ? -1 : metadata.lastModified().toEpochMilli());
      out.writeUTF(metadata.contentType());
      out.writeUTF(metadata.etag() == null ? "" : metadata.etag());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  static StoredMeta decodeMeta(byte[] value) throws IOException {
    try (var in = new DataInputStream(new ByteArrayInputStream(value))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IOException("unknown metadata version " + version);
      }
      long size = in.readLong();
      int crc = in.readInt();
      long lastModifiedMillis = in.readLong();
      String contentType = in.readUTF();
      String etag = in.readUTF();
      return new StoredMeta(
          size,
          crc,
          new ObjectMetadata(
              contentType,
              etag.isEmpty() ? null : etag,
              lastModifiedMillis < 0 ? null : Instant.ofEpochMilli(lastModifiedMillis)));
    } catch (IllegalArgumentException e) {
      throw new IOException("bad metadata value", e);
    }
  }

  /**
   * The bytes an entry accounts for against the budget: body, metadata value and both copies of the
   * key, plus a fixed allowance for RocksDB's per-record overhead.
   */
  static long weight(String key, long sizeBytes, int metaBytes) {
    return sizeBytes + metaBytes + 2L * (key.length() * 3L + Long.BYTES) + 64;
  }
}
