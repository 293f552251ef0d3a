package org.reelbox.ingest;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import org.reelbox.common.http.VertxSupport;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.ingest.internal.TusServer;

/**
 * The ingest role: a Vert.x HTTP server that takes tus uploads into {@code originals/} and tells
 * the control plane (docs/upload.md, docs/tus.md).
 *
 * <p>Under its data dir: {@code uploads/} (uploads in progress, with the file store), {@code
 * staging/} (parts and checksummed chunks on their way; emptied at start) and {@code
 * notifications/} (completions the control plane has not acknowledged yet).
 */
public final class IngestRole extends AbstractRole {
  public static final String NAME = "ingest";

  private final IngestConfig config;
  private final Clock clock;
  private BlobStore blobs;
  private TusServer tus;

  public IngestRole(IngestConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * @param clock the time that tokens, upload expiry and the sweeper go by
   */
  public IngestRole(IngestConfig config, Clock clock) {
    super(NAME, requireNonNull(config, "config").dataDir());
    this.config = config;
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  protected URI startServing(RoleContext context) throws Exception {
    blobs = context.openBlobStore(config.storage());
    Path dataDir = context.dataDir();
    tus =
        context
            .closer()
            .register(TusServer.open(config, dataDir, blobs, context.metrics().registry(), clock));

    Vertx vertx = VertxSupport.newVertx(context.closer(), 8);
    Router router = Router.router(vertx);
    VertxSupport.mountAdmin(router, context.health(), context.metrics());
    tus.mount(router);
    // Closed in reverse: the server stops taking requests, then the bodies in flight are aborted
    // so that their workers store what arrived and return.
    context.closer().register(tus::stopAccepting);
    return VertxSupport.listen(
        vertx,
        new HttpServerOptions()
            .setIdleTimeout(config.uploads().idleTimeoutSeconds())
            // Netty's default hands a body over in 8 KiB pieces: 131,072 hand-offs to the worker
            // per GiB. Larger pieces cut that overhead (the upload benchmark measures it).
            .setMaxChunkSize(256 * 1024)
            // tus creation-with-upload: 100 Continue once the request is accepted.
            .setHandle100ContinueAutomatically(false),
        config.http(),
        router,
        context.closer());
  }

  /** The store that uploads are committed to. */
  BlobStore blobs() {
    return blobs;
  }
}
