package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.edges.EdgeHeartbeat;
import org.reelbox.control.edges.EdgeStatsReport;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoTransition;

/**
 * The view beacon, the admin's top-N and the edges' fill lists on a real control plane. Every
 * viewer address is in region "default" until the CIDR table exists, so region A here is "default"
 * and region B another; views in B are recorded directly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PopularityApiTest {
  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller creator;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp = TestControlPlane.start(dataDir);
    creator = cp.caller("pat", UserRole.CREATOR);
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  private static Video readyVideo(String title) {
    Video v = cp.store().createVideo(NewVideo.titled(creator.user().id(), title));
    cp.store().transitionVideo(VideoTransition.uploaded(v.id(), 10, "a".repeat(64)));
    cp.store().transitionVideo(VideoTransition.processing(v.id()));
    cp.store().transitionVideo(VideoTransition.ready(v.id(), 1000L));
    return v;
  }

  private static HttpResponse<String> view(String body) {
    return cp.send("POST", PopularityApi.VIEW_PATH, null, body);
  }

  private static HttpResponse<String> fill(String edgeId) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(cp.base.resolve("/internal/edges/" + edgeId + "/fill"))
            .timeout(Duration.ofSeconds(20))
            .GET();
    ClusterAuth.of(TestControlPlane.SECRET).apply(request);
    return cp.send(request.build());
  }

  private static void register(String edgeId, String region) {
    cp.role
        .edges()
        .heartbeat(
            new EdgeHeartbeat(
                edgeId,
                region,
                "http://" + edgeId + ".example:8083",
                1_000_000,
                EdgeStatsReport.of(new long[EdgeStatsReport.FIELDS.size()])));
  }

  private static List<String> ids(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.get("videos").forEach(v -> ids.add(v.get("videoId").asText()));
    return ids;
  }

  @Test
  void views_inRegionA_inAsFillListNotBs() {
    Video hit = readyVideo("hit in A");
    Video other = readyVideo("hit in B");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = view(body("videoId", hit.id().value(), "position", 12.5));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }
    cp.role.popularity().recordViews(other.id(), "isp-b", 5, Instant.now());
    register("box-a", "default");
    register("box-b", "isp-b");

    HttpResponse<String> a = fill("box-a");
    assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
    assertThat(json(a).get("region").asText()).isEqualTo("default");
    assertThat(ids(json(a))).contains(hit.id().value()).doesNotContain(other.id().value());
    HttpResponse<String> b = fill("box-b");
    assertThat(ids(json(b))).containsExactly(other.id().value());

    HttpResponse<String> top =
        cp.send("GET", "/api/v1/admin/popularity?region=default&limit=5", cp.adminKey, null);
    assertThat(top.statusCode()).as(top.body()).isEqualTo(200);
    JsonNode first = json(top).get("videos").get(0);
    assertThat(first.get("videoId").asText()).isEqualTo(hit.id().value());
    assertThat(first.get("score").asDouble()).isBetween(2.99, 3.0);
  }

  @Test
  void fill_dropsVideosNoLongerReady_andUnknownEdgeIs404() {
    Video gone = cp.store().createVideo(NewVideo.titled(creator.user().id(), "never ready"));
    cp.role.popularity().recordViews(gone.id(), "isp-c", 100, Instant.now());
    register("box-c", "isp-c");
    assertThat(ids(json(fill("box-c")))).isEmpty();
    assertError(fill("no-such-box"), 404, "NOT_FOUND");
    assertError(fill("bad%20id"), 400, "VALIDATION_FAILED");
  }

  @Test
  void fill_withoutClusterAuth_401() {
    HttpResponse<String> r = cp.send("GET", "/internal/edges/box-a/fill", cp.adminKey, null);
    assertError(r, 401, "UNAUTHORIZED");
  }

  @Test
  void view_badInput_clearErrors() {
    assertError(view(body("videoId", VideoId.random().value())), 404, "NOT_FOUND");
    Video notReady = cp.store().createVideo(NewVideo.titled(creator.user().id(), "uploading"));
    assertError(view(body("videoId", notReady.id().value())), 404, "NOT_FOUND");
    assertError(view(body("videoId", "short")), 400, "VALIDATION_FAILED");
    assertError(view(body("videoId", 42)), 400, "VALIDATION_FAILED");
    assertError(view(body("position", 3)), 400, "VALIDATION_FAILED");
    assertError(view(body("videoId", readyId(), "position", -1)), 400, "VALIDATION_FAILED");
    assertError(view(body("videoId", readyId(), "position", "x")), 400, "VALIDATION_FAILED");
    assertError(view(body("videoId", readyId(), "extra", 1)), 400, "VALIDATION_FAILED");
    assertError(view("{not json"), 400, "INVALID_JSON");
    assertError(view("[]"), 400, "INVALID_JSON");
  }

  private static String readyVideoId;

  private static synchronized String readyId() {
    if (readyVideoId == null) {
      readyVideoId = readyVideo("for bad inputs").id().value();
    }
    return readyVideoId;
  }

  @Test
  void top_authAndBadParameters() {
    assertError(
        cp.send("GET", "/api/v1/admin/popularity?region=default", creator.key(), null),
        403,
        "FORBIDDEN");
    assertError(
        cp.send("GET", "/api/v1/admin/popularity?region=default", null, null), 401, "UNAUTHORIZED");
    for (String q :
        List.of(
            "",
            "?region=",
            "?region=a%20b",
            "?region=x&limit=0",
            "?region=x&limit=1001",
            "?region=x&limit=ten")) {
      assertError(
          cp.send("GET", "/api/v1/admin/popularity" + q, cp.adminKey, null),
          400,
          "VALIDATION_FAILED");
    }
    HttpResponse<String> empty =
        cp.send("GET", "/api/v1/admin/popularity?region=nobody-here", cp.adminKey, null);
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(ids(json(empty))).isEmpty();
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void view_floodFromOneAddress_429AfterTheBurst() {
    // Last: it empties the bucket of the address every test sends from.
    String id = readyVideo("flooded").id().value();
    long start = System.nanoTime();
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 60; i++) {
      HttpResponse<String> r = view(body("videoId", id));
      if (r.statusCode() == 204) {
        accepted++;
      } else {
        assertError(r, 429, "TOO_MANY_REQUESTS");
        refused++;
      }
    }
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds() + 1;
    // At most the burst of 30 plus one a second of refill (earlier tests spent some of the burst).
    assertThat(accepted).isPositive().isLessThanOrEqualTo(30 + (int) seconds);
    assertThat(refused).isPositive();
  }
}
