package org.reelbox.edge.cache;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What the edge keeps about an object besides its body: the origin's response headers it replays.
 *
 * @param contentType the {@code Content-Type}, e.g. {@code video/mp2t}
 * @param etag the origin's {@code ETag}, or null when it sent none
 * @param lastModified the origin's {@code Last-Modified}, or null when it sent none
 */
public record ObjectMetadata(String contentType, String etag, Instant lastModified) {
  public ObjectMetadata {
    requireNonNull(contentType, "contentType");
    if (contentType.isBlank()) {
      throw new IllegalArgumentException("contentType must not be blank");
    }
  }

  public static ObjectMetadata of(String contentType) {
    return new ObjectMetadata(contentType, null, null);
  }

  public Optional<String> etagIfPresent() {
    return Optional.ofNullable(etag);
  }

  public Optional<Instant> lastModifiedIfPresent() {
    return Optional.ofNullable(lastModified);
  }
}
