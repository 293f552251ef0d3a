package org.reelbox.origin.internal;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.playback.ObjectKind;
import org.reelbox.common.playback.PlaybackAuthorizer;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.Tokens;

/**
 * What every connection's {@link PlaybackHandler} shares: the object opener, the token verifier,
 * the caching policy, the blocking executor and the meters. Thread-safe.
 *
 * <h2>Meters</h2>
 *
 * <ul>
 *   <li>{@code origin.requests} (Prometheus {@code origin_requests_total}), tags {@code status}
 *       ({@code 2xx}…{@code 5xx}) and {@code kind} ({@code playlist}, {@code segment}, {@code
 *       thumbnail}, {@code key}, or {@code invalid} for paths that did not parse);
 *   <li>{@code origin.bytes.sent} ({@code origin_bytes_sent_total}), tag {@code kind}: body bytes
 *       written to sockets, error bodies included.
 * </ul>
 */
public final class OriginService {
  /** Segments and thumbnails never change under their URL: one year, immutable (RFC 8246). */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** Keys must not be kept by any cache, shared or private. */
  static final String NO_STORE = "no-store";

  private final StoredObject.Opener opener;
  private final PlaybackAuthorizer authorizer;
  private final String playlistCacheControl;
  private final Executor blockingExecutor;
  private final MeterRegistry registry;
  private final JitPackager jit;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ViewerTraffic viewerTraffic = new ViewerTraffic();

  /**
   * @param requireTokens whether {@code /v/…} without a token prefix is refused (private videos)
   * @param playlistMaxAgeSeconds the {@code max-age} of playlists
   * @param blockingExecutor where storage calls run
   * @param jit just-in-time packaging, or null for none
   */
  public OriginService(
      StoredObject.Opener opener,
      Tokens tokens,
      boolean requireTokens,
      int playlistMaxAgeSeconds,
      Executor blockingExecutor,
      MeterRegistry registry,
      JitPackager jit) {
    this.opener = requireNonNull(opener, "opener");
    this.authorizer = new PlaybackAuthorizer(tokens, requireTokens);
    this.playlistCacheControl = "public, max-age=" + playlistMaxAgeSeconds;
    this.blockingExecutor = requireNonNull(blockingExecutor, "blockingExecutor");
    this.registry = requireNonNull(registry, "registry");
    this.jit = jit;
  }

  /** Just-in-time packaging of untranscoded originals, or null when it is off. */
  JitPackager jit() {
    return jit;
  }

  StoredObject.Opener opener() {
    return opener;
  }

  Executor blockingExecutor() {
    return blockingExecutor;
  }

  /** The {@code Cache-Control} of a successful answer for this kind. */
  String cacheControl(ObjectKind kind) {
    return switch (kind) {
      // Subtitles and thumbnails are replaced in place by their creator: revalidated like
      // playlists (ObjectKind.isMutable).
      case MASTER_PLAYLIST,
          MEDIA_PLAYLIST,
          IFRAME_PLAYLIST,
          SUBTITLE_PLAYLIST,
          SUBTITLE,
          THUMBNAIL ->
          playlistCacheControl;
      case SEGMENT -> IMMUTABLE;
      case KEY -> NO_STORE;
    };
  }

  /**
   * Checks the request's right to the object before anything is read ({@link PlaybackAuthorizer}:
   * the same rules at the origin and the edges).
   *
   * @throws ApiException 403 ({@code FORBIDDEN}, {@code TOKEN_INVALID}) or 410 ({@code
   *     TOKEN_EXPIRED})
   */
  TokenClaims authorize(PlaybackPath path) {
    return authorizer.authorize(path);
  }

  /** The bytes and requests served straight to viewers (reported to the cost ledger). */
  public ViewerTraffic viewerTraffic() {
    return viewerTraffic;
  }

  void countResponse(String kind, int status) {
    String statusClass = (status / 100) + "xx";
    counters
        .computeIfAbsent(
            "r:" + kind + ":" + statusClass,
            k ->
                Counter.builder("origin.requests")
                    .description("Playback requests answered, by status class and object kind")
                    .tag("kind", kind)
                    .tag("status", statusClass)
                    .register(registry))
        .increment();
  }

  void countBytes(String kind, long bytes) {
    if (bytes <= 0) {
      return;
    }
    counters
        .computeIfAbsent(
            "b:" + kind,
            k ->
                Counter.builder("origin.bytes.sent")
                    .description("Response body bytes written, by object kind")
                    .tag("kind", kind)
                    .register(registry))
        .increment(bytes);
  }
}
