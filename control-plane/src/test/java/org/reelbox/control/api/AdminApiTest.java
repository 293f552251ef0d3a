package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoTransition;

/**
 * The admin console's overview, history and settings over a real connection. The history samples
 * every second here (every minute by default).
 */
class AdminApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final long GB = 1_000_000_000L;
  private static final String DB_PASSWORD = "db-password-never-shown-4711";

  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller alice;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp =
        TestControlPlane.start(
            dataDir,
            o -> {
              o.putObject("admin").put("historyIntervalSeconds", 1);
              // Ignored by the embedded database; here to prove it is never shown.
              o.putObject("database").put("password", DB_PASSWORD);
            });
    alice = cp.caller("alice", UserRole.CREATOR);
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  private static JsonNode get(String path) {
    HttpResponse<String> r = cp.send("GET", path, cp.adminKey, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  private static String heartbeat(String region, long hitBytes, long missBytes) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("region", region);
    o.put("publicUrl", "http://127.0.0.1:9");
    o.put("capacityBytes", 1_000_000L);
    ObjectNode stats = o.putObject("stats");
    for (String f : EdgeStatsReport.FIELDS) {
      stats.put(f, 0L);
    }
    stats.put("requests", 10).put("hitBytes", hitBytes).put("missBytes", missBytes);
    return Json.write(o);
  }

  private static long count(JsonNode overview, String... path) {
    JsonNode n = overview;
    for (String p : path) {
      n = n.get(p);
    }
    return n.asLong();
  }

  @Test
  void overview_countsVideosJobsTasksWorkersEdgesAndCost() throws Exception {
    JsonNode before = get("/api/v1/admin/overview");

    Video failed = cp.store().createVideo(NewVideo.titled(alice.user().id(), "broken"));
    cp.store().transitionVideo(VideoTransition.failed(failed.id(), "CORRUPT_INPUT"));
    cp.store().createVideo(NewVideo.titled(alice.user().id(), "still uploading"));
    // A video with a job: its inspect task is queued, and so is the job until a worker claims.
    HttpResponse<String> created =
        cp.send(
            "POST",
            "/api/v1/videos",
            alice.key(),
            body("filename", "a.mp4", "size", 1000, "contentType", "video/mp4"));
    String id = json(created).get("id").asText();
    assertThat(
            cp.internal(
                    "/internal/videos/" + id + "/uploaded", body("sizeBytes", 1000, "sha256", SHA))
                .statusCode())
        .isEqualTo(200);
    // Two boxes, one drained; 3 + 1 GB from their stores, 1 + 1 GB from the origin.
    assertThat(
            cp.internal("/internal/edges/ov-a/heartbeat", heartbeat("r1", 3 * GB, GB)).statusCode())
        .isEqualTo(201);
    assertThat(cp.internal("/internal/edges/ov-b/heartbeat", heartbeat("r1", GB, GB)).statusCode())
        .isEqualTo(201);
    assertThat(cp.send("POST", "/api/v1/admin/edges/ov-b/drain", cp.adminKey, null).statusCode())
        .isEqualTo(200);
    assertThat(
            cp.internal("/internal/origins/o1/stats", body("bytesSent", 50, "requests", 1))
                .statusCode())
        .isEqualTo(200);
    await()
        .atMost(WAIT)
        .until(
            () ->
                count(get("/api/v1/admin/overview"), "videosByState", "PROCESSING")
                    > count(before, "videosByState", "PROCESSING"));

    JsonNode after = get("/api/v1/admin/overview");
    assertThat(after.get("videosByState").size()).isEqualTo(5);
    assertThat(count(after, "videosByState", "FAILED") - count(before, "videosByState", "FAILED"))
        .isEqualTo(1);
    assertThat(
            count(after, "videosByState", "UPLOADING")
                - count(before, "videosByState", "UPLOADING"))
        .isEqualTo(1);
    assertThat(count(after, "jobs", "queued") - count(before, "jobs", "queued")).isEqualTo(1);
    assertThat(count(after, "tasks", "queued") - count(before, "tasks", "queued")).isEqualTo(1);
    JsonNode edges = after.get("edges");
    assertThat(edges.get("total").asInt()).isEqualTo(2);
    assertThat(edges.get("healthy").asInt()).isEqualTo(2);
    assertThat(edges.get("draining").asInt()).isEqualTo(1);
    assertThat(edges.get("bytesServed").asLong()).isEqualTo(6 * GB);
    assertThat(edges.get("hitRatio").asDouble()).isEqualTo(4.0 / 6);
    JsonNode today = after.get("cost").get("today");
    assertThat(today.get("day").asText()).hasSize(10);
    // Only this test reports edge bytes; the history test reports origin bytes too.
    assertThat(today.get("edgeBytes").asLong()).isEqualTo(6 * GB);
    assertThat(
            today.get("originBytes").asLong()
                - before.get("cost").get("today").get("originBytes").asLong())
        .isEqualTo(50);
    assertThat(after.get("cost").get("total").get("edgeBytes").asLong()).isEqualTo(6 * GB);
    assertThat(after.get("cost").get("total").get("savingUsd").decimalValue())
        .isEqualByComparingTo("0.12"); // 6 GB × $0.02/GB
    assertThat(after.get("generatedAt").asText()).isNotBlank();

    // A worker claims the inspect: it shows up healthy, and the job and task are running.
    TestWorker worker = new TestWorker(cp, "ov-worker");
    worker.claimOne();
    JsonNode claimed = get("/api/v1/admin/overview");
    assertThat(count(claimed, "jobs", "running") - count(after, "jobs", "running")).isEqualTo(1);
    assertThat(count(claimed, "tasks", "running") - count(after, "tasks", "running")).isEqualTo(1);
    assertThat(count(claimed, "tasks", "queued") - count(after, "tasks", "queued")).isEqualTo(-1);
    List<String> workers = new ArrayList<>();
    for (JsonNode w : claimed.get("workers")) {
      workers.add(w.get("id").asText());
      if (w.get("id").asText().equals("ov-worker")) {
        assertThat(w.get("healthy").asBoolean()).isTrue();
        assertThat(w.get("runningTasks").asInt()).isEqualTo(1);
      }
    }
    assertThat(workers).contains("ov-worker");
  }

  @Test
  void history_samplesEverySecond_trafficAsTheIntervalsDifference() {
    await()
        .atMost(WAIT)
        .until(() -> get("/api/v1/admin/overview/history").get("samples").size() >= 1);
    JsonNode history = get("/api/v1/admin/overview/history");
    assertThat(history.get("intervalSeconds").asInt()).isEqualTo(1);
    JsonNode first = history.get("samples").get(0);
    for (String field :
        List.of(
            "at",
            "runningTasks",
            "queuedTasks",
            "healthyEdges",
            "edgeBytes",
            "originBytes",
            "hitRatio")) {
      assertThat(first.has(field)).as(field).isTrue();
    }

    // 12345 bytes from an origin show up once, in the sample of the interval they arrived in.
    assertThat(
            cp.internal("/internal/origins/hist/stats", body("bytesSent", 12_345, "requests", 1))
                .statusCode())
        .isEqualTo(200);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              long seen = 0;
              for (JsonNode s : get("/api/v1/admin/overview/history").get("samples")) {
                seen += s.get("originBytes").asLong() == 12_345 ? 1 : 0;
              }
              assertThat(seen).isEqualTo(1);
            });
    // Samples are in time order.
    JsonNode samples = get("/api/v1/admin/overview/history").get("samples");
    for (int i = 1; i < samples.size(); i++) {
      assertThat(samples.get(i).get("at").asText())
          .isGreaterThanOrEqualTo(samples.get(i - 1).get("at").asText());
    }
  }

  @Test
  void settings_effectiveValues_noSecrets() {
    HttpResponse<String> r = cp.send("GET", "/api/v1/admin/settings", cp.adminKey, null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode s = json(r);
    assertThat(s.get("work").get("leaseSeconds").asInt()).isEqualTo(30);
    assertThat(s.get("work").get("workerTimeoutSeconds").asInt()).isEqualTo(90);
    assertThat(s.get("edges").get("heartbeatTimeoutSeconds").asInt()).isEqualTo(30);
    assertThat(s.get("routing").get("defaultRegion").asText()).isEqualTo("default");
    assertThat(s.get("cost").get("cdnPricePerGb").decimalValue()).isEqualByComparingTo("0.02");
    assertThat(s.get("uploadTokenTtlHours").asInt()).isEqualTo(24);
    assertThat(s.get("admin").get("historyIntervalSeconds").asInt()).isEqualTo(1);
    assertThat(s.get("urls").get("ingestUrl").asText()).isEqualTo(TestControlPlane.INGEST_URL);
    assertThat(s.get("http").get("url").asText()).isEqualTo(cp.base.toString());
    assertThat(s.get("database").get("kind").asText()).isEqualTo("h2-embedded");
    assertThat(s.get("pipelines").get("profiles").toString()).contains("\"default\"");
    // Neither the cluster secret, nor what is derived from it, nor the database password.
    assertThat(r.body())
        .doesNotContain(TestControlPlane.SECRET)
        .doesNotContain(ClusterAuth.of(TestControlPlane.SECRET).headerValue())
        .doesNotContain(DB_PASSWORD)
        .doesNotContainIgnoringCase("secret")
        .doesNotContainIgnoringCase("password");
  }

  @Test
  void everyAdminRoute_creator403_noKey401() {
    for (String path :
        List.of(
            "/api/v1/admin/overview", "/api/v1/admin/overview/history", "/api/v1/admin/settings")) {
      assertError(cp.send("GET", path, alice.key(), null), 403, "FORBIDDEN");
      assertError(cp.send("GET", path, null, null), 401, "UNAUTHORIZED");
    }
  }
}
