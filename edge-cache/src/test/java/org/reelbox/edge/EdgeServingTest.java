package org.reelbox.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.reelbox.edge.EdgeFixtures.OTHER;
import static org.reelbox.edge.EdgeFixtures.VIDEO;
import static org.reelbox.edge.EdgeFixtures.config;
import static org.reelbox.edge.EdgeFixtures.get;
import static org.reelbox.edge.EdgeFixtures.pattern;
import static org.reelbox.edge.EdgeFixtures.playToken;
import static org.reelbox.edge.EdgeFixtures.send;
import static org.reelbox.edge.EdgeFixtures.sha256;
import static org.reelbox.edge.EdgeFixtures.start;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;

/** The edge box end to end: a real Netty server and RocksDB in front of a staged test origin. */
class EdgeServingTest {
  static final String SEG0 = VIDEO + "/720p/0.ts";
  static final byte[] SEG0_BYTES = pattern(1 << 20, 1);
  static final byte[] SEG1_BYTES = pattern(300 * 1024, 2);

  @TempDir Path dir;
  TestOrigin origin;
  EdgeRole edge;

  @BeforeEach
  void setUp() throws IOException {
    origin = new TestOrigin();
    origin.put(SEG0, SEG0_BYTES).put(VIDEO + "/720p/1.ts", SEG1_BYTES);
    origin.put(OTHER + "/720p/0.ts", pattern(5000, 3));
    origin.put(VIDEO + "/keys/0.key", pattern(16, 9));
  }

  @AfterEach
  void tearDown() throws IOException {
    if (edge != null) {
      edge.close();
    }
    origin.close();
  }

  @Test
  void concurrentMisses_oneOriginFetch_identicalBytes() throws Exception {
    edge = start(config(dir, origin.url()));
    origin.delayMs(300); // every request arrives while the one fetch is in flight
    ExecutorService pool = Executors.newFixedThreadPool(100);
    try {
      List<Future<HttpResponse<byte[]>>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        futures.add(pool.submit((Callable<HttpResponse<byte[]>>) () -> get(edge, "/v/" + SEG0)));
      }
      Set<String> digests = new HashSet<>();
      for (var f : futures) {
        HttpResponse<byte[]> r = f.get();
        assertThat(r.statusCode()).isEqualTo(200);
        digests.add(sha256(r.body()));
      }
      assertThat(digests).containsExactly(sha256(SEG0_BYTES));
      assertThat(origin.fetches(SEG0)).isEqualTo(1);
      assertThat(edge.stats().coalescedWaits()).isGreaterThan(0);
    } finally {
      pool.shutdownNow();
    }
    // Stored: the next request is a hit, no fetch.
    var hit = get(edge, "/v/" + SEG0);
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(sha256(hit.body())).isEqualTo(sha256(SEG0_BYTES));
    assertThat(origin.fetches(SEG0)).isEqualTo(1);
    EdgeStats stats = edge.stats();
    assertThat(stats.originFetches()).isEqualTo(1);
    // Clients that connected after the fetch was stored were hits; the others joined it.
    assertThat(stats.requests()).isEqualTo(101);
    assertThat(stats.hits() + stats.misses()).isEqualTo(101);
    assertThat(stats.misses()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void originStopped_cachedStillServed_uncachedFailsFast() throws Exception {
    edge = start(config(dir, origin.url()));
    assertThat(get(edge, "/v/" + SEG0).statusCode()).isEqualTo(200);
    origin.close();

    var cached = get(edge, "/v/" + SEG0);
    assertThat(cached.statusCode()).isEqualTo(200);
    assertThat(cached.body()).isEqualTo(SEG0_BYTES);

    long t0 = System.nanoTime();
    var miss = get(edge, "/v/" + VIDEO + "/720p/1.ts");
    long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    assertThat(miss.statusCode()).isIn(502, 504);
    assertThat(new String(miss.body(), StandardCharsets.UTF_8)).contains("\"error\"");
    assertThat(ms).isLessThan(2000);
  }

  @Test
  void originHangs_missAnswers504WithinTwoSeconds() throws Exception {
    edge = start(config(dir, origin.url()));
    origin.mode(TestOrigin.Mode.SLOW_HEADERS);
    long t0 = System.nanoTime();
    var miss = get(edge, "/v/" + SEG0);
    long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    assertThat(miss.statusCode()).isEqualTo(504);
    assertThat(ms).isLessThan(2000);
    assertThat(edge.stats().originErrors()).isEqualTo(1);
  }

  @Test
  void failover_deadFirstOrigin_thenFirstAnswering500() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    try (TestOrigin failing = new TestOrigin()) {
      failing.mode(TestOrigin.Mode.ERROR_500);
      edge = start(config(dir, "http://127.0.0.1:" + deadPort, failing.url(), origin.url()));
      var r = get(edge, "/v/" + SEG0);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(SEG0_BYTES);
      assertThat(failing.fetches(SEG0)).isEqualTo(1);
      assertThat(origin.fetches(SEG0)).isEqualTo(1);
    }
  }

