package org.reelbox.ingest;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.InetSocketAddress;
import java.net.URI;
import org.reelbox.common.http.Urls;
import org.reelbox.common.http.VertxSupport;
import org.reelbox.common.role.Role;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.storage.BlobStore;

/** The ingest role: a Vert.x HTTP server that takes uploads into {@code originals/}. */
public final class IngestRole implements Role {
  public static final String NAME = "ingest";

  private final IngestConfig config;
  private RoleContext context;
  private BlobStore blobs;
  private URI baseUrl;

  public IngestRole(IngestConfig config) {
    this.config = requireNonNull(config, "config");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() throws Exception {
    context = RoleContext.open(NAME, config.dataDir());
    blobs = context.openBlobStore(config.storage());

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8));
    context.closer().register(() -> vertx.close().await());
    Router router = Router.router(vertx);
    VertxSupport.mountAdmin(router, context.health(), context.metrics());

    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost(config.http().host()))
            .requestHandler(router)
            .listen(config.http().port())
            .await();
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
