package org.reelbox.edge.register;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.edge.EdgeStats;
import org.reelbox.edge.ViewCounts;

/**
 * The registrar against a loopback HTTP server standing in for the control plane's heartbeat
 * endpoint, so that the test decides what it answers and when (the real control plane is in the
 * packaging tests: roles never import each other).
 */
class EdgeRegistrarTest {
  private static final String SECRET = "test-cluster-secret-0123456789-abcdefghij";
  private static final ClusterAuth AUTH = ClusterAuth.of(SECRET);

  private record Received(long atNanos, String path, boolean authorized, JsonNode body) {}

  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  // How many requests, from the first, are answered 503.
  private final AtomicInteger failFirst = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private EdgeRegistrar registrar;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/",
        exchange -> {
          long n = requests.incrementAndGet();
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  System.nanoTime(),
                  exchange.getRequestURI().getPath(),
                  AUTH.isValid(exchange.getRequestHeaders().getFirst(ClusterAuth.HEADER_NAME)),
                  Json.mapper().readTree(body)));
          int status = n <= failFirst.get() ? 503 : n == failFirst.get() + 1 ? 201 : 200;
          byte[] answer = "{\"id\":\"x\"}".getBytes(UTF_8);
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    if (registrar != null) {
      registrar.close();
    }
    server.stop(0);
  }

  private final ViewCounts views = new ViewCounts();

  private EdgeRegistrar registrar(Duration interval, Duration backoff, long[] hits) {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    return new EdgeRegistrar(
        new EdgeRegistrar.Settings(
            url, AUTH, "edge-test1", "isp-a", "http://edge.example:8083", 1000, interval, backoff),
        () -> new EdgeStats(hits[0], hits[0], 0, 7, 0, 0, 0, 0, 0, 0, 3, 500, 1000),
        views,
        meters,
        Clock.systemUTC());
  }

  private double counter(String outcome) {
    return meters.get("reelbox_edge_heartbeats").tag("outcome", outcome).counter().count();
  }

  @Test
  void start_controlPlaneAnswers_heartbeatsWithCredentialIdAndFreshStatsEveryInterval() {
    long[] hits = {5};
    registrar = registrar(Duration.ofMillis(200), Duration.ofMillis(50), hits);
    registrar.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 1);
    hits[0] = 9;
    // Three beats received and answered (the answer of the last may still be in flight).
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 3 && counter("ok") >= 3);

    Received first = received.get(0);
    assertThat(first.path()).isEqualTo("/internal/edges/edge-test1/heartbeat");
    assertThat(first.authorized()).isTrue();
    JsonNode body = first.body();
    assertThat(body.get("region").asText()).isEqualTo("isp-a");
    assertThat(body.get("publicUrl").asText()).isEqualTo("http://edge.example:8083");
    assertThat(body.get("capacityBytes").asLong()).isEqualTo(1000);
    assertThat(body.get("stats").get("hits").asLong()).isEqualTo(5);
    assertThat(body.get("stats").get("bytesOnDisk").asLong()).isEqualTo(500);
    // Exactly EdgeStats' fields: the control plane refuses unknown ones.
    assertThat(body.get("stats").size()).isEqualTo(EdgeStats.class.getRecordComponents().length);
    assertThat(body.size()).isEqualTo(5);
    assertThat(body.get("views").size()).isZero();
    // Each beat reads the supplier again.
    assertThat(received.get(received.size() - 1).body().get("stats").get("hits").asLong())
        .isEqualTo(9);
    // About one interval apart (±10% jitter, and scheduling slack on a busy machine).
    long gapMillis = (received.get(2).atNanos() - received.get(1).atNanos()) / 1_000_000;
    assertThat(gapMillis).isBetween(170L, 1500L);
    assertThat(registrar.lastSuccessAt()).isNotNull();
    assertThat(counter("ok")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void start_controlPlaneFailing_retriesSoonerThanTheIntervalThenSettles() {
    failFirst.set(3);
    registrar = registrar(Duration.ofSeconds(2), Duration.ofMillis(50), new long[] {0});
    registrar.start();

    // 3 failures (retries after ~50, ~100, ~200 ms), then the registration: well within one
    // interval of 2 s.
    // The 4th request has arrived; its answer may still be on its way back to the registrar.
    await()
        .atMost(Duration.ofMillis(1800))
        .until(() -> received.size() >= 4 && registrar.lastSuccessAt() != null);
    assertThat(registrar.lastSuccessAt()).isNotNull();
    assertThat(counter("failed")).isEqualTo(3);
    assertThat(counter("ok")).isEqualTo(1);
    long retryGap = (received.get(1).atNanos() - received.get(0).atNanos()) / 1_000_000;
    assertThat(retryGap).isLessThan(1000);
  }

  @Test
  void views_areSentWithTheNextBeat_andKeptUntilTheControlPlaneTakesThem() {
    failFirst.set(2);
    views.count("AbCdEfGhIjK");
    views.count("AbCdEfGhIjK");
    views.count("zzzzzzzzzzz");
    registrar = registrar(Duration.ofMillis(300), Duration.ofMillis(50), new long[] {0});
    registrar.start();

    // Two refused beats carried the views and kept them; the third was taken, and emptied them.
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 3 && counter("ok") >= 1);
    for (int i = 0; i < 3; i++) {
      JsonNode v = received.get(i).body().get("views");
      assertThat(v.get("AbCdEfGhIjK").asLong()).as("beat %d", i).isEqualTo(2);
      assertThat(v.get("zzzzzzzzzzz").asLong()).as("beat %d", i).isEqualTo(1);
    }
    assertThat(views.top(10)).isEmpty();
    // A view after the acknowledged beat goes with the next one, alone.
    views.count("zzzzzzzzzzz");
    int before = received.size();
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() > before);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                received.stream()
                    .skip(before)
                    .anyMatch(r -> r.body().get("views").path("zzzzzzzzzzz").asLong() == 1));
  }

  @Test
  void viewCounts_areBoundedInVideos() {
    for (int i = 0; i < ViewCounts.MAX_VIDEOS + 5; i++) {
      views.count(String.format("v%010d", i));
    }
    assertThat(views.dropped()).isEqualTo(5);
    assertThat(views.top(3)).hasSize(3);
  }

  @Test
  void start_nothingListening_keepsTryingWithoutThrowing() {
    server.stop(0);
    registrar = registrar(Duration.ofMillis(200), Duration.ofMillis(20), new long[] {0});
    registrar.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> counter("failed") >= 3);
    assertThat(registrar.lastSuccessAt()).isNull();
  }

  @Test
  void start_statsSupplierThrows_countedAsFailureAndRetried() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    AtomicInteger calls = new AtomicInteger();
    registrar =
        new EdgeRegistrar(
            new EdgeRegistrar.Settings(
                url,
                AUTH,
                "edge-test1",
                "isp-a",
                "http://edge.example:8083",
                1000,
                Duration.ofMillis(200),
                Duration.ofMillis(20)),
            () -> {
              if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("cache closed");
              }
              return new EdgeStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1000);
            },
            views,
            meters,
            Clock.systemUTC());
    registrar.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 1);
    assertThat(counter("failed")).isEqualTo(2);
  }

  @Test
  void close_stopsHeartbeats() throws Exception {
    registrar = registrar(Duration.ofMillis(50), Duration.ofMillis(20), new long[] {0});
    registrar.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 2);

    registrar.close();
    int after = received.size();
    Thread.sleep(300);

    assertThat(received.size()).isEqualTo(after);
  }

  @Test
  void backoff_doublesFromTheInitialDelayCappedByTheInterval() {
    registrar = registrar(Duration.ofSeconds(10), Duration.ofSeconds(1), new long[] {0});

    assertThat(registrar.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(registrar.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(registrar.backoff(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(registrar.backoff(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(registrar.backoff(1_000_000)).isEqualTo(Duration.ofSeconds(10));
  }
}
