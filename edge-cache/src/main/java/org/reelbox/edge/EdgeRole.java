package org.reelbox.edge;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.edge.cache.SegmentCache;
import org.reelbox.edge.cache.SegmentCacheSettings;
import org.reelbox.edge.cache.internal.RocksSegmentCache;
import org.reelbox.edge.internal.EdgeHandler;
import org.reelbox.edge.internal.EdgeService;
import org.reelbox.edge.internal.Filler;
import org.reelbox.edge.internal.HttpFillSource;
import org.reelbox.edge.internal.PurgeHandler;
import org.reelbox.edge.register.EdgeId;
import org.reelbox.edge.register.EdgeRegistrar;

/**
 * The ISP edge box: serves {@code /v/…} and {@code /t/{token}/v/…} like the origin, from its two
 * cache tiers (memory, RocksDB under {@code dataDir/cache}) when it can and from the origins
 * (coalesced, with failover) when it must; {@code DELETE /internal/cache/videos/{id}} purges. See
 * docs/edge-cache.md. It registers with the control plane's edge registry and keeps reporting its
 * {@link #stats()} there ({@link EdgeRegistrar}, docs/edges.md).
 */
public final class EdgeRole extends AbstractRole {
  public static final String NAME = "edge";

  /** The first retry after a failed heartbeat; later ones double up to the interval. */
  private static final Duration HEARTBEAT_INITIAL_BACKOFF = Duration.ofSeconds(1);

  private final EdgeConfig config;
  private final Clock clock;
  private volatile EdgeService service;
  private volatile String edgeId;

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
    edgeId = EdgeId.loadOrCreate(context.dataDir());
    Path cacheDir = context.dataDir().resolve("cache");
    // The memory tier lives above the store (EdgeService), in direct buffers: the store's own
    // heap tier would only hold a second copy.
    SegmentCache cache =
        context
            .closer()
            .register(
                RocksSegmentCache.open(
                    cacheDir,
                    SegmentCacheSettings.of(config.cache().bytes())
                        .withMemoryTier(0, 0)
                        .withMaxObjectBytes(
                            Math.min(config.cache().maxObjectBytes(), config.cache().bytes()))));
    // Registered after the cache and before the server, so closed before the cache and after the
    // server: no request or disk task touches a closed store.
    EdgeService edge =
        context
            .closer()
            .register(new EdgeService(config, cache, clock, context.metrics().registry()));
    service = edge;
    context.health().addCheck("cache", () -> cache.stats());
    URI url =
        context.serveNetty(
            config.http(), List.of(() -> new EdgeHandler(edge), () -> new PurgeHandler(edge)));
    // Registered after the server, so closed before it: the heartbeats stop before the box stops
    // answering.
    startRegistrar(context, url);
    if (config.fill().enabled()) {
      // Local time: the off-peak window is the box's viewers' night.
      context
          .closer()
          .register(
              new Filler(
                  edge,
                  new HttpFillSource(
                      config.cluster().controlPlaneUrl(),
                      edgeId,
                      ClusterAuth.of(config.cluster().secret())),
                  config.fill(),
                  clock,
                  ZoneId.systemDefault()))
          .start(Duration.ofSeconds(config.fill().intervalSeconds()));
    }
    return url;
  }

  private void startRegistrar(RoleContext context, URI boundUrl) {
    String publicUrl = config.publicUrl().isEmpty() ? boundUrl.toString() : config.publicUrl();
    EdgeRegistrar registrar =
        context
            .closer()
            .register(
                new EdgeRegistrar(
                    new EdgeRegistrar.Settings(
                        config.cluster().controlPlaneUrl(),
                        ClusterAuth.of(config.cluster().secret()),
                        edgeId,
                        config.region(),
                        publicUrl,
                        config.cache().bytes(),
                        config.heartbeatInterval(),
                        HEARTBEAT_INITIAL_BACKOFF),
                    this::stats,
                    service.views(),
                    context.metrics().registry(),
                    clock));
    registrar.start();
  }

  /** The box's id in the control plane's edge registry (docs/edges.md); null before the start. */
  /** The serving core, once started; for tests. */
  public EdgeService service() {
    return service;
  }

  public String edgeId() {
    return edgeId;
  }

  /** The serving path's counters, for the registrar's heartbeats; zeros before the start. */
  public EdgeStats stats() {
    EdgeService s = service;
    return s == null
        ? new EdgeStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, config.cache().bytes())
        : s.stats();
  }
}
