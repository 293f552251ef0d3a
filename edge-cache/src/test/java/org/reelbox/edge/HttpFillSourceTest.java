package org.reelbox.edge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.edge.internal.HttpFillSource;

/** The box's side of {@code GET /internal/edges/{id}/fill}, against a loopback stand-in. */
class HttpFillSourceTest {
  private HttpServer server;
  private final AtomicReference<String> answer = new AtomicReference<>();
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final AtomicReference<String> seenPath = new AtomicReference<>();
  private final AtomicReference<String> seenAuth = new AtomicReference<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          seenPath.set(ex.getRequestURI().getPath());
          seenAuth.set(ex.getRequestHeaders().getFirst(ClusterAuth.HEADER_NAME));
          byte[] body = answer.get().getBytes(UTF_8);
          ex.sendResponseHeaders(status.get(), body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpFillSource source() {
    return new HttpFillSource(
        "http://127.0.0.1:" + server.getAddress().getPort(),
        "box-1",
        ClusterAuth.of(EdgeFixtures.SECRET));
  }

  @Test
  void videos_inOrder_withTheClusterCredential_badIdsDropped() throws Exception {
    answer.set(
        "{\"region\":\"isp-a\",\"edgeId\":\"box-1\",\"videos\":[{\"videoId\":\"bbbbbbbbbbb\","
            + "\"score\":9.5},{\"videoId\":\"../etc/pass\",\"score\":3},{\"videoId\":\"aaaaaaaaaaa\","
            + "\"score\":1}]}");
    assertThat(source().videos()).containsExactly("bbbbbbbbbbb", "aaaaaaaaaaa");
    assertThat(seenPath.get()).isEqualTo("/internal/edges/box-1/fill");
    assertThat(seenAuth.get()).isEqualTo(ClusterAuth.of(EdgeFixtures.SECRET).headerValue());
  }

  @Test
  void non200_isAnError() {
    status.set(404);
    answer.set("{\"error\":\"NOT_FOUND\",\"message\":\"no such edge\"}");
    assertThatThrownBy(() -> source().videos())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("404");
  }

  @Test
  void emptyList() throws Exception {
    answer.set("{\"videos\":[]}");
    assertThat(source().videos()).isEqualTo(List.of());
  }
}
