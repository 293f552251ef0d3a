package org.reelbox.edge.internal;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.playback.ObjectKind;
import org.reelbox.common.playback.PlaybackAuthorizer;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.Tokens;
import org.reelbox.edge.EdgeConfig;
import org.reelbox.edge.EdgeStats;
import org.reelbox.edge.ViewCounts;
import org.reelbox.edge.cache.SegmentCache;

/**
 * What every connection's {@link EdgeHandler} shares: the two tiers, the coalescing fetcher, the
 * prefetcher, the token verifier, the threads and the meters. Thread-safe; see docs/edge-cache.md
 * for the design.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li>Event loops (the role's Netty server): parsing, tokens, memory-tier hits, writing.
 *   <li>{@code edge-disk} ({@code diskThreads}): RocksDB reads on memory-tier misses, disk writes
 *       of fetched objects, purges, prefetch steps. Never an event loop.
 *   <li>The JDK HTTP client's threads: origin responses, copied into {@link Fetch} buffers.
 *   <li>{@code edge-timer} (one thread): read-stall watchdogs of origin bodies.
 * </ul>
 *
 * <h2>Meters (Prometheus names)</h2>
 *
 * <p>{@code edge_requests_total{result=hit|miss|error}}, {@code
 * edge_bytes_sent_total{source=hit|miss}}, {@code edge_origin_fetches_total}, {@code
 * edge_origin_errors_total}, {@code edge_coalesced_waits_total}, {@code edge_prefetches_total},
 * {@code edge_cache_evictions_total}, {@code edge_cache_corruptions_total}, gauges {@code
 * edge_byte_hit_ratio}, {@code edge_cache_bytes_on_disk}, {@code edge_cache_entries}, {@code
 * edge_memory_bytes}, and the timer {@code edge_request_seconds{result}} with p50/p90/p99.
 */
public final class EdgeService implements AutoCloseable {
  /** Segments and thumbnails never change under their URL (RFC 8246), as at the origin. */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  static final String NO_STORE = "no-store";

  final SegmentCache disk;
  final MemoryTier memory;
  final Fetcher fetcher;
  final Prefetcher prefetcher;
  final ExecutorService diskExecutor;
  final ClusterAuth clusterAuth;
  final long originTimeoutNanos;
  final long lockTimeoutNanos;
  private final ScheduledExecutorService timer;
  private final Tokens tokens;
  private final PlaybackAuthorizer authorizer;
  private final String defaultPlaylistCacheControl;
  private final long capacityBytes;

  private final LongAdder requests = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder hitBytes = new LongAdder();
  private final LongAdder missBytes = new LongAdder();
  private final LongAdder coalescedWaits = new LongAdder();
  private final LongAdder serverErrors = new LongAdder();
  private final ViewCounts views = new ViewCounts();

  private final Counter hitCounter;
  private final Counter missCounter;
  private final Counter errorCounter;
  private final Counter hitBytesCounter;
  private final Counter missBytesCounter;
  private final Timer hitTimer;
  private final Timer missTimer;

  public EdgeService(EdgeConfig config, SegmentCache disk, Clock clock, MeterRegistry registry) {
    requireNonNull(config, "config");
    this.disk = requireNonNull(disk, "disk");
    requireNonNull(clock, "clock");
    requireNonNull(registry, "registry");
    this.tokens =
        new Tokens(
            org.reelbox.common.security.KeyRing.derivedFrom(config.cluster().secret()), clock);
    this.clusterAuth = ClusterAuth.of(config.cluster().secret());
    this.authorizer = new PlaybackAuthorizer(this.tokens, config.requireTokens());
    this.defaultPlaylistCacheControl = "public, max-age=" + config.playlistMaxAgeSeconds();
    this.capacityBytes = config.cache().bytes();
    this.originTimeoutNanos = Duration.ofMillis(config.origin().timeoutMs()).toNanos();
    this.lockTimeoutNanos = Duration.ofMillis(config.origin().lockTimeoutMs()).toNanos();
    this.memory = new MemoryTier(config.memory().bytes(), config.memory().maxObjectBytes());
    this.diskExecutor =
        Executors.newFixedThreadPool(
            config.cache().diskThreads(), new DefaultThreadFactory("edge-disk", true));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("edge-timer", true));
    var origin =
        new OriginClient(
            config.origin().urls(),
            OriginClient.newHttpClient(Duration.ofMillis(config.origin().connectTimeoutMs())),
            Duration.ofMillis(config.origin().readTimeoutMs()),
            timer,
            config.cache().maxObjectBytes());
    this.fetcher =
        new Fetcher(
            origin, disk, memory, diskExecutor, tokens, clock, config.playlistMaxAgeSeconds());
    this.prefetcher =
        new Prefetcher(
            fetcher,
            memory,
            disk,
            diskExecutor,
            config.prefetch().segments(),
            config.prefetch().popularity(),
            config.prefetch().concurrency(),
            Duration.ofMillis(config.origin().timeoutMs()));