  @Test
  void allOrigins500_answers502() throws Exception {
    origin.mode(TestOrigin.Mode.ERROR_500);
    edge = start(config(dir, origin.url()));
    var r = get(edge, "/v/" + SEG0);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("BAD_GATEWAY");
    // The heartbeat's error rate counts it; a 4xx (a refused token) is the client's, not counted.
    assertThat(edge.stats().serverErrors()).isEqualTo(1);
    assertThat(get(edge, "/v/../etc/passwd").statusCode()).isBetween(400, 499);
    assertThat(edge.stats().serverErrors()).isEqualTo(1);
    assertThat(edge.stats().requests()).isEqualTo(2);
  }

  @Test
  void masterPlaylistRequests_areCountedAsViewsPerVideo() throws Exception {
    String master = VIDEO + "/master.m3u8";
    origin.put(master, "#EXTM3U\n".getBytes(StandardCharsets.UTF_8), "public, max-age=60");
    edge = start(config(dir, origin.url()));
    get(edge, "/v/" + master);
    get(edge, "/v/" + master);
    get(edge, "/v/" + SEG0);
    assertThat(edge.service().views().top(10)).containsExactly(java.util.Map.entry(VIDEO, 2L));
  }

  @Test
  void brokenMidway_storesNothing_nextRequestRefetches() throws Exception {
    edge = start(config(dir, origin.url()));
    origin.mode(TestOrigin.Mode.BREAK_MIDWAY);
    try {
      var r = get(edge, "/v/" + SEG0);
      // Headers went out before the break: the body can only be cut short.
      assertThat(r.body().length).isLessThan(SEG0_BYTES.length);
    } catch (IOException expected) {
      // the connection was closed under the client
    }
    origin.mode(TestOrigin.Mode.OK);
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.stats().originErrors() == 1);
    var again = get(edge, "/v/" + SEG0);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(again.body()).isEqualTo(SEG0_BYTES);
    assertThat(origin.fetches(SEG0)).isEqualTo(2);
  }

  @Test
  void slowSteadyBody_isNotCutByTheHeaderDeadline() throws Exception {
    edge = start(withTimeouts(config(dir, origin.url()), /* originTimeoutMs= */ 1000, 1000, 1000));
    origin.mode(TestOrigin.Mode.SLOW_BODY); // about 2 s of body, 200 ms between pieces
    var r = get(edge, "/v/" + SEG1);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(SEG1_BYTES);
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.stats().entries() == 1);
  }

  @Test
  void stalledBody_isBrokenOffAfterTheReadTimeout_storesNothing() throws Exception {
    edge =
        start(withTimeouts(config(dir, origin.url()), 1500, /* originReadTimeoutMs= */ 500, 1000));
    origin.mode(TestOrigin.Mode.STALL_MIDWAY);
    long t0 = System.nanoTime();
    try {
      var r = get(edge, "/v/" + SEG1);
      assertThat(r.body().length).isLessThan(SEG1_BYTES.length);
    } catch (IOException expected) {
      // closed under the client after the headers
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis()).isLessThan(2500);
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.stats().originErrors() == 1);
    assertThat(edge.stats().entries()).isZero();
  }

  @Test
  void refusedRequests_4xx_noOriginFetch() throws Exception {
    edge = start(config(dir, origin.url()));
    Tokens otherKey =
        new Tokens(
            KeyRing.derivedFrom("another-cluster-secret-0123456789abcdef"), Clock.systemUTC());
    String forged =
        otherKey.sign(
            TokenClaims.unsigned(VIDEO, TokenScope.PLAY, null, 0, Instant.now().plusSeconds(60)));
    String expired =
        EdgeFixtures.TOKENS.sign(
            TokenClaims.unsigned(VIDEO, TokenScope.PLAY, null, 0, Instant.now().minusSeconds(60)));
    String good = playToken(VIDEO);
    String tampered = good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BB" : "AA");

    assertThat(get(edge, "/t/" + forged + "/v/" + SEG0).statusCode()).isEqualTo(403);
    assertThat(get(edge, "/t/" + tampered + "/v/" + SEG0).statusCode()).isEqualTo(403);
    assertThat(get(edge, "/t/" + expired + "/v/" + SEG0).statusCode()).isEqualTo(410);
    assertThat(get(edge, "/t/" + playToken(OTHER) + "/v/" + SEG0).statusCode()).isEqualTo(403);
    assertThat(get(edge, "/v/" + VIDEO + "/keys/0.key").statusCode()).isEqualTo(403);
    assertThat(send(edge, "POST", "/v/" + SEG0).statusCode()).isEqualTo(405);
    for (String target :
        List.of(
            "/v/../../etc/passwd",
            "/v/" + VIDEO + "/720p/..%2f..%2fsecret.ts",
            "/v/" + VIDEO + "/720p/%2e%2e/0.ts",
            "/v//" + VIDEO + "/720p/0.ts",
            "/v/" + VIDEO + "/720p/00.ts",
            "/v/" + VIDEO + "/720p\\0.ts",
            "/t/" + good + "/v/" + VIDEO + "/../" + OTHER + "/720p/0.ts")) {
      assertThat(EdgeFixtures.rawStatusLine(edge, target))
          .as(target)
          .matches("HTTP/1.1 4\\d\\d .*");
    }
    assertThat(origin.totalFetches()).isZero();
  }

  @Test
  void tokens_strippedFromCacheKey_andRequiredWhenConfigured() throws Exception {
    edge = start(config(dir, origin.url()).toBuilder().requireTokens(true).build());
    assertThat(get(edge, "/v/" + SEG0).statusCode()).isEqualTo(403);
    var a = get(edge, "/t/" + playToken(VIDEO) + "/v/" + SEG0);
    assertThat(a.statusCode()).isEqualTo(200);
    Thread.sleep(1100); // another token
    var b = get(edge, "/t/" + playToken(VIDEO) + "/v/" + SEG0);
    assertThat(b.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(origin.fetches(SEG0)).isEqualTo(1);
    // The edge asks the origin with a token of its own for the video.
    assertThat(origin.tokensSeen).hasSize(1);
    assertThat(EdgeFixtures.TOKENS.verify(origin.tokensSeen.get(0), TokenScope.PLAY, VIDEO))
        .isNotNull();
  }

  @Test
  void keys_proxiedWithTheClientsToken_neverCached() throws Exception {
    edge = start(config(dir, origin.url()));
    String token = playToken(VIDEO);
    for (int i = 0; i < 2; i++) {
      var r = get(edge, "/t/" + token + "/v/" + VIDEO + "/keys/0.key");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(pattern(16, 9));
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
    assertThat(origin.fetches(VIDEO + "/keys/0.key")).isEqualTo(2);
    assertThat(origin.tokensSeen).containsExactly(token, token);
  }

  @Test
  void rangesHeadConditionalsCors_onMissAndOnHit() throws Exception {
    edge = start(config(dir, origin.url()));
    String seg1 = "/v/" + VIDEO + "/720p/1.ts";
    for (String expectedCache : List.of("MISS", "HIT")) {
      if (expectedCache.equals("HIT")) {
        // A range answer can end before the whole object has arrived and been stored; a request
        // in that window joins the fetch still in flight (a MISS). Wait for the stored copy.
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.stats().entries() == 1);
      }
      var r = get(edge, seg1, "Range", "bytes=100-199");
      assertThat(r.statusCode()).as(expectedCache).isEqualTo(206);
      assertThat(r.headers().firstValue("X-Cache")).hasValue(expectedCache);
      assertThat(r.headers().firstValue("Content-Range"))
          .hasValue("bytes 100-199/" + SEG1_BYTES.length);
      assertThat(r.body()).isEqualTo(java.util.Arrays.copyOfRange(SEG1_BYTES, 100, 200));
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
      assertThat(r.headers().firstValue("Cache-Control"))
          .hasValue("public, max-age=31536000, immutable");
    }
    var suffix = get(edge, seg1, "Range", "bytes=-10");
    assertThat(suffix.body())
        .isEqualTo(
            java.util.Arrays.copyOfRange(SEG1_BYTES, SEG1_BYTES.length - 10, SEG1_BYTES.length));
    assertThat(get(edge, seg1, "Range", "bytes=999999999-").statusCode()).isEqualTo(416);

    var full = get(edge, seg1);
    String etag = full.headers().firstValue("ETag").orElseThrow();
    assertThat(get(edge, seg1, "If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(get(edge, seg1, "If-Modified-Since", "Wed, 04 Nov 2026 10:00:00 GMT").statusCode())
        .isEqualTo(304);
    var head = send(edge, "HEAD", seg1);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Length"))
        .hasValue(String.valueOf(SEG1_BYTES.length));
    // Connection: close on a hit and on a miss (the raw client sends it).
    assertThat(EdgeFixtures.rawStatusLine(edge, seg1)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(EdgeFixtures.rawStatusLine(edge, "/v/" + OTHER + "/720p/0.ts"))
        .isEqualTo("HTTP/1.1 200 OK");
    assertThat(EdgeFixtures.rawStatusLine(edge, "/v/" + VIDEO + "/keys/0.key"))
        .isEqualTo("HTTP/1.1 403 Forbidden");
    var preflight = send(edge, "OPTIONS", seg1);
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValue("GET, HEAD, OPTIONS");

    // On a miss: HEAD, 304 and a range decided from the origin's headers before the body.
    String seg0 = "/v/" + SEG0;
    var headMiss = send(edge, "HEAD", seg0);
    assertThat(headMiss.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(headMiss.headers().firstValue("Content-Length"))
        .hasValue(String.valueOf(SEG0_BYTES.length));
    assertThat(headMiss.body()).isEmpty();
    assertThat(origin.fetches(SEG1)).isEqualTo(1);
  }

  static final String SEG1 = VIDEO + "/720p/1.ts";

  @Test
  void conditionalMiss_answers304() throws Exception {
    edge = start(config(dir, origin.url()));
    String etag = "\"" + Integer.toHexString(java.util.Arrays.hashCode(SEG1_BYTES)) + "\"";
    var r = get(edge, "/v/" + SEG1, "If-None-Match", etag);
    assertThat(r.statusCode()).isEqualTo(304);
    assertThat(r.headers().firstValue("X-Cache")).hasValue("MISS");
  }

  @Test
  void playlists_refetchedAfterMaxAge_servedStaleWhenOriginFails() throws Exception {
    String master = VIDEO + "/master.m3u8";
    origin.put(master, "#EXTM3U\n#v1\n".getBytes(StandardCharsets.UTF_8), "public, max-age=2");
    // max-age 2 s, not 1: on a loaded CI box two requests a few ms apart can straddle 1 s.
    edge = start(config(dir, origin.url()));
    assertThat(new String(get(edge, "/v/" + master).body(), StandardCharsets.UTF_8))
        .contains("#v1");
    var again = get(edge, "/v/" + master);
    assertThat(again.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(again.headers().firstValue("Cache-Control")).hasValue("public, max-age=2");
    assertThat(origin.fetches(master)).isEqualTo(1);

    origin.put(master, "#EXTM3U\n#v2\n".getBytes(StandardCharsets.UTF_8), "public, max-age=2");
    Thread.sleep(2100);
    assertThat(new String(get(edge, "/v/" + master).body(), StandardCharsets.UTF_8))
        .contains("#v2");
    assertThat(origin.fetches(master)).isEqualTo(2);

    origin.mode(TestOrigin.Mode.ERROR_500);
    Thread.sleep(2100);
    var stale = get(edge, "/v/" + master);
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(new String(stale.body(), StandardCharsets.UTF_8)).contains("#v2");
    assertThat(origin.fetches(master)).isEqualTo(3);
  }

  @Test
  void purge_removesOneVideoOnly_needsTheClusterSecret() throws Exception {
    edge = start(config(dir, origin.url()));
    get(edge, "/v/" + SEG0);
    get(edge, "/v/" + SEG1);
    get(edge, "/v/" + OTHER + "/720p/0.ts");
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.stats().entries() == 3);

    String purge = "/internal/cache/videos/" + VIDEO;
    assertThat(send(edge, "DELETE", purge).statusCode()).isEqualTo(401);
    assertThat(send(edge, "DELETE", purge, ClusterAuth.HEADER_NAME, "nope").statusCode())
        .isEqualTo(403);
    String auth = ClusterAuth.of(EdgeFixtures.SECRET).headerValue();
    assertThat(
            send(edge, "DELETE", "/internal/cache/videos/..%2f", ClusterAuth.HEADER_NAME, auth)
                .statusCode())
        .isEqualTo(400);
    var r = send(edge, "DELETE", purge, ClusterAuth.HEADER_NAME, auth);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"videoId\":\"" + VIDEO + "\",\"removed\":2}");
    assertThat(edge.stats().entries()).isEqualTo(1);

    var refetched = get(edge, "/v/" + SEG0);
    assertThat(refetched.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(origin.fetches(SEG0)).isEqualTo(2);
    var other = get(edge, "/v/" + OTHER + "/720p/0.ts");
    assertThat(other.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(origin.fetches(OTHER + "/720p/0.ts")).isEqualTo(1);
  }

  @Test
  void prefetch_popularVideosNextSegmentsAreCachedUnasked() throws Exception {
    for (int n = 2; n <= 4; n++) {
      origin.put(VIDEO + "/720p/" + n + ".ts", pattern(4000 + n, n));
    }
    edge =
        start(
            config(dir, origin.url()).toBuilder()
                .prefetch(new EdgeConfig.Prefetch(3, 2, 2))
                .build());
    get(edge, "/v/" + SEG0); // popularity 1: nothing
    Thread.sleep(200);
    assertThat(origin.fetches(SEG1)).isZero();
    get(edge, "/v/" + SEG0); // popularity 2: 1, 2, 3 (not 4)
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> origin.fetches(VIDEO + "/720p/3.ts") == 1 && edge.stats().entries() == 4);
    assertThat(origin.fetches(VIDEO + "/720p/4.ts")).isZero();
    for (int n = 1; n <= 3; n++) {
      var r = get(edge, "/v/" + VIDEO + "/720p/" + n + ".ts");
      assertThat(r.headers().firstValue("X-Cache")).as("segment " + n).hasValue("HIT");
    }
    assertThat(origin.fetches(SEG1)).isEqualTo(1);
    // Requests for 1..3 start runs too; a 404 past the end (5.ts) stops them.
    await().atMost(Duration.ofSeconds(5)).until(() -> origin.fetches(VIDEO + "/720p/5.ts") >= 1);
    assertThat(origin.fetches(VIDEO + "/720p/6.ts")).isZero();
    // The end is remembered: players near the end of a popular video do not make the box ask the
    // origin for the missing 5.ts again on every request.
    for (int round = 0; round < 3; round++) {
      for (int n = 2; n <= 4; n++) {
        get(edge, "/v/" + VIDEO + "/720p/" + n + ".ts");
      }
    }
    Thread.sleep(300);
    assertThat(origin.fetches(VIDEO + "/720p/5.ts")).isEqualTo(1);
  }

  @Test
  void lockTimeout_waiterFallsThroughToTheOrigin() throws Exception {
    edge = start(withTimeouts(config(dir, origin.url()), /* originTimeoutMs= */ 4000, 5000, 300));
    origin.delayMs(2000); // headers of every fetch come late
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<HttpResponse<byte[]>> first = pool.submit(() -> get(edge, "/v/" + SEG0));
      await().atMost(Duration.ofSeconds(2)).until(() -> origin.fetches(SEG0) == 1);
      long t0 = System.nanoTime();
      Future<HttpResponse<byte[]>> second = pool.submit(() -> get(edge, "/v/" + SEG0));
      // The second request gave up waiting for the first one's fetch after 300 ms, long before its
      // headers came, and asked the origin itself.
      await().atMost(Duration.ofMillis(1500)).until(() -> origin.fetches(SEG0) == 2);
      assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis()).isGreaterThanOrEqualTo(300);
      assertThat(edge.stats().coalescedWaits()).isEqualTo(1);
      assertThat(first.get().body()).isEqualTo(SEG0_BYTES);
      assertThat(second.get().body()).isEqualTo(SEG0_BYTES);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void metrics_exposeTheServingCounters() throws Exception {
    edge = start(config(dir, origin.url()));
    get(edge, "/v/" + SEG0);
    get(edge, "/v/" + SEG0);
    String metrics = new String(get(edge, "/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics)
        .contains("edge_requests_total{result=\"hit\"")
        .contains("edge_requests_total{result=\"miss\"")
        .contains("edge_origin_fetches_total")
        .contains("edge_coalesced_waits_total")
        .contains("edge_byte_hit_ratio")
        .contains("edge_cache_bytes_on_disk")
        .contains("edge_cache_evictions_total")
        .contains("edge_request_seconds{result=\"hit\"")
        .contains("quantile=\"0.99\"");
    EdgeStats stats = edge.stats();
    assertThat(stats.hits()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(1);
    assertThat(stats.byteHitRatio()).isEqualTo(0.5);
    assertThat(stats.capacityBytes()).isEqualTo(64L << 20);
  }

  private static EdgeConfig withTimeouts(
      EdgeConfig config, int originTimeoutMs, int originReadTimeoutMs, int lockTimeoutMs) {
    return config.toBuilder()
        .origin(config.origin().withTimeouts(originTimeoutMs, originReadTimeoutMs, lockTimeoutMs))
        .build();
  }
}
