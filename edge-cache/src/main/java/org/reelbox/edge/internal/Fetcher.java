package org.reelbox.edge.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.reelbox.common.playback.ObjectKind;
import org.reelbox.common.playback.PlaybackAuthorizer;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;
import org.reelbox.edge.cache.SegmentCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request coalescing: at most one origin fetch per cache key at a time, joined by every request
 * (and prefetch) that wants the key meanwhile.
 *
 * <p>A fetch stays in the in-flight map from its start until it has been stored (memory tier at
 * once, disk on the disk executor), so a request arriving in between joins the finished fetch and
 * is served from its buffer; there is no window in which a second request could miss everywhere and
 * fetch again. A failed fetch leaves the map at once: the next request tries the origin anew.
 *
 * <p>Origin requests carry a token the edge mints itself (scope {@code play}, the video as subject,
 * 5 minutes), so an origin with {@code requireTokens} serves its edges; keys are proxied with the
 * client's own token and are never stored or shared.
 */
final class Fetcher {
  private static final Logger log = LoggerFactory.getLogger(Fetcher.class);
  private static final Duration MINTED_TOKEN_LIFETIME = Duration.ofMinutes(5);

  private final OriginClient origin;
  private final SegmentCache disk;
  private final MemoryTier memory;
  private final Executor diskExecutor;
  private final Tokens tokens;
  private final Clock clock;
  private final long playlistMaxAgeNanos;
  private final ConcurrentHashMap<String, Fetch> inFlight = new ConcurrentHashMap<>();

  final LongAdder originFetches = new LongAdder();
  final LongAdder originErrors = new LongAdder();

  Fetcher(
      OriginClient origin,
      SegmentCache disk,
      MemoryTier memory,
      Executor diskExecutor,
      Tokens tokens,
      Clock clock,
      int playlistMaxAgeSeconds) {
    this.origin = requireNonNull(origin, "origin");
    this.disk = requireNonNull(disk, "disk");
    this.memory = requireNonNull(memory, "memory");
    this.diskExecutor = requireNonNull(diskExecutor, "diskExecutor");
    this.tokens = requireNonNull(tokens, "tokens");
    this.clock = requireNonNull(clock, "clock");
    this.playlistMaxAgeNanos = Duration.ofSeconds(playlistMaxAgeSeconds).toNanos();
  }

  /** The fetch in flight for {@code key}, or null. */
  Fetch inFlight(String key) {
    return inFlight.get(key);
  }

  /** A fetch of the path's object: the one in flight ({@code joined[0]} set) or a new one. */
  Fetch acquire(PlaybackPath path, long deadlineNanos, boolean[] joined) {
    String key = path.relativePath();
    while (true) {
      Fetch existing = inFlight.get(key);
      if (existing != null) {
        joined[0] = true;
        return existing;
      }
      Fetch mine = new Fetch(key, true);
      if (inFlight.putIfAbsent(key, mine) == null) {
        joined[0] = false;
        start(mine, path, mintedPath(path), deadlineNanos);
        return mine;
      }
    }
  }

  /**
   * A fetch of its own for a request that waited past the lock timeout for a coalesced one. Its
   * result is stored too (the disk keeps whichever copy comes first).
   */
  Fetch startOwn(PlaybackPath path, long deadlineNanos) {
    Fetch mine = new Fetch(path.relativePath(), true);
    start(mine, path, mintedPath(path), deadlineNanos);
    return mine;
  }

  /** A key: proxied with the client's token, never coalesced, never stored. */
  Fetch startPrivate(PlaybackPath path, long deadlineNanos) {
    Fetch mine = new Fetch(path.relativePath(), false);
    start(mine, path, "/t/" + path.token() + "/v/" + path.relativePath(), deadlineNanos);
    return mine;
  }

  /** Marks the in-flight fetches of a video purged, so that they store nothing. */
  void purge(String videoId) {
    String prefix = videoId + "/";
    inFlight.forEach(
        (k, f) -> {
          if (k.startsWith(prefix)) {
            f.markPurged();
          }
        });
  }

  int inFlightCount() {
    return inFlight.size();
  }

  private String mintedPath(PlaybackPath path) {
    String token =
        tokens.sign(
            TokenClaims.unsigned(
                path.videoId(),
                TokenScope.PLAY,
                PlaybackAuthorizer.EDGE_OWNER,
                0,
                clock.instant().plus(MINTED_TOKEN_LIFETIME)));
    return "/t/" + token + "/v/" + path.relativePath();
  }

  private void start(Fetch fetch, PlaybackPath path, String originPath, long deadlineNanos) {
    originFetches.increment();
    fetch.finished().whenComplete((ok, e) -> finish(fetch, path, Boolean.TRUE.equals(ok)));
    origin.fetch(originPath, fetch, deadlineNanos);
  }

  private void finish(Fetch fetch, PlaybackPath path, boolean ok) {
    if (!ok) {
      var failure = fetch.snapshot().failure();
      if (failure != null && failure.httpStatus() >= 500) {
        originErrors.increment();
      }
      release(fetch);
      return;
    }
    if (!fetch.store() || fetch.purged()) {
      release(fetch);
      return;
    }
    ByteBuf body = fetch.retainedBody();
    Fetch.Head head = fetch.snapshot().head();
    boolean playlist = path.kind().isPlaylist();
    long freshUntil = Long.MAX_VALUE;
    if (playlist) {
      long maxAgeNanos =
          CacheControl.maxAgeSeconds(head.cacheControl())
              .map(s -> Duration.ofSeconds(s).toNanos())
              .orElse(playlistMaxAgeNanos);
      freshUntil = System.nanoTime() + maxAgeNanos;
    }
    var hot = new HotObject(body, head.metadata(), head.cacheControl(), freshUntil);
    // The memory tier takes its own reference; the one taken above feeds the disk write.
    memory.offer(fetch.key(), hot);
    try {
      diskExecutor.execute(() -> storeOnDisk(fetch, path, hot, body));
    } catch (RejectedExecutionException e) {
      body.release();
      release(fetch);
    }
  }

  private void storeOnDisk(Fetch fetch, PlaybackPath path, HotObject hot, ByteBuf body) {
    try {
      if (path.kind().isPlaylist() || path.kind() == ObjectKind.MASTER_PLAYLIST) {
        // Playlists change (the master is rewritten when a rendition is added): replace the copy.
        disk.invalidate(fetch.key());
      }
      if (!fetch.purged()) {
        try (var in = new ByteBufInputStream(body.retainedDuplicate(), true)) {
          disk.put(fetch.key(), hot.metadata, in, body.readableBytes());
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("cannot store {}: {}", fetch.key(), e.toString());
    } finally {
      body.release();
      release(fetch);
    }
  }

  private void release(Fetch fetch) {
    inFlight.remove(fetch.key(), fetch);
    fetch.detach(null);
  }
}
