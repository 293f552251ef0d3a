package org.reelbox.edge;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;
import org.reelbox.edge.cache.SegmentCache;
import org.reelbox.edge.cache.SegmentCacheSettings;
import org.reelbox.edge.cache.internal.RocksSegmentCache;
import org.reelbox.edge.internal.EdgeHandler;
import org.reelbox.edge.internal.EdgeService;
import org.reelbox.edge.internal.PurgeHandler;

/**
 * The ISP edge box: serves {@code /v/…} and {@code /t/{token}/v/…} like the origin, from its two
 * cache tiers (memory, RocksDB under {@code dataDir/cache}) when it can and from the origins
 * (coalesced, with failover) when it must; {@code DELETE /internal/cache/videos/{id}} purges. See
 * docs/edge-cache.md.
 */
public final class EdgeRole extends AbstractRole {
  public static final String NAME = "edge";

  private final EdgeConfig config;
  private final Clock clock;
  private volatile EdgeService service;

  public EdgeRole(EdgeConfig config) {
    this(config, Clock.systemUTC());
  }

  /** With the clock that token expiry is checked against (tests). */
  EdgeRole(EdgeConfig config, Clock clock) {
    super(NAME, requireNonNull(config, "config").dataDir());
    this.config = config;
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  protected URI startServing(RoleContext context) throws Exception {
    Path cacheDir = context.dataDir().resolve("cache");
    // The memory tier lives above the store (EdgeService), in direct buffers: the store's own
    // heap tier would only hold a second copy.
    SegmentCache cache =
        context
            .closer()
            .register(
                RocksSegmentCache.open(
                    cacheDir,
                    SegmentCacheSettings.of(config.cacheBytes())
                        .withMemoryTier(0, 0)
                        .withMaxObjectBytes(
                            Math.min(config.maxObjectBytes(), config.cacheBytes()))));
    // Registered after the cache and before the server, so closed before the cache and after the
    // server: no request or disk task touches a closed store.
    EdgeService edge =
        context
            .closer()
            .register(new EdgeService(config, cache, clock, context.metrics().registry()));
    service = edge;
    context.health().addCheck("cache", () -> cache.stats());
    // Registration and heartbeats (org.reelbox.edge.register.EdgeRegistrar) plug in here, with
    // this::stats as their Supplier<EdgeStats> and config.publicUrl()/region() (or the bound URL).
    return context.serveNetty(
        config.http(), List.of(() -> new EdgeHandler(edge), () -> new PurgeHandler(edge)));
  }

  /** The serving path's counters, for the registrar's heartbeats; zeros before the start. */
  public EdgeStats stats() {
    EdgeService s = service;
    return s == null
        ? new EdgeStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, config.cacheBytes())
        : s.stats();
  }

  /** {@link #stats()} as the registrar consumes it. */
  public Supplier<EdgeStats> statsSupplier() {
    return this::stats;
  }
}
