package org.reelbox.edge;

import java.time.Duration;
import java.util.List;
import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.common.config.HttpConfig;

/**
 * The edge box's configuration: {@code conf/edge.yaml}. Every key is overridable with {@code
 * REELBOX_EDGE_<KEY>} (camelCase split on capitals, e.g. {@code REELBOX_EDGE_MEMORY_BYTES}).
 *
 * @param region the region (ISP) this box serves, as named in the control plane's CIDR table
 * @param publicUrl the URL viewers reach this box at; empty means the bound address
 * @param originUrls origins to fetch misses from, in failover order
 * @param cacheBytes the cache's disk budget in bytes
 * @param memoryBytes the in-memory tier's budget (playlists and the hottest segments), in bytes; 0
 *     turns it off
 * @param memoryMaxObjectBytes the largest object the memory tier holds
 * @param maxObjectBytes the largest object the box fetches and stores; larger ones answer 502
 * @param requireTokens when true every {@code /v/…} needs a {@code /t/{token}} prefix, as at the
 *     origin; keys always need one
 * @param originConnectTimeoutMs the TCP connect timeout of one origin attempt
 * @param originTimeoutMs the time a miss may wait for an origin's response headers, all failover
 *     attempts together; past it the client gets 504
 * @param originReadTimeoutMs the longest pause between two pieces of an origin body; past it the
 *     fetch is broken off and nothing is stored
 * @param lockTimeoutMs how long a request that joined another request's origin fetch waits for
 *     response headers before it asks the origin itself
 * @param playlistMaxAgeSeconds the freshness of a playlist whose origin answer had no {@code
 *     max-age}
 * @param prefetchSegments how many segments after the requested one are fetched in the background
 *     for popular videos; 0 turns prefetch off
 * @param prefetchPopularity segment requests a video needs (within the popularity window) before it
 *     is prefetched
 * @param prefetchConcurrency prefetch chains running at once
 * @param diskThreads threads for RocksDB reads and writes, kept off the event loops
 * @param heartbeatSeconds how often the box reports to the control plane's edge registry, 1–{@value
 *     #MAX_HEARTBEAT_SECONDS} seconds (docs/edges.md); the control plane's {@code
 *     edges.heartbeatTimeoutSeconds} should be about three of these
 */
