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
    if (count.sum() < popularity || !runs.tryAcquire()) {
      return;
    }
    try {
      diskExecutor.execute(() -> run(path, 1));
    } catch (RejectedExecutionException e) {
      runs.release();
    }
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
    if (i > segments || base.number() + (long) i > 999_999_999L) {
      runs.release();
      return;
    }
    var next =
        new PlaybackPath(
            null, base.videoId(), ObjectKind.SEGMENT, base.rendition(), base.number() + i);
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
                runs.release(); // 404 past the end, or the origin failed: stop here
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
