package org.reelbox.ingest;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import org.reelbox.common.http.Urls;
import org.reelbox.common.http.VertxSupport;
import org.reelbox.common.role.Role;
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
public final class IngestRole implements Role {
  public static final String NAME = "ingest";

  private final IngestConfig config;
  private final Clock clock;
  private RoleContext context;
  private BlobStore blobs;
  private TusServer tus;
  private URI baseUrl;

  public IngestRole(IngestConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * @param clock the time that tokens, upload expiry and the sweeper go by
   */
  public IngestRole(IngestConfig config, Clock clock) {
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() throws Exception {
    context = RoleContext.open(NAME, config.dataDir());
    blobs = context.openBlobStore(config.storage());
    Path dataDir = context.dataDir();
    tus =
        context
            .closer()
            .register(TusServer.open(config, dataDir, blobs, context.metrics().registry(), clock));

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8));
    context.closer().register(() -> vertx.close().await());
    Router router = Router.router(vertx);
    VertxSupport.mountAdmin(router, context.health(), context.metrics());
    tus.mount(router);

    HttpServer server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost(config.http().host())
                    .setIdleTimeout(config.uploads().idleTimeoutSeconds())
                    // Netty's default hands a body over in 8 KiB pieces: 131,072 hand-offs to
                    // the worker per GiB. Larger pieces cut that overhead (measured: see the
                    // upload benchmark in the note of issue 3).
                    .setMaxChunkSize(256 * 1024)
                    // tus creation-with-upload: 100 Continue once the request is accepted.
                    .setHandle100ContinueAutomatically(false))
            .requestHandler(router)
            .listen(config.http().port())
            .await();
    // Closed first (the closer runs in reverse): no new requests, then the bodies in flight are
    // aborted so that their workers store what arrived and return.
    context.closer().register(tus::stopAccepting);
    context.closer().register(() -> server.close().await());
    baseUrl =
        Urls.httpBase(
            config.http().host(), new InetSocketAddress(config.http().host(), server.actualPort()));
    context.ready(baseUrl);
  }

  @Override
  public URI baseUrl() {
    if (baseUrl == null) {
      throw new IllegalStateException(NAME + " not started");
    }
    return baseUrl;
  }

  /** The store that uploads are committed to. */
  BlobStore blobs() {
    return blobs;
  }

  @Override
  public void close() {
    if (context != null) {
      context.close();
    }
  }
}
