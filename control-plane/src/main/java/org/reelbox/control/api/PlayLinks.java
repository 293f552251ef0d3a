package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.control.store.VideoId;

/**
 * Signed playback URLs (docs/edges.md, "Routing"): a play token for one video as a path prefix,
 * {@code {base}/t/{token}/v/{id}/…}, so that what a playlist names relatively inherits it. Shared
 * by the play answer (master and poster) and the video listing (thumbnails).
 */
final class PlayLinks {
  /** The thumbnail size a listing shows: {@code BlobLayout.THUMBNAIL_SIZES[1]}, 640×360. */
  static final int LISTING_THUMBNAIL_SIZE = 1;

  /** The poster size: the largest, 1280×720. */
  static final int POSTER_SIZE = 0;

  private final Tokens tokens;
  private final Duration ttl;
  private final Clock clock;
  private final BlobStore blobs;

  PlayLinks(Tokens tokens, Duration ttl, Clock clock, BlobStore blobs) {
    this.tokens = requireNonNull(tokens, "tokens");
    this.ttl = requireNonNull(ttl, "ttl");
    this.clock = requireNonNull(clock, "clock");
    this.blobs = requireNonNull(blobs, "blobs");
  }

  /** A play token for a video and when it expires. */
  record Signed(String token, Instant expiresAt) {
    /** {@code {base}/t/{token}/v/{id}/{file}}. */
    String url(String baseUrl, VideoId id, String file) {
      return baseUrl + "/t/" + token + "/v/" + id.value() + "/" + file;
    }
  }

  Signed sign(VideoId id) {
    Instant expiresAt = clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
    return new Signed(
        tokens.sign(TokenClaims.unsigned(id.value(), TokenScope.PLAY, null, 0, expiresAt)),
        expiresAt);
  }

  /**
   * The URL of thumbnail 0 in size {@code sizeIndex}, or empty when it is not published (the
   * profile makes none, or the job has not run its thumbnail task yet). Blocking: one stat of the
   * blob store.
   */
  Optional<String> thumbnailUrl(String baseUrl, Signed signed, VideoId id, int sizeIndex)
      throws IOException {
    String key = BlobLayout.thumbnailKey(id.value(), sizeIndex, 0);
    if (blobs.stat(key).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        signed.url(baseUrl, id, key.substring(BlobLayout.hlsPrefix(id.value()).length())));
  }
}
