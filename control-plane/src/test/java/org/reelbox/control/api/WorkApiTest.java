package org.reelbox.control.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.work.ClaimRequest;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskCompletion;
import org.reelbox.common.work.WorkProtocol;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.work.Outputs;

/**
 * The work protocol over HTTP against a running control plane: a test worker drives whole jobs,
 * long polls, bad requests, fencing, and a restart mid-job.
 */
class WorkApiTest {
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dataDir;
  private TestControlPlane cp;

  @AfterEach
  void stop() {
    if (cp != null) {
      cp.close();
    }
  }

  private HttpResponse<String> work(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(cp.base.resolve(path))
            .timeout(Duration.ofSeconds(40))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, UTF_8));
    ClusterAuth.of(TestControlPlane.SECRET).apply(request);
    return cp.send(request.build());
  }

  private HttpResponse<String> claim(WorkerInfo w, int waitSeconds) {
    return work("POST", WorkProtocol.CLAIM_PATH, Json.write(new ClaimRequest(w, waitSeconds)));
  }

  private TaskAssignment assignment(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.mapper().readValue(response.body(), TaskAssignment.class);
  }

  private HttpResponse<String> complete(TaskAssignment a) {
    return work(
        "POST",
        WorkProtocol.completePath(a.leaseId()),
        Json.write(new TaskCompletion(Outputs.outputFor(a))));
  }

  private String newUploadedVideo(Caller c, String createBody) {
    HttpResponse<String> created = cp.send("POST", "/api/v1/videos", c.key(), createBody);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = json(created).get("id").asText();
    HttpResponse<String> up =
        cp.internal("/internal/videos/" + id + "/uploaded", body("sizeBytes", 1000, "sha256", SHA));
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    return id;
  }

  private static String createBody(Object... extra) {
    Object[] base = {"filename", "cat.mp4", "size", 1000, "contentType", "video/mp4"};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return body(all);
  }

  private JsonNode video(Caller c, String id) {
    return json(cp.send("GET", "/api/v1/videos/" + id, c.key(), null));
  }

  /** Claims and completes until the video is READY; returns how many tasks it ran. */
  private int runToReady(Caller c, String id, WorkerInfo w) throws Exception {
    int ran = 0;
    long deadline = System.nanoTime() + WAIT.toNanos() * 3;
    while (!video(c, id).get("state").asText().equals("READY")) {
      assertThat(System.nanoTime()).as("video READY in time").isLessThan(deadline);
      HttpResponse<String> r = claim(w, 2);
      if (r.statusCode() == 204) {
        continue;
      }
      TaskAssignment a = assignment(r);
      assertThat(complete(a).statusCode()).isEqualTo(204);
      ran++;
      if (a.taskId().endsWith("/early")) {
        afterEarlyPackage = awaitPlayable(c, id);
      }
    }
    return ran;
  }

  /** The video as the API showed it once the early package was done (progressive publishing). */
  private JsonNode afterEarlyPackage;

  private JsonNode awaitPlayable(Caller c, String id) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode v = video(c, id);
    while (!v.path("playable").asBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20); // the completion handler runs on its own thread
      v = video(c, id);
    }
    return v;
  }

  @Test
  void fullDag_testWorkerCompletesEveryTask_videoReadyOnApiAndEventStream() throws Exception {
    cp = TestControlPlane.start(dataDir);
    Caller alice = cp.caller("alice", UserRole.CREATOR);
    HttpResponse<String> created =
        cp.send(
            "POST",
            "/api/v1/videos",
            alice.key(),
            createBody("renditions", List.of("720p", "360p")));
    String id = json(created).get("id").asText();
    try (SseClient events =
        SseClient.open(
            cp.client,
            cp.base.resolve("/api/v1/videos/" + id + "/events"),
            alice.key(),
            Map.of())) {
      assertThat(data(events.next(WAIT)).get("state").asText()).isEqualTo("UPLOADING");
      cp.internal("/internal/videos/" + id + "/uploaded", body("sizeBytes", 1000, "sha256", SHA));

      int ran = runToReady(alice, id, Outputs.cpuWorker("w1"));

      // inspect, split, audio, thumbnail; 8 chunks × 2 renditions; the early and final packages
      assertThat(ran).isEqualTo(4 + 8 * 2 + 2);
      String state = "";
      while (!state.equals("READY")) {
        // Progress events come between the state events while the worker runs the job.
        SseClient.Event e = events.next(WAIT);
        if (e.event().equals("state")) {
          state = data(e).get("state").asText();
        }
      }
    }
    assertThat(afterEarlyPackage.get("state").asText()).isEqualTo("PROCESSING");
    assertThat(afterEarlyPackage.get("playable").asBoolean()).isTrue();
    assertThat(afterEarlyPackage.get("playback").get("masterPath").asText())
        .isEqualTo("/v/" + id + "/master.m3u8");
    assertThat(afterEarlyPackage.get("playback").get("renditions").toString())
        .isEqualTo("[\"360p\"]");
    JsonNode v = video(alice, id);
    assertThat(v.get("playable").asBoolean()).isTrue();
    assertThat(v.get("playback").has("renditions")).isFalse();
    assertThat(v.get("progress").get("tasksDone").asInt()).isEqualTo(22);
    assertThat(v.get("progress").get("tasksTotal").asInt()).isEqualTo(22);
    assertThat(v.get("playback").get("masterPath").asText()).isEqualTo("/v/" + id + "/master.m3u8");
    assertThat(v.get("playback").get("masterUrl").asText())
        .isEqualTo("http://127.0.0.1:8082/v/" + id + "/master.m3u8");
    assertThat(v.get("durationMs").asLong()).isEqualTo(30_000);
    JsonNode tasks = json(cp.send("GET", "/api/v1/videos/" + id + "/tasks", alice.key(), null));
    assertThat(tasks.get("tasks")).hasSize(22);
    assertThat(tasks.get("tasks").get(0).get("workerId").asText()).isEqualTo("w1");
    JsonNode workers = json(cp.send("GET", "/api/v1/admin/workers", cp.adminKey, null));
    assertThat(workers.get("workers").get(0).get("id").asText()).isEqualTo("w1");
    assertThat(cp.send("GET", "/api/v1/admin/workers", alice.key(), null).statusCode())
        .isEqualTo(403);
  }

  private static JsonNode data(SseClient.Event event) {
    try {
      return Json.mapper().readTree(event.data());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void claim_longPoll_answersWhenATaskIsQueuedElse204() throws Exception {
    cp = TestControlPlane.start(dataDir);
    Caller alice = cp.caller("alice", UserRole.CREATOR);
    WorkerInfo w = Outputs.cpuWorker("w1");
    assertThat(claim(w, 0).statusCode()).isEqualTo(204);
    long start = System.nanoTime();
    assertThat(claim(w, 1).statusCode()).isEqualTo(204);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(900));

    CompletableFuture<HttpResponse<String>> held =
        CompletableFuture.supplyAsync(() -> claim(w, 25));
    Thread.sleep(500);
    start = System.nanoTime();
    String id = newUploadedVideo(alice, createBody());
    TaskAssignment a = assignment(held.get());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(a.videoId()).isEqualTo(id);
    assertThat(a.taskId()).isEqualTo("inspect");
    assertThat(a.attempt()).isEqualTo(1);
  }

  @Test
  void badRequests_400_401_409() throws Exception {
    cp = TestControlPlane.start(dataDir);
    Caller alice = cp.caller("alice", UserRole.CREATOR);
    WorkerInfo w = Outputs.cpuWorker("w1");
    assertError(work("POST", WorkProtocol.CLAIM_PATH, "{not json"), 400, "INVALID_JSON");
    String good = Json.write(new ClaimRequest(w, 0));
    assertError(
        work("POST", WorkProtocol.CLAIM_PATH, good.replaceFirst("\\{", "{\"extra\":1,")),
        400,
        "VALIDATION_FAILED");
    assertError(claim(w, 31), 400, "VALIDATION_FAILED");
    assertError(claim(w, -1), 400, "VALIDATION_FAILED");
    assertError(
        claim(new WorkerInfo("bad id!", "h", "ffmpeg", 1, 1, 1, List.of(), "v"), 0),
        400,
        "VALIDATION_FAILED");
    assertError(work("POST", "/internal/work/leases/nope/renew", null), 400, "VALIDATION_FAILED");
    assertError(work("DELETE", WorkProtocol.WORKERS_PATH + "ghost", null), 404, "NOT_FOUND");
    assertError(
        work("DELETE", WorkProtocol.WORKERS_PATH + "bad%20id", null), 400, "VALIDATION_FAILED");
    HttpResponse<String> noAuth =
        cp.send(
            HttpRequest.newBuilder(cp.base.resolve(WorkProtocol.CLAIM_PATH))
                .POST(HttpRequest.BodyPublishers.ofString(good))
                .build());
    assertError(noAuth, 401, "UNAUTHORIZED");

    newUploadedVideo(alice, createBody());
    TaskAssignment inspect = assignment(claim(w, 5));
    // An output that is not a MediaInfo: 400, and the task stays running.
    assertError(
        work(
            "POST", WorkProtocol.completePath(inspect.leaseId()), "{\"output\": {\"chunks\": []}}"),
        400,
        "VALIDATION_FAILED");
    assertThat(work("POST", WorkProtocol.renewPath(inspect.leaseId()), null).statusCode())
        .isEqualTo(200);
    assertError(
        work("POST", WorkProtocol.failPath(inspect.leaseId()), "{\"code\": \"NOPE\"}"),
        400,
        "VALIDATION_FAILED");
    // Fencing: once the worker leaves, its lease is lost.
    assertThat(work("DELETE", WorkProtocol.WORKERS_PATH + "w1", null).statusCode()).isEqualTo(204);
    assertError(work("POST", WorkProtocol.renewPath(inspect.leaseId()), null), 409, "LEASE_LOST");
    assertError(complete(inspect), 409, "LEASE_LOST");
    assertError(
        work(
            "POST",
            WorkProtocol.failPath(inspect.leaseId()),
            "{\"code\":\"INTERNAL\",\"message\":\"x\",\"recoverable\":true}"),
        409,
        "LEASE_LOST");
  }

  @Test
  void createVideo_badPlanOptions_400() throws Exception {
    cp = TestControlPlane.start(dataDir);
    Caller alice = cp.caller("alice", UserRole.CREATOR);
    assertError(
        cp.send("POST", "/api/v1/videos", alice.key(), createBody("renditions", List.of("999p"))),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send("POST", "/api/v1/videos", alice.key(), createBody("profile", "nosuch")),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send("POST", "/api/v1/videos", alice.key(), createBody("watermark", "yes")),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send(
            "POST",
            "/api/v1/videos",
            alice.key(),
            createBody("profile", "fast", "watermark", true)),
        400,
        "VALIDATION_FAILED");
    HttpResponse<String> ok =
        cp.send(
            "POST",
            "/api/v1/videos",
            alice.key(),
            createBody("watermark", true, "thumbnailImage", "uploads/me.jpg"));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    JsonNode v = video(alice, json(ok).get("id").asText());
    assertThat(v.get("planOptions").get("watermark").asBoolean()).isTrue();
  }

  @Test
  void restart_midJob_leaseSurvivesAndTheJobCompletes() throws Exception {
    cp = TestControlPlane.start(dataDir);
    Caller alice = cp.caller("alice", UserRole.CREATOR);
    String id = newUploadedVideo(alice, createBody());
    WorkerInfo w = Outputs.cpuWorker("w1");
    TaskAssignment inspect = assignment(claim(w, 5));
    assertThat(complete(inspect).statusCode()).isEqualTo(204);
    TaskAssignment split = assignment(claim(w, 5));
    assertThat(split.taskId()).isEqualTo("split");

    cp.close();
    cp = TestControlPlane.start(dataDir);

    assertThat(complete(split).statusCode()).isEqualTo(204);
    int ran = runToReady(alice, id, w);
    // audio, thumbnail; 8 chunks × 4 renditions; the early and final packages
    assertThat(ran).isEqualTo(2 + 8 * 4 + 2);
  }

  private HttpResponse<String> claimFused(WorkerInfo w, int waitSeconds, int fuseLimit) {
    return work(
        "POST", WorkProtocol.CLAIM_PATH, Json.write(new ClaimRequest(w, waitSeconds, fuseLimit)));
  }

  @Test
  void claim_fuseLimit_outOfRange400_absentMeansOne_groupCarriesCompanions() throws Exception {
    cp = TestControlPlane.start(dataDir);
    Caller alice = cp.caller("alice", UserRole.CREATOR);
    WorkerInfo w = Outputs.cpuWorker("w1");
    for (int bad : new int[] {0, 9, -1}) {
      HttpResponse<String> r = claimFused(w, 0, bad);
      assertError(r, 400, "VALIDATION_FAILED");
      assertThat(json(r).get("message").asText())
          .contains("fuseLimit must be from 1 to " + WorkProtocol.MAX_FUSE_LIMIT);
    }
    String id = newUploadedVideo(alice, createBody("renditions", List.of("720p", "480p", "360p")));

    // 360p (the cheapest, published early) comes alone chunk by chunk, then 480p and 720p of one
    // chunk in one answer, each with its own lease.
    TaskAssignment group = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (group == null) {
      assertThat(System.nanoTime()).as("a fused group in time").isLessThan(deadline);
      HttpResponse<String> r = claimFused(w, 2, 8);
      if (r.statusCode() == 204) {
        continue;
      }
      TaskAssignment a = assignment(r);
      if (!a.companions().isEmpty()) {
        group = a;
        JsonNode raw = json(r);
        assertThat(raw.get("companions")).hasSize(1);
        assertThat(raw.get("companions").get(0).get("companions")).isEmpty();
        break;
      }
      assertThat(a.taskId()).doesNotContain("/480p").doesNotContain("/720p");
      assertThat(complete(a).statusCode()).isEqualTo(204);
    }
    String chunk = group.taskId().substring(0, "encode/c0000".length());
    assertThat(group.taskId()).isEqualTo(chunk + "/480p");
    TaskAssignment companion = group.companions().get(0);
    assertThat(companion.taskId()).isEqualTo(chunk + "/720p");
    assertThat(companion.leaseId()).isNotEqualTo(group.leaseId());
    assertThat(companion.videoId()).isEqualTo(id);

    // A claim written before fused claims (no fuseLimit) gets one task, though the next chunk's
    // 480p and 720p are both ready (a hardware worker takes encodes before the early package).
    com.fasterxml.jackson.databind.node.ObjectNode old =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            Json.mapper().valueToTree(new ClaimRequest(Outputs.gpuWorker("g1"), 5));
    old.remove("fuseLimit");
    TaskAssignment single = assignment(work("POST", WorkProtocol.CLAIM_PATH, old.toString()));
    assertThat(single.companions()).isEmpty();
    assertThat(single.taskId()).endsWith("/480p");

    // Each lease is renewed and completed on its own; the job ends as before.
    assertThat(work("POST", WorkProtocol.renewPath(companion.leaseId()), null).statusCode())
        .isEqualTo(200);
    for (TaskAssignment t : List.of(group, companion, single)) {
      assertThat(complete(t).statusCode()).isEqualTo(204);
    }
    runToReady(alice, id, w);
    assertThat(video(alice, id).get("progress").get("tasksDone").asInt()).isEqualTo(4 + 8 * 3 + 2);
  }

  private static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(json(response).get("error").asText()).isEqualTo(code);
    assertThat(json(response).get("message").asText()).isNotBlank();
  }
}
