package org.reelbox.edge;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.edge.register.EdgeId;
import org.reelbox.edge.register.EdgeRegistrar;

/** The ISP edge box: caches popular segments and falls back to the origin. */
public final class EdgeRole extends AbstractRole {
  public static final String NAME = "edge";

  /** The first retry after a failed heartbeat; later ones double up to the interval. */
  private static final Duration HEARTBEAT_INITIAL_BACKOFF = Duration.ofSeconds(1);

  private final EdgeConfig config;
  private final Clock clock;
  private volatile String edgeId;

  public EdgeRole(EdgeConfig config) {
    this(config, Clock.systemUTC());
  }

  public EdgeRole(EdgeConfig config, Clock clock) {
    super(NAME, requireNonNull(config, "config").dataDir());
    this.config = config;
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  protected URI startServing(RoleContext context) throws Exception {
    edgeId = EdgeId.loadOrCreate(context.dataDir());
    URI url = context.serveNetty(config.http(), List.of());
    // Registered after the server, so closed before it: the box leaves the registry's care
    // (its heartbeats stop) before it stops answering.
    startRegistrar(context, url, this::stats);
    return url;
  }

  private void startRegistrar(RoleContext context, URI boundUrl, Supplier<EdgeStats> stats) {
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
                        config.cacheBytes(),
                        config.heartbeatInterval(),
                        HEARTBEAT_INITIAL_BACKOFF),
                    stats,
                    context.metrics().registry(),
                    clock));
    registrar.start();
  }

  // What the box reports until the serving path (issue 5) produces real counters: it serves
  // nothing yet, and stores nothing.
  private EdgeStats stats() {
    return new EdgeStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, config.cacheBytes());
  }

  /** The box's id in the control plane's edge registry; null before the role started. */
  public String edgeId() {
    return edgeId;
  }
}
