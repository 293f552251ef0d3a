package org.reelbox.edge.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.reelbox.common.playback.ObjectKind;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.edge.cache.SegmentCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the next segments of popular videos before players ask for them: a player that asked for
 * segment n of a rendition will ask for n+1 a few seconds later.
 *
 * <p>Popularity is the number of segment requests a video had within the last 10 minutes (a bounded
 * Caffeine map, entries expire after 10 minutes without a request). Once a video reaches {@code
 * prefetchPopularity}, each segment request n starts a run over n+1…n+k: one segment after the
 * other, skipping those already stored, through the same coalescing {@link Fetcher} (a player that
 * asks meanwhile joins the prefetch instead of fetching again). A 404 (past the last segment) or
 * any failure ends the run. At most {@code prefetchConcurrency} runs go at once; a request that
 * finds none free starts none (prefetch is an optimisation, never a queue that could grow).
 *
 * <p>Two things keep prefetch off the hit path of a warm box (measured by benchmarks/edge/run.sh,
 * docs/edge-cache.md "Benchmarks: hit throughput and coalescing"): the request's own thread first
 * looks whether n+1…n+k are all stored (index lookups, no I/O) and starts no run if so, instead of
 * handing every request of a popular video to the disk executor; and where a run ended (a 404 past
 * the video's last segment, or a failure) is remembered for a minute per rendition, so that players
 * near the end of a popular video do not send the origin a request for a segment that does not
 * exist on every play. Both only decide what prefetch does; a player's own request is never refused
 * by them.
 */
final class Prefetcher {
  private static final Logger log = LoggerFactory.getLogger(Prefetcher.class);
  private final Fetcher fetcher;
  private final MemoryTier memory;
  private final SegmentCache disk;
  private final Executor diskExecutor;
  private final int segments;
  private final int popularity;
  private final Semaphore runs;
  private final long originTimeoutNanos;
  private final Cache<String, LongAdder> requests =
      Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterAccess(Duration.ofMinutes(10))
          .executor(Runnable::run)
          .build();

  /**
   * {@code videoId/rendition} → the segment number where a run last stopped (404 or failure). A
   * minute, not forever: a video being published early gains segments, and a failing origin
   * recovers.
   */
  private final Cache<String, Long> ends =
      Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterWrite(Duration.ofMinutes(1))
          .executor(Runnable::run)
          .build();

  final LongAdder prefetched = new LongAdder();

  Prefetcher(
      Fetcher fetcher,
      MemoryTier memory,
      SegmentCache disk,
      Executor diskExecutor,
      int segments,
      int popularity,
      int concurrency,
      Duration originTimeout) {
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.memory = requireNonNull(memory, "memory");
    this.disk = requireNonNull(disk, "disk");
    this.diskExecutor = requireNonNull(diskExecutor, "diskExecutor");
    this.segments = segments;
    this.popularity = popularity;
    this.runs = new Semaphore(concurrency);
    this.originTimeoutNanos = originTimeout.toNanos();
  }

  /** A segment of {@code path}'s video was asked for; maybe start a run after it. */
  void segmentRequested(PlaybackPath path) {
    if (segments == 0 || path.kind() != ObjectKind.SEGMENT) {
      return;
    }
    LongAdder count = requests.get(path.videoId(), k -> new LongAdder());
    count.increment();
    if (count.sum() < popularity || nothingToFetch(path) || !runs.tryAcquire()) {
      return;
    }
    try {
      diskExecutor.execute(() -> run(path, 1));
    } catch (RejectedExecutionException e) {
      runs.release();
    }
  }

  /** True if n+1…n+k are all stored or at/past a known end: no run is needed. No I/O. */
  private boolean nothingToFetch(PlaybackPath base) {
    long end = knownEnd(base);
    try {
      for (int i = 1; i <= segments; i++) {
        long n = base.number() + (long) i;
        if (n >= end || n > 999_999_999L) {
          return true;
        }
        String key = next(base, i).relativePath();
        if (!memory.contains(key) && !disk.contains(key)) {
          return false;
        }
      }
    } catch (IllegalStateException closed) {
      return true;
    }
    return true;
  }

  private static String rendition(PlaybackPath path) {
    return path.videoId() + "/" + path.rendition();
  }

  private long knownEnd(PlaybackPath base) {
    Long end = ends.getIfPresent(rendition(base));
    return end == null ? Long.MAX_VALUE : end;
  }

  private static PlaybackPath next(PlaybackPath base, int i) {
    return new PlaybackPath(
        null, base.videoId(), ObjectKind.SEGMENT, base.rendition(), base.number() + i);
  }

  private void run(PlaybackPath base, int i) {
    try {
      step(base, i);
    } catch (RuntimeException e) {
      // A closed store (shutdown) or a bug: never leave a permit taken.
      runs.release();
      log.warn("prefetch after {} stopped: {}", base.relativePath(), e.toString());
    }
  }

  /** On the disk executor: look at segment n+i, fetch it if missing, then go on. */
  private void step(PlaybackPath base, int i) {
    if (i > segments
        || base.number() + (long) i > 999_999_999L
        || base.number() + (long) i >= knownEnd(base)) {
      runs.release();
      return;
    }
    var next = next(base, i);
    String key = next.relativePath();
    boolean stored;
    try {
      stored = memory.contains(key) || disk.contains(key);
    } catch (IllegalStateException closed) {
      runs.release();
      return;
    }
    if (stored) {
      step(base, i + 1);
      return;
    }
    boolean[] joined = new boolean[1];
    Fetch fetch = fetcher.acquire(next, System.nanoTime() + originTimeoutNanos, joined);
    if (!joined[0]) {
      prefetched.increment();
    }
    fetch
        .finished()
        .whenComplete(
            (ok, e) -> {
              if (!Boolean.TRUE.equals(ok)) {
                // 404 past the end, or the origin failed: stop here, and do not come back for a
                // while.
                ends.asMap().merge(rendition(base), (long) next.number(), Math::min);
                runs.release();
                return;
              }
              try {
                diskExecutor.execute(() -> run(base, i + 1));
              } catch (RejectedExecutionException rejected) {
                runs.release();
              }
            });
  }
}
