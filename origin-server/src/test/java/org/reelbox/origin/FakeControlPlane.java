package org.reelbox.origin;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reelbox.common.security.ClusterAuth;

/**
 * The control plane's {@code GET /internal/videos/{id}/playback} and {@code POST
 * /internal/origins/{id}/stats}, and nothing else: the two calls the origin makes (roles cannot
 * import each other, so the real one is not started here; control-plane's InternalApiTest covers
 * the real endpoint). Checks the cluster credential like the real one, and counts calls.
 */
final class FakeControlPlane implements AutoCloseable {
  private static final Pattern PATH =
      Pattern.compile("/internal/videos/([A-Za-z0-9_-]{11})/playback");
  private static final Pattern STATS = Pattern.compile("/internal/origins/([A-Za-z0-9_-]+)/stats");

  private final HttpServer server;
  private final Map<String, String> states = new ConcurrentHashMap<>();
  final AtomicInteger calls = new AtomicInteger();

  /** Traffic reports received: "{origin id} {body}", in order. */
  final java.util.List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();

  FakeControlPlane(String secret) throws IOException {
    ClusterAuth auth = ClusterAuth.of(secret);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/internal/",
        exchange -> {
          calls.incrementAndGet();
          int status;
          String body;
          Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
          Matcher stats = STATS.matcher(exchange.getRequestURI().getPath());
          if (!auth.isValid(exchange.getRequestHeaders().getFirst(ClusterAuth.HEADER_NAME))) {
            status = 401;
            body = "{\"error\":\"UNAUTHORIZED\",\"message\":\"cluster credential required\"}";
          } else if (stats.matches() && exchange.getRequestMethod().equals("POST")) {
            reports.add(
                stats.group(1)
                    + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            status = 200;
            body = "{}";
          } else if (!m.matches() || !states.containsKey(m.group(1))) {
            status = 404;
            body = "{\"error\":\"NOT_FOUND\",\"message\":\"no such video\"}";
          } else {
            String[] s = states.get(m.group(1)).split(":");
            status = 200;
            body =
                "{\"id\":\""
                    + m.group(1)
                    + "\",\"state\":\""
                    + s[0]
                    + "\",\"playable\":"
                    + s[1]
                    + ",\"renditions\":[]}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  void set(String videoId, String state, boolean playable) {
    states.put(videoId, state + ":" + playable);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
