package org.reelbox.edge.cache;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A verified cached object: its metadata and its whole body in memory. The body was checked against
 * its CRC32C before this object was made, so it may be served as is.
 *
 * <p>Bodies are held whole because the checksum can only be verified over the whole body, and
 * segments are a few MB at most. The body is shared, never copied, by {@link #openStream()} and
 * {@link #body()}; {@link #toByteArray()} copies.
 */
public final class CachedObject {
  private final String key;
  private final ObjectMetadata metadata;
  private final int crc32c;
  private final byte[] body;

  private CachedObject(String key, ObjectMetadata metadata, int crc32c, byte[] body) {
    this.key = requireNonNull(key, "key");
    this.metadata = requireNonNull(metadata, "metadata");
    this.crc32c = crc32c;
    this.body = requireNonNull(body, "body");
  }

  /**
   * Wraps a verified body. The caller hands {@code body} over and must not change it afterwards.
   */
  public static CachedObject of(String key, ObjectMetadata metadata, int crc32c, byte[] body) {
    return new CachedObject(key, metadata, crc32c, body);
  }

  public String key() {
    return key;
  }

  public ObjectMetadata metadata() {
    return metadata;
  }

  public long sizeBytes() {
    return body.length;
  }

  /** The CRC32C of the body, as stored and verified. */
  public int crc32c() {
    return crc32c;
  }

  /** A fresh stream over the body. */
  public InputStream openStream() {
    return new ByteArrayInputStream(body);
  }

  /** A read-only view of the body, positioned at 0. */
  public ByteBuffer body() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /** A copy of the body. */
  public byte[] toByteArray() {
    return Arrays.copyOf(body, body.length);
  }

  @Override
  public String toString() {
    return "CachedObject[" + key + ", " + body.length + " bytes, " + metadata.contentType() + "]";
  }
}