public record EdgeConfig(
    HttpConfig http,
    String dataDir,
    ClusterConfig cluster,
    String region,
    String publicUrl,
    List<String> originUrls,
    long cacheBytes,
    long memoryBytes,
    long memoryMaxObjectBytes,
    long maxObjectBytes,
    boolean requireTokens,
    int originConnectTimeoutMs,
    int originTimeoutMs,
    int originReadTimeoutMs,
    int lockTimeoutMs,
    int playlistMaxAgeSeconds,
    int prefetchSegments,
    int prefetchPopularity,
    int prefetchConcurrency,
    int diskThreads,
    int heartbeatSeconds) {
  /** An hour: beyond that, a box's health in the registry says nothing useful. */
  public static final int MAX_HEARTBEAT_SECONDS = 3600;

  public EdgeConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("cluster", cluster);
    Checks.nonBlank("region", region);
    publicUrl = Checks.httpUrl("publicUrl", publicUrl, true);
    Checks.required("originUrls", originUrls);
    if (originUrls.isEmpty()) {
      throw new ConfigValueException("originUrls", "must name at least one origin");
    }
    originUrls = originUrls.stream().map(u -> Checks.httpUrl("originUrls", u, false)).toList();
    Checks.positive("cacheBytes", cacheBytes);
    nonNegative("memoryBytes", memoryBytes);
    Checks.positive("memoryMaxObjectBytes", memoryMaxObjectBytes);
    Checks.positive("maxObjectBytes", maxObjectBytes);
    if (maxObjectBytes > Integer.MAX_VALUE / 2) {
      throw new ConfigValueException(
          "maxObjectBytes", "must be at most " + Integer.MAX_VALUE / 2 + ", got " + maxObjectBytes);
    }
    Checks.positive("originConnectTimeoutMs", originConnectTimeoutMs);
    Checks.positive("originTimeoutMs", originTimeoutMs);
    Checks.positive("originReadTimeoutMs", originReadTimeoutMs);
    Checks.positive("lockTimeoutMs", lockTimeoutMs);
    nonNegative("playlistMaxAgeSeconds", playlistMaxAgeSeconds);
    nonNegative("prefetchSegments", prefetchSegments);
    Checks.positive("prefetchPopularity", prefetchPopularity);
    Checks.positive("prefetchConcurrency", prefetchConcurrency);
    Checks.positive("diskThreads", diskThreads);
    if (heartbeatSeconds < 1 || heartbeatSeconds > MAX_HEARTBEAT_SECONDS) {
      throw new ConfigValueException(
          "heartbeatSeconds",
          "must be between 1 and " + MAX_HEARTBEAT_SECONDS + ", got " + heartbeatSeconds);
    }
  }

  /** {@link #heartbeatSeconds} as a duration. */
  public Duration heartbeatInterval() {
    return Duration.ofSeconds(heartbeatSeconds);
  }

  /** The defaults of conf/edge.yaml for everything but the required parts (tests, embedding). */
  public static EdgeConfig of(
      HttpConfig http, String dataDir, ClusterConfig cluster, List<String> originUrls) {
    return new EdgeConfig(
        http,
        dataDir,
        cluster,
        "default",
        "",
        originUrls,
        10L << 30,
        256L << 20,
        8L << 20,
        64L << 20,
        false,
        500,
        1500,
        5000,
        1000,
        60,
        3,
        20,
        4,
        8,
        10);
  }

  public EdgeConfig withCacheBytes(long bytes) {
    return new EdgeConfig(
        http,
        dataDir,
        cluster,
        region,
        publicUrl,
        originUrls,
        bytes,
        memoryBytes,
        memoryMaxObjectBytes,
        maxObjectBytes,
        requireTokens,
        originConnectTimeoutMs,
        originTimeoutMs,
        originReadTimeoutMs,
        lockTimeoutMs,
        playlistMaxAgeSeconds,
        prefetchSegments,
        prefetchPopularity,
        prefetchConcurrency,
        diskThreads,
        heartbeatSeconds);
  }

  public EdgeConfig withMemoryBytes(long bytes) {
    return new EdgeConfig(
        http,
        dataDir,
        cluster,
        region,
        publicUrl,
        originUrls,
        cacheBytes,
        bytes,
        memoryMaxObjectBytes,
        maxObjectBytes,
        requireTokens,
        originConnectTimeoutMs,
        originTimeoutMs,
        originReadTimeoutMs,
        lockTimeoutMs,
        playlistMaxAgeSeconds,
        prefetchSegments,
        prefetchPopularity,
        prefetchConcurrency,
        diskThreads,
        heartbeatSeconds);
  }

  public EdgeConfig withRequireTokens(boolean value) {
    return new EdgeConfig(
        http,
        dataDir,
        cluster,
        region,
        publicUrl,
        originUrls,
        cacheBytes,
        memoryBytes,
        memoryMaxObjectBytes,
        maxObjectBytes,
        value,
        originConnectTimeoutMs,
        originTimeoutMs,
        originReadTimeoutMs,
        lockTimeoutMs,
        playlistMaxAgeSeconds,
        prefetchSegments,
        prefetchPopularity,
        prefetchConcurrency,
        diskThreads,
        heartbeatSeconds);
  }

  public EdgeConfig withTimeouts(int originTimeoutMs, int originReadTimeoutMs, int lockTimeoutMs) {
    return new EdgeConfig(
        http,
        dataDir,
        cluster,
        region,
        publicUrl,
        originUrls,
        cacheBytes,
        memoryBytes,
        memoryMaxObjectBytes,
        maxObjectBytes,
        requireTokens,
        originConnectTimeoutMs,
        originTimeoutMs,
        originReadTimeoutMs,
        lockTimeoutMs,
        playlistMaxAgeSeconds,
        prefetchSegments,
        prefetchPopularity,
        prefetchConcurrency,
        diskThreads,
        heartbeatSeconds);
  }

  public EdgeConfig withPrefetch(int segments, int popularity, int concurrency) {
    return new EdgeConfig(
        http,
        dataDir,
        cluster,
        region,
        publicUrl,
        originUrls,
        cacheBytes,
        memoryBytes,
        memoryMaxObjectBytes,
        maxObjectBytes,
        requireTokens,
        originConnectTimeoutMs,
        originTimeoutMs,
        originReadTimeoutMs,
        lockTimeoutMs,
        playlistMaxAgeSeconds,
        segments,
        popularity,
        concurrency,
        diskThreads,
        heartbeatSeconds);
  }

  public EdgeConfig withPlaylistMaxAgeSeconds(int seconds) {
    return new EdgeConfig(
        http,
        dataDir,
        cluster,
        region,
        publicUrl,
        originUrls,
        cacheBytes,
        memoryBytes,
        memoryMaxObjectBytes,
        maxObjectBytes,
        requireTokens,
        originConnectTimeoutMs,
        originTimeoutMs,
        originReadTimeoutMs,
        lockTimeoutMs,
        seconds,
        prefetchSegments,
        prefetchPopularity,
        prefetchConcurrency,
        diskThreads,
        heartbeatSeconds);
  }

  private static void nonNegative(String field, long value) {
    if (value < 0) {
      throw new ConfigValueException(field, "must be >= 0, got " + value);
    }
  }
}
