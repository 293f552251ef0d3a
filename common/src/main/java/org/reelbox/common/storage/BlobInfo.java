package org.reelbox.common.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** What a {@link BlobStore} knows of one object. */
public record BlobInfo(String key, long sizeBytes, Instant lastModified) {
  public BlobInfo {
    requireNonNull(key, "key");
    requireNonNull(lastModified, "lastModified");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must be >= 0, got " + sizeBytes);
    }
  }
}
