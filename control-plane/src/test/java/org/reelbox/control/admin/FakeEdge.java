package org.reelbox.control.admin;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.reelbox.common.security.ClusterAuth;

/**
 * A stand-in for an edge box's purge endpoint on loopback, a real HTTP server that checks what the
 * edge's {@code PurgeHandler} checks: the cluster credential (401 without, 403 wrong) and {@code
 * DELETE /internal/cache/videos/{id}}. The edge's own purge is tested in edge-cache; roles do not
 * import each other, so this is the control plane's side of the contract.
 */
public final class FakeEdge implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  /** The paths of the purges it accepted. */
  public final List<String> purged = new CopyOnWriteArrayList<>();

  public FakeEdge(String clusterSecret) {
    ClusterAuth auth = ClusterAuth.of(clusterSecret);
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  String credential = request.getHeader(ClusterAuth.HEADER_NAME);
                  if (credential == null) {
                    error(request, 401, "UNAUTHORIZED");
                  } else if (!auth.isValid(credential)) {
                    error(request, 403, "FORBIDDEN");
                  } else if (request.method() != HttpMethod.DELETE
                      || !request.path().startsWith("/internal/cache/videos/")) {
                    error(request, 404, "NOT_FOUND");
                  } else {
                    purged.add(request.path());
                    String id = request.path().substring("/internal/cache/videos/".length());
                    request
                        .response()
                        .putHeader("Content-Type", "application/json")
                        .end("{\"videoId\":\"" + id + "\",\"removed\":3}");
                  }
                })
            .listen(0, "127.0.0.1")
            .await();
  }

  private static void error(io.vertx.core.http.HttpServerRequest request, int status, String code) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end("{\"error\":\"" + code + "\",\"message\":\"refused by the fake edge\"}");
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
