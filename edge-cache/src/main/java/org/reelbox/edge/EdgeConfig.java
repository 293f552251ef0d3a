package org.reelbox.edge;

import java.time.Duration;
import java.util.List;
import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.common.config.HttpConfig;

/**
 * The edge box's configuration: {@code conf/edge.yaml}. Every key is overridable with {@code
 * REELBOX_EDGE_<KEY>}, the dotted key in upper snake case (e.g. {@code memory.bytes} is {@code
 * REELBOX_EDGE_MEMORY_BYTES}, {@code origin.urls} is {@code REELBOX_EDGE_ORIGIN_URLS}).
 *
 * @param region the region (ISP) this box serves, as named in the control plane's CIDR table
 * @param publicUrl the URL viewers reach this box at; empty means the bound address
 * @param requireTokens when true every {@code /v/…} needs a {@code /t/{token}} prefix, as at the
 *     origin; keys always need one
 * @param playlistMaxAgeSeconds the freshness of a playlist whose origin answer had no {@code
 *     max-age}
 * @param heartbeatSeconds how often the box reports to the control plane's edge registry, 1–{@value
 *     #MAX_HEARTBEAT_SECONDS} seconds (docs/edges.md); the control plane's {@code
 *     edges.heartbeatTimeoutSeconds} should be about three of these
 * @param cache the disk cache (RocksDB)
 * @param memory the in-memory tier
 * @param origin fetching misses from the origins
 * @param prefetch background fetching of the next segments of popular videos
 * @param fill warming the cache off-peak with what is popular in the region (docs/edges.md,
 *     "Fill"); absent means off
 */