    hitCounter = requestCounter(registry, "hit");
    missCounter = requestCounter(registry, "miss");
    errorCounter = requestCounter(registry, "error");
    hitBytesCounter = bytesCounter(registry, "hit");
    missBytesCounter = bytesCounter(registry, "miss");
    hitTimer = timer(registry, "hit");
    missTimer = timer(registry, "miss");
    FunctionCounter.builder("edge.origin.fetches", fetcher.originFetches, LongAdder::sum)
        .description("Fetches sent to an origin (one per coalesced group, prefetches included)")
        .register(registry);
    FunctionCounter.builder("edge.origin.errors", fetcher.originErrors, LongAdder::sum)
        .description("Fetches that failed on every origin (error, timeout, 5xx)")
        .register(registry);
    FunctionCounter.builder("edge.coalesced.waits", coalescedWaits, LongAdder::sum)
        .description("Requests that joined an origin fetch already in flight")
        .register(registry);
    FunctionCounter.builder("edge.prefetches", prefetcher.prefetched, LongAdder::sum)
        .description("Segments fetched ahead of requests")
        .register(registry);
    FunctionCounter.builder("edge.cache.evictions", disk, d -> d.stats().evictions())
        .description("Stored entries the disk policy removed to make room")
        .register(registry);
    FunctionCounter.builder("edge.cache.corruptions", disk, d -> d.stats().corruptions())
        .description("Stored bodies that failed their checksum (dropped and fetched again)")
        .register(registry);
    Gauge.builder("edge.cache.bytes.on.disk", disk, d -> d.stats().bytesOnDisk())
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("edge.cache.entries", disk, d -> d.stats().entries()).register(registry);
    Gauge.builder("edge.memory.bytes", memory, MemoryTier::weightedBytes)
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("edge.byte.hit.ratio", this, s -> s.stats().byteHitRatio())
        .description("Served bytes that came from the box, over all served bytes")
        .register(registry);
  }

  private static Counter requestCounter(MeterRegistry registry, String result) {
    return Counter.builder("edge.requests")
        .description("Playback requests: served from the box, from the origin, or refused")
        .tag("result", result)
        .register(registry);
  }

  private static Counter bytesCounter(MeterRegistry registry, String source) {
    return Counter.builder("edge.bytes.sent")
        .description("Body bytes written, by where they came from")
        .tag("source", source)
        .register(registry);
  }

  private static Timer timer(MeterRegistry registry, String result) {
    return Timer.builder("edge.request")
        .description("Time from request to the last body byte queued")
        .tag("result", result)
        .publishPercentiles(0.5, 0.9, 0.99)
        .register(registry);
  }

  /** The counters the registrar sends with each heartbeat. */
  public EdgeStats stats() {
    var cache = disk.stats();
    return new EdgeStats(
        requests.sum(),
        hits.sum(),
        misses.sum(),
        hitBytes.sum(),
        missBytes.sum(),
        fetcher.originFetches.sum(),
        fetcher.originErrors.sum(),
        serverErrors.sum(),
        coalescedWaits.sum(),
        cache.evictions(),
        cache.entries(),
        cache.bytesOnDisk(),
        capacityBytes);
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

  /** The {@code Cache-Control} the box answers with. */
  String cacheControl(ObjectKind kind, String fromOrigin) {
    return switch (kind) {
      case SEGMENT -> IMMUTABLE;
      case KEY -> NO_STORE;
      // Subtitles and thumbnails are replaced in place by their creator: revalidated like
      // playlists (ObjectKind.isMutable).
      case MASTER_PLAYLIST,
          MEDIA_PLAYLIST,
          IFRAME_PLAYLIST,
          SUBTITLE_PLAYLIST,
          SUBTITLE,
          THUMBNAIL ->
          fromOrigin != null ? fromOrigin : defaultPlaylistCacheControl;
    };
  }

  void countHit(long bytes, long startNanos) {
    requests.increment();
    hits.increment();
    hitCounter.increment();
    if (bytes > 0) {
      hitBytes.add(bytes);
      hitBytesCounter.increment(bytes);
    }
    hitTimer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void countMiss(long bytes, long startNanos) {
    requests.increment();
    misses.increment();
    missCounter.increment();
    if (bytes > 0) {
      missBytes.add(bytes);
      missBytesCounter.increment(bytes);
    }
    missTimer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void countError() {
    requests.increment();
    errorCounter.increment();
  }

  /** An answer with a 5xx status (counted besides its hit, miss or error). */
  void countServerError() {
    serverErrors.increment();
  }

  /** Views per video since the last acknowledged heartbeat (master playlist requests). */
  public ViewCounts views() {
    return views;
  }

  void countCoalesced() {
    coalescedWaits.increment();
  }

  /**
   * Purges one video from both tiers (and keeps fetches in flight from storing it).
   *
   * @return the number of disk entries removed
   */
  int purgeVideo(String videoId) {
    fetcher.purge(videoId);
    memory.invalidatePrefix(videoId + "/");
    return disk.invalidateVideo(videoId);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    diskExecutor.shutdownNow();
    try {
      diskExecutor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    memory.close();
  }
}
