package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskFailure;
import org.reelbox.control.api.SseClient.Event;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.store.UserRole;

/**
 * {@code event: progress} on {@code GET /api/v1/videos/{id}/events}, driven by a test worker
 * through the real work protocol: claims, completions, failures, the split's fan-out.
 */
class VideoProgressEventsApiTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller alice;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp = TestControlPlane.start(dataDir);
    alice = cp.caller("alice", UserRole.CREATOR);
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  private static String newVideo() {
    HttpResponse<String> created =
        cp.send(
            "POST",
            "/api/v1/videos",
            alice.key(),
            body(
                "filename",
                "a.mp4",
                "size",
                1000,
                "contentType",
                "video/mp4",
                "renditions",
                java.util.List.of("720p", "360p")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json(created).get("id").asText();
  }

  private static void upload(String id) {
    assertThat(
            cp.internal(
                    "/internal/videos/" + id + "/uploaded", body("sizeBytes", 1000, "sha256", SHA))
                .statusCode())
        .isEqualTo(200);
  }

  private static SseClient open(String id) throws Exception {
    return SseClient.open(
        cp.client, cp.base.resolve("/api/v1/videos/" + id + "/events"), alice.key(), Map.of());
  }

  /** Reads events (state ones included) until a progress event matches; returns it. */
  private static JsonNode progressUntil(SseClient stream, Predicate<JsonNode> wanted)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Event e = stream.next(WAIT);
      if (e.event().equals("progress")) {
        assertThat(e.id()).isNull();
        JsonNode p = Json.mapper().readTree(e.data());
        if (wanted.test(p)) {
          return p;
        }
      } else {
        assertThat(e.event()).isEqualTo("state");
      }
    }
    throw new AssertionError("no matching progress event within " + WAIT);
  }

  private static JsonNode stage(JsonNode progress, int index) {
    for (JsonNode s : progress.get("stages")) {
      if (s.get("stage").asInt() == index) {
        return s;
      }
    }
    throw new AssertionError("no stage " + index + " in " + progress);
  }

  /** Claims until the task of video {@code id} called {@code taskId} comes, completing others. */
  private static TaskAssignment claim(TestWorker worker, String id, String taskPrefix)
      throws Exception {
    TaskAssignment a = worker.claimOne();
    while (!(a.videoId().equals(id) && a.taskId().startsWith(taskPrefix))) {
      worker.complete(a);
      a = worker.claimOne();
    }
    return a;
  }

  @Test
  void progress_openingThenEveryClaimFailureAndCompletion_stagesGrowAfterSplit() throws Exception {
    String id = newVideo();
    upload(id);
    TestWorker worker = new TestWorker(cp, "progress-worker");

    try (SseClient stream = open(id)) {
      // The current state, then the job's progress: inspect queued, nothing else made yet.
      Event first = stream.next(WAIT);
      assertThat(first.event()).isEqualTo("state");
      JsonNode opening = progressUntil(stream, p -> true);
      assertThat(opening.get("jobState").asText()).isEqualTo("RUNNING");
      assertThat(opening.get("tasksDone").asInt()).isZero();
      assertThat(opening.get("tasksTotal").asInt()).isEqualTo(1);
      JsonNode stage0 = stage(opening, 0);
      assertThat(stage0.get("nodes").toString()).isEqualTo("[\"inspect\"]");
      assertThat(stage0.get("total").asInt()).isEqualTo(1);
      assertThat(stage0.get("running").asInt()).isZero();
      assertThat(stage(opening, 1).get("nodes").toString()).contains("split", "audio", "thumbnail");
      assertThat(stage(opening, 1).get("total").asInt()).isZero();

      // A claim: inspect runs.
      TaskAssignment inspect = claim(worker, id, "inspect");
      progressUntil(stream, p -> stage(p, 0).get("running").asInt() == 1);

      // A recoverable failure: inspect is back in the queue, nothing runs.
      worker.fail(inspect, new TaskFailure(FailureCode.ENCODER_FAILED, "flaky", true));
      progressUntil(stream, p -> stage(p, 0).get("running").asInt() == 0);

      // The retry succeeds: split, audio and thumbnail are made.
      worker.complete(claim(worker, id, "inspect"));
      JsonNode afterInspect =
          progressUntil(
              stream,
              p -> stage(p, 0).get("done").asInt() == 1 && stage(p, 1).get("total").asInt() == 3);
      assertThat(afterInspect.get("tasksDone").asInt()).isEqualTo(1);
      assertThat(afterInspect.get("tasksTotal").asInt()).isEqualTo(4);

      // The split fans out: encode tasks per chunk and rendition appear in a later stage.
      worker.complete(claim(worker, id, "split"));
      JsonNode fanned =
          progressUntil(
              stream,
              p -> {
                for (JsonNode s : p.get("stages")) {
                  if (s.get("nodes").toString().contains("encode") && s.get("total").asInt() > 0) {
                    return true;
                  }
                }
                return false;
              });
      assertThat(fanned.get("tasksTotal").asInt()).isGreaterThan(4);

      // Running the job to the end ends the stream with READY, as before.
      String state = "";
      while (!state.equals("READY")) {
        java.util.Optional<TaskAssignment> a = worker.claim(0);
        a.ifPresent(worker::complete);
        state =
            json(cp.send("GET", "/api/v1/videos/" + id, alice.key(), null)).get("state").asText();
      }
      String last = "";
      while (true) {
        Event e = stream.next(WAIT);
        if (e.event().equals("state")) {
          last = Json.mapper().readTree(e.data()).get("state").asText();
          if (last.equals("READY")) {
            break;
          }
        }
      }
      assertThat(stream.endsWithin(WAIT)).isTrue();
    }
  }

  @Test
  void progress_videoWithoutJob_stateEventsOnly() throws Exception {
    String id = newVideo();
    try (SseClient stream = open(id)) {
      assertThat(stream.next(WAIT).event()).isEqualTo("state");
      // The upload makes the job; its state events come, and the first claim's progress.
      upload(id);
      JsonNode uploaded = Json.mapper().readTree(stream.next(WAIT).data());
      assertThat(uploaded.get("state").asText()).isEqualTo("UPLOADED");
      TestWorker worker = new TestWorker(cp, "late-worker");
      claim(worker, id, "inspect");
      JsonNode p = progressUntil(stream, x -> stage(x, 0).get("running").asInt() == 1);
      assertThat(p.get("tasksTotal").asInt()).isEqualTo(1);
    }
  }
}
