package org.reelbox.control.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.edges.EdgeStatsReport;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.UserRole;

/** {@code POST /internal/edges/{id}/heartbeat} and {@code GET /api/v1/admin/edges}. */
class EdgesApiTest {
  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller creator;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp = TestControlPlane.start(dataDir);
    creator = cp.caller("carol", UserRole.CREATOR);
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  /** A valid heartbeat body, changed by {@code edit}. */
  private static String heartbeat(Consumer<ObjectNode> edit) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("region", "isp-a");
    o.put("publicUrl", "http://edge.isp-a.example:8083");
    o.put("capacityBytes", 10_737_418_240L);
    ObjectNode stats = o.putObject("stats");
    for (int i = 0; i < EdgeStatsReport.FIELDS.size(); i++) {
      stats.put(EdgeStatsReport.FIELDS.get(i), i * 10L);
    }
    // requests is 0, so no 5xx either.
    stats.put("serverErrors", 0);
    edit.accept(o);
    return Json.write(o);
  }

  private static String heartbeat() {
    return heartbeat(o -> {});
  }

  private static JsonNode edge(String id) {
    HttpResponse<String> list = cp.send("GET", "/api/v1/admin/edges", cp.adminKey, null);
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    for (JsonNode e : json(list).get("edges")) {
      if (e.get("id").asText().equals(id)) {
        return e;
      }
    }
    return null;
  }

  @Test
  void heartbeat_firstThenAgain_201Then200AndListedHealthyWithStats() {
    HttpResponse<String> first = cp.internal("/internal/edges/box-first/heartbeat", heartbeat());
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(json(first).get("registered").asBoolean()).isTrue();
    assertThat(json(first).get("heartbeatTimeoutSeconds").asLong()).isEqualTo(30);
    Instant firstSeen = Instant.parse(edge("box-first").get("lastSeenAt").asText());

    HttpResponse<String> again =
        cp.internal(
            "/internal/edges/box-first/heartbeat",
            heartbeat(o -> ((ObjectNode) o.get("stats")).put("hits", 777)));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(json(again).get("registered").asBoolean()).isFalse();

    JsonNode e = edge("box-first");
    assertThat(e).isNotNull();
    assertThat(e.get("region").asText()).isEqualTo("isp-a");
    assertThat(e.get("publicUrl").asText()).isEqualTo("http://edge.isp-a.example:8083");
    assertThat(e.get("capacityBytes").asLong()).isEqualTo(10_737_418_240L);
    assertThat(e.get("healthy").asBoolean()).isTrue();
    assertThat(e.get("heartbeats").asLong()).isEqualTo(2);
    assertThat(Instant.parse(e.get("lastSeenAt").asText())).isAfterOrEqualTo(firstSeen);
    assertThat(e.get("firstSeenAt").asText()).isNotBlank();
    JsonNode stats = e.get("stats");
    assertThat(stats.get("hits").asLong()).isEqualTo(777);
    assertThat(stats.get("requests").asLong()).isEqualTo(0);
    assertThat(stats.get("capacityBytes").asLong()).isEqualTo(120);
    assertThat(stats.size()).isEqualTo(EdgeStatsReport.FIELDS.size());
  }

  @Test
  void heartbeat_withoutClusterCredential_401AndNothingRecorded() {
    HttpRequest request =
        HttpRequest.newBuilder(cp.base.resolve("/internal/edges/box-noauth/heartbeat"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(heartbeat(), UTF_8))
            .build();
    assertError(cp.send(request), 401, "UNAUTHORIZED");

    HttpRequest wrongSecret =
        HttpRequest.newBuilder(cp.base.resolve("/internal/edges/box-noauth/heartbeat"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .header(
                ClusterAuth.HEADER_NAME,
                ClusterAuth.of("another-cluster-secret-0123456789-abcdef").headerValue())
            .POST(HttpRequest.BodyPublishers.ofString(heartbeat(), UTF_8))
            .build();
    assertError(cp.send(wrongSecret), 401, "UNAUTHORIZED");

    // Not even an admin's API key opens /internal.
    assertError(
        cp.send("POST", "/internal/edges/box-noauth/heartbeat", cp.adminKey, heartbeat()),
        401,
        "UNAUTHORIZED");
    assertThat(cp.role.edges().find("box-noauth")).isEmpty();
  }

  @Test
  void list_notAdmin_403WithoutKey401() {
    assertError(cp.send("GET", "/api/v1/admin/edges", creator.key(), null), 403, "FORBIDDEN");
    assertError(cp.send("GET", "/api/v1/admin/edges", null, null), 401, "UNAUTHORIZED");
  }

  @Test
  void heartbeat_badInputs_400NamingTheProblemAndNothingRecorded() {
    String path = "/internal/edges/box-bad/heartbeat";
    record Case(String body, String expected) {}
    Case[] cases = {
      new Case("not json", "not valid JSON"),
      new Case("[1,2]", "JSON object"),
      new Case(heartbeat(o -> o.put("colour", "red")), "unknown field 'colour'"),
      new Case(
          heartbeat(o -> ((ObjectNode) o.get("stats")).put("hitz", 1)),
          "unknown field 'stats.hitz'"),
      new Case(heartbeat(o -> o.remove("region")), "region is required"),
      new Case(heartbeat(o -> o.remove("stats")), "stats is required"),
      new Case(
          heartbeat(o -> ((ObjectNode) o.get("stats")).remove("misses")),
          "stats.misses is required"),
      new Case(heartbeat(o -> o.put("stats", 5)), "stats must be an object"),
      new Case(heartbeat(o -> o.put("capacityBytes", -1)), "capacityBytes must not be negative"),
      new Case(heartbeat(o -> o.put("capacityBytes", "12")), "capacityBytes must be an integer"),
      new Case(heartbeat(o -> o.put("capacityBytes", 1.5)), "capacityBytes must be an integer"),
      new Case(
          heartbeat(o -> o.put("capacityBytes", new java.math.BigInteger("99999999999999999999"))),
          "capacityBytes is out of range"),
      new Case(
          heartbeat(o -> ((ObjectNode) o.get("stats")).put("hitBytes", -5)),
          "stats.hitBytes must not be negative"),
      new Case(heartbeat(o -> o.put("publicUrl", "ftp://edge.example")), "publicUrl must be"),
      new Case(heartbeat(o -> o.put("publicUrl", "http://edge.example/?a=1")), "no user info"),
      new Case(heartbeat(o -> o.put("publicUrl", "edge.example:8083")), "publicUrl must be"),
      new Case(heartbeat(o -> o.put("publicUrl", "http://x y")), "not a valid URL"),
      new Case(heartbeat(o -> o.put("region", "")), "region must be"),
      new Case(heartbeat(o -> o.put("region", "isp a")), "region must be"),
      new Case(heartbeat(o -> o.putNull("region")), "region must be a string"),
      new Case(
          heartbeat(o -> ((ObjectNode) o.get("stats")).put("serverErrors", 1)),
          "stats.serverErrors (1) cannot exceed stats.requests (0)"),
      new Case(heartbeat(o -> o.put("views", 3)), "views must be an object"),
      new Case(heartbeat(o -> o.putObject("views").put("short", 1)), "views: "),
      new Case(heartbeat(o -> o.putObject("views").put("AbCdEfGhIjK", 0)), "between 1 and"),
      new Case(heartbeat(o -> o.putObject("views").put("AbCdEfGhIjK", "2")), "must be an integer"),
      new Case(
          heartbeat(
              o -> {
                ObjectNode v = o.putObject("views");
                for (int i = 0; i <= 1000; i++) {
                  v.put(String.format("v%010d", i), 1);
                }
              }),
          "at most 1000 videos"),
    };
    for (Case c : cases) {
      JsonNode error =
          assertError(
              cp.internal(path, c.body()),
              400,
              c.body().equals("not json") || c.body().startsWith("[")
                  ? "INVALID_JSON"
                  : "VALIDATION_FAILED");
      assertThat(error.get("message").asText()).as(c.body()).contains(c.expected());
    }
    assertThat(cp.role.edges().find("box-bad")).isEmpty();
  }

  @Test
  void heartbeat_malformedId_400() {
    for (String id : new String[] {"-box", "box.1", "b%C3%A9", "x".repeat(65)}) {
      JsonNode error =
          assertError(
              cp.internal("/internal/edges/" + id + "/heartbeat", heartbeat()),
              400,
              "VALIDATION_FAILED");
      assertThat(error.get("message").asText()).as(id).contains("edge id");
    }
  }

  @Test
  void heartbeat_views_scoreTheVideosThatExistInTheBoxsRegion() throws Exception {
    var owner = cp.caller("edge-views-owner", UserRole.CREATOR);
    var video = cp.store().createVideo(NewVideo.titled(owner.user().id(), "popular at the box"));
    String id = video.id().value();
    String body =
        heartbeat(
            o -> {
              o.put("region", "isp-views");
              o.putObject("views").put(id, 7).put("NoSuchVideo", 3);
            });
    assertThat(cp.internal("/internal/edges/box-views/heartbeat", body).statusCode())
        .isEqualTo(201);

    java.time.Instant now = java.time.Instant.now();
    double score = cp.role.popularity().score(video.id(), "isp-views", now);
    assertThat(score).isBetween(6.9, 7.0);
    assertThat(cp.role.popularity().score(video.id(), "isp-a", now)).isZero();
    // A made-up id scores nothing anywhere.
    assertThat(cp.role.popularity().top("isp-views", 10, now))
        .extracting(r -> r.video().value())
        .containsExactly(id);
  }

  @Test
  void heartbeat_errorRate_shownAndUnhealthyAboveTheLimit() {
    String ok =
        heartbeat(o -> ((ObjectNode) o.get("stats")).put("requests", 1000).put("serverErrors", 10));
    assertThat(cp.internal("/internal/edges/box-err/heartbeat", ok).statusCode()).isEqualTo(201);
    JsonNode e = edge("box-err");
    assertThat(e.get("errorRate").asDouble()).isEqualTo(0.01);
    assertThat(e.get("healthy").asBoolean()).isTrue();

    String failing =
        heartbeat(o -> ((ObjectNode) o.get("stats")).put("requests", 1100).put("serverErrors", 90));
    assertThat(cp.internal("/internal/edges/box-err/heartbeat", failing).statusCode())
        .isEqualTo(200);
    e = edge("box-err");
    assertThat(e.get("errorRate").asDouble()).isEqualTo(0.8);
    assertThat(e.get("healthy").asBoolean()).isFalse();
  }
}