public record EdgeConfig(
    HttpConfig http,
    String dataDir,
    ClusterConfig cluster,
    String region,
    String publicUrl,
    boolean requireTokens,
    int playlistMaxAgeSeconds,
    int heartbeatSeconds,
    Cache cache,
    Memory memory,
    Origin origin,
    Prefetch prefetch,
    Fill fill) {
  /** An hour: beyond that, a box's health in the registry says nothing useful. */
  public static final int MAX_HEARTBEAT_SECONDS = 3600;

  public EdgeConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("cluster", cluster);
    Checks.nonBlank("region", region);
    publicUrl = Checks.httpUrl("publicUrl", publicUrl, true);
    nonNegative("playlistMaxAgeSeconds", playlistMaxAgeSeconds);
    if (heartbeatSeconds < 1 || heartbeatSeconds > MAX_HEARTBEAT_SECONDS) {
      throw new ConfigValueException(
          "heartbeatSeconds",
          "must be between 1 and " + MAX_HEARTBEAT_SECONDS + ", got " + heartbeatSeconds);
    }
    Checks.required("cache", cache);
    Checks.required("memory", memory);
    Checks.required("origin", origin);
    Checks.required("prefetch", prefetch);
    fill = fill == null ? Fill.OFF : fill;
  }

  /**
   * @param bytes the disk budget in bytes, never exceeded
   * @param maxObjectBytes the largest object the box fetches and stores; larger ones answer 502
   * @param diskThreads threads for RocksDB reads and writes, kept off the event loops
   */
  public record Cache(long bytes, long maxObjectBytes, int diskThreads) {
    public Cache {
      Checks.positive("bytes", bytes);
      Checks.positive("maxObjectBytes", maxObjectBytes);
      if (maxObjectBytes > Integer.MAX_VALUE / 2) {
        throw new ConfigValueException(
            "maxObjectBytes",
            "must be at most " + Integer.MAX_VALUE / 2 + ", got " + maxObjectBytes);
      }
      Checks.positive("diskThreads", diskThreads);
    }
  }

  /**
   * @param bytes the tier's budget (playlists and the hottest segments); 0 turns it off
   * @param maxObjectBytes the largest object the tier holds
   */
  public record Memory(long bytes, long maxObjectBytes) {
    public Memory {
      nonNegative("bytes", bytes);
      Checks.positive("maxObjectBytes", maxObjectBytes);
    }
  }

  /**
   * @param urls origins to fetch misses from, in failover order
   * @param connectTimeoutMs the TCP connect timeout of one origin attempt
   * @param timeoutMs the time a miss may wait for an origin's response headers, all failover
   *     attempts together; past it the client gets 504
   * @param readTimeoutMs the longest pause between two pieces of an origin body; past it the fetch
   *     is broken off and nothing is stored
   * @param lockTimeoutMs how long a request that joined another request's origin fetch waits for
   *     response headers before it asks the origin itself
   */
  public record Origin(
      List<String> urls,
      int connectTimeoutMs,
      int timeoutMs,
      int readTimeoutMs,
      int lockTimeoutMs) {
    public Origin {
      Checks.required("urls", urls);
      if (urls.isEmpty()) {
        throw new ConfigValueException("urls", "must name at least one origin");
      }
      urls = urls.stream().map(u -> Checks.httpUrl("urls", u, false)).toList();
      Checks.positive("connectTimeoutMs", connectTimeoutMs);
      Checks.positive("timeoutMs", timeoutMs);
      Checks.positive("readTimeoutMs", readTimeoutMs);
      Checks.positive("lockTimeoutMs", lockTimeoutMs);
    }

    /** The defaults of conf/edge.yaml for these origins. */
    public static Origin of(List<String> urls) {
      return new Origin(urls, 500, 1500, 5000, 1000);
    }

    /** These origins with other waits (the connect timeout kept). */
    public Origin withTimeouts(int timeoutMs, int readTimeoutMs, int lockTimeoutMs) {
      return new Origin(urls, connectTimeoutMs, timeoutMs, readTimeoutMs, lockTimeoutMs);
    }
  }

  /**
   * @param segments how many segments after the requested one are fetched in the background for
   *     popular videos; 0 turns prefetch off
   * @param popularity segment requests a video needs (within the popularity window) before it is
   *     prefetched
   * @param concurrency prefetch chains running at once
   */
  public record Prefetch(int segments, int popularity, int concurrency) {
    public Prefetch {
      nonNegative("segments", segments);
      Checks.positive("popularity", popularity);
      Checks.positive("concurrency", concurrency);
    }
  }

  /**
   * @param enabled whether the box warms its cache from its region's fill list at all
   * @param window the local time of day fill runs in, {@code HH:MM-HH:MM}; it may span midnight
   *     ({@code 22:00-06:00}), and {@code 00:00-24:00} is all day
   * @param bytesPerSecond the most origin bytes fill fetches per second, averaged over a round
   * @param intervalSeconds how often the box asks for its fill list and warms it, 10–86400
   */
  public record Fill(boolean enabled, String window, long bytesPerSecond, int intervalSeconds) {
    static final Fill OFF = new Fill(false, "02:00-06:00", 10L << 20, 600);

    public Fill {
      Checks.nonBlank("fill.window", window);
      FillWindow.parse(window);
      Checks.positive("fill.bytesPerSecond", bytesPerSecond);
      if (intervalSeconds < 10 || intervalSeconds > 86_400) {
        throw new ConfigValueException(
            "fill.intervalSeconds", "must be between 10 and 86400, got " + intervalSeconds);
      }
    }

    /** {@link #window} parsed. */
    public FillWindow parsedWindow() {
      return FillWindow.parse(window);
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
        false,
        60,
        10,
        new Cache(10L << 30, 64L << 20, 8),
        new Memory(256L << 20, 8L << 20),
        Origin.of(originUrls),
        new Prefetch(3, 20, 4),
        Fill.OFF);
  }

  /** A builder holding this config's values: the way to change some of them (tests). */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes the groups and the switches tests vary; {@link #build} checks the result. */
  public static final class Builder {
    private final EdgeConfig base;
    private boolean requireTokens;
    private Cache cache;
    private Memory memory;
    private Origin origin;
    private Prefetch prefetch;
    private Fill fill;

    private Builder(EdgeConfig base) {
      this.base = base;
      this.requireTokens = base.requireTokens;
      this.cache = base.cache;
      this.memory = base.memory;
      this.origin = base.origin;
      this.prefetch = base.prefetch;
      this.fill = base.fill;
    }

    public Builder requireTokens(boolean value) {
      this.requireTokens = value;
      return this;
    }

    public Builder cache(Cache value) {
      this.cache = value;
      return this;
    }

    public Builder memory(Memory value) {
      this.memory = value;
      return this;
    }

    public Builder origin(Origin value) {
      this.origin = value;
      return this;
    }

    public Builder prefetch(Prefetch value) {
      this.prefetch = value;
      return this;
    }

    public Builder fill(Fill value) {
      this.fill = value;
      return this;
    }

    public EdgeConfig build() {
      return new EdgeConfig(
          base.http,
          base.dataDir,
          base.cluster,
          base.region,
          base.publicUrl,
          requireTokens,
          base.playlistMaxAgeSeconds,
          base.heartbeatSeconds,
          cache,
          memory,
          origin,
          prefetch,
          fill);
    }
  }

  private static void nonNegative(String field, long value) {
    if (value < 0) {
      throw new ConfigValueException(field, "must be >= 0, got " + value);
    }
  }
}
