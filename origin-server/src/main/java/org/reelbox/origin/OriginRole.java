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
    return context.serveNetty(config.http(), List.of(() -> new PlaybackHandler(service)));
  }

  /** The store the HLS output is served from. */
  BlobStore blobs() {
    return blobs;
  }
}
