package org.reelbox.origin;

import static java.util.Objects.requireNonNull;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.Tokens;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.origin.internal.ControlPlaneStates;
import org.reelbox.origin.internal.JitPackager;
import org.reelbox.origin.internal.OriginService;
import org.reelbox.origin.internal.PlaybackHandler;
import org.reelbox.origin.internal.StoredObject;
import org.reelbox.origin.internal.TrafficReporter;
import org.reelbox.origin.internal.ViewerTraffic;

/**
 * The origin server: serves HLS playlists, segments, I-frame playlists, thumbnails and AES-128 keys
 * from transcoded storage, at {@code /v/{id}/…} and {@code /t/{token}/v/{id}/…}, and packages a
 * video that has none yet just in time from its H.264/AAC MP4 original. See docs/streaming.md for
 * paths, headers, tokens and caching.
 */
public final class OriginRole extends AbstractRole {
  public static final String NAME = "origin";

  private final OriginConfig config;
  private final Clock clock;
  private BlobStore blobs;

  public OriginRole(OriginConfig config) {
    this(config, Clock.systemUTC());
  }

  /** With the clock that token expiry is checked against (tests). */
  OriginRole(OriginConfig config, Clock clock) {
    super(NAME, requireNonNull(config, "config").dataDir());
    this.config = config;
    this.clock = requireNonNull(clock, "clock");
  }

  private OriginService service;

  @Override
  protected URI startServing(RoleContext context) throws Exception {
    blobs = context.openBlobStore(config.storage());
    ExecutorService blocking =
        Executors.newFixedThreadPool(
            config.blockingThreads(), new DefaultThreadFactory(NAME + "-storage", true));
    // Registered before the server, so closed after it: in-flight reads finish or fail first.
    context
        .closer()
        .register(
            (AutoCloseable)
                () -> {
                  blocking.shutdownNow();
                  blocking.awaitTermination(2, TimeUnit.SECONDS);
                });
    JitConfig jit = config.jit();
    JitPackager packager =
        jit.enabled()
            ? new JitPackager(
                blobs,
                new ControlPlaneStates(
                    config.cluster().controlPlaneUrl(),
                    ClusterAuth.of(config.cluster().secret()),
                    Duration.ofSeconds(jit.stateCacheSeconds())),
                jit.segmentSeconds(),
                jit.indexCacheSamples(),
                jit.maxConcurrentRemuxes(),
                jit.playlistMaxAgeSeconds(),
                context.metrics().registry())
            : null;
    OriginService service =
        new OriginService(
            StoredObject.Opener.of(blobs),
            new Tokens(KeyRing.derivedFrom(config.cluster().secret()), clock),
            config.requireTokens(),
            config.playlistMaxAgeSeconds(),
            blocking,
            context.metrics().registry(),
            packager);
    URI url = context.serveNetty(config.http(), List.of(() -> new PlaybackHandler(service)));
    TrafficConfig traffic = config.traffic();
    if (traffic.reportSeconds() > 0) {
      // Registered after the server, so closed before it: the last report follows the last byte
      // only approximately, which the cumulative counters make harmless (the next start reports
      // from zero and the ledger sees a restart).
      context
          .closer()
          .register(
              new TrafficReporter(
                      config.cluster().controlPlaneUrl(),
                      traffic.id().isEmpty() ? defaultId(url) : traffic.id(),
                      ClusterAuth.of(config.cluster().secret()),
                      service.viewerTraffic())
                  .start(Duration.ofSeconds(traffic.reportSeconds())));
    }
    this.service = service;
    return url;
  }

  /** This origin's name in the cost ledger: the host name and port, as an origin id allows. */
  static String defaultId(URI url) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "origin";
    }
    String id = (host + "-" + url.getPort()).replaceAll("[^A-Za-z0-9_-]", "-");
    id = id.replaceAll("^[^A-Za-z0-9]+", "");
    if (id.isEmpty()) {
      id = "origin-" + url.getPort();
    }
    return id.length() > 64 ? id.substring(0, 64) : id;
  }

  /** What this origin served straight to viewers; for tests. */
  public ViewerTraffic viewerTraffic() {
    return service.viewerTraffic();
  }

  /** The store the HLS output is served from. */
  BlobStore blobs() {
    return blobs;
  }
}
