package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskFailure;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;

/**
 * {@code GET /api/v1/admin/jobs} and {@code GET /api/v1/videos/{id}/job} over a real connection.
 */
class AdminJobsApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller alice;
  private static Caller bob;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp = TestControlPlane.start(dataDir);
    alice = cp.caller("alice", UserRole.CREATOR);
    bob = cp.caller("bob", UserRole.CREATOR);
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  /** A video of {@code c}'s, uploaded, so that it has a job. */
  private static String uploaded(Caller c, String title) {
    HttpResponse<String> created =
        cp.send(
            "POST",
            "/api/v1/videos",
            c.key(),
            body("filename", "a.mp4", "size", 1000, "contentType", "video/mp4", "title", title));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = json(created).get("id").asText();
    HttpResponse<String> up =
        cp.internal("/internal/videos/" + id + "/uploaded", body("sizeBytes", 1000, "sha256", SHA));
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    return id;
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.get("jobs").forEach(j -> ids.add(j.get("videoId").asText()));
    return ids;
  }

  private static JsonNode jobs(String query) {
    HttpResponse<String> r = cp.send("GET", "/api/v1/admin/jobs" + query, cp.adminKey, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  @Test
  void jobs_newestFirst_withTitleOwnerCounts_pagesAndStateFilter() throws Exception {
    String first = uploaded(alice, "first");
    String second = uploaded(bob, "second");
    String third = uploaded(alice, "third");

    JsonNode all = jobs("?limit=200");
    List<String> order = ids(all);
    assertThat(order).containsSubsequence(third, second, first);
    JsonNode top = all.get("jobs").get(order.indexOf(second));
    assertThat(top.get("title").asText()).isEqualTo("second");
    assertThat(top.get("owner").asText()).isEqualTo("bob");
    assertThat(top.get("profile").asText()).isEqualTo("default");
    assertThat(top.get("state").asText()).isEqualTo("RUNNING");
    assertThat(top.get("createdAt").asText()).isNotBlank();
    assertThat(top.get("finishedAt").isNull()).isTrue();
    assertThat(top.get("tasksDone").asInt()).isZero();
    assertThat(top.get("tasksTotal").asInt()).isEqualTo(1); // inspect, until it has run
    assertThat(all.get("limit").asInt()).isEqualTo(200);
    assertThat(all.get("offset").asInt()).isZero();

    // Pages do not overlap and together are the whole list.
    List<String> paged = new ArrayList<>(ids(jobs("?offset=0&limit=2")));
    paged.addAll(ids(jobs("?offset=2&limit=200")));
    assertThat(paged).isEqualTo(order);

    // A job failed by its inspect leaves RUNNING for FAILED, with a finishing time.
    TestWorker worker = new TestWorker(cp, "jobs-worker");
    TaskAssignment a = worker.claimOne();
    worker.fail(a, new TaskFailure(FailureCode.CORRUPT_INPUT, "not a video", false));
    await().atMost(WAIT).until(() -> ids(jobs("?state=FAILED")).contains(a.videoId()));
    JsonNode failed = jobs("?state=failed").get("jobs").get(0);
    assertThat(failed.get("videoId").asText()).isEqualTo(a.videoId());
    assertThat(failed.get("state").asText()).isEqualTo("FAILED");
    assertThat(failed.get("finishedAt").asText()).isNotBlank();
    assertThat(ids(jobs("?state=RUNNING"))).doesNotContain(a.videoId()).hasSize(order.size() - 1);
    assertThat(ids(jobs("?state=SUCCEEDED"))).isEmpty();
  }

  @Test
  void jobs_badQuery_400() {
    for (String q :
        List.of(
            "?state=DONE",
            "?state=1",
            "?offset=-1",
            "?offset=abc",
            "?offset=1000001",
            "?limit=0",
            "?limit=201",
            "?limit=1.5",
            "?limit=99999999999999999999")) {
      assertError(
          cp.send("GET", "/api/v1/admin/jobs" + q, cp.adminKey, null), 400, "VALIDATION_FAILED");
    }
  }

  @Test
  void jobs_creator403_noKey401() {
    assertError(cp.send("GET", "/api/v1/admin/jobs", alice.key(), null), 403, "FORBIDDEN");
    assertError(cp.send("GET", "/api/v1/admin/jobs", null, null), 401, "UNAUTHORIZED");
  }

  @Test
  void job_dagNodesAndTasksMappedToNodes_withAttemptsWorkerAndDuration() throws Exception {
    String id = uploaded(alice, "dag");
    TestWorker worker = new TestWorker(cp, "dag-worker");
    // Claim until this video's inspect comes up (other tests' jobs may be queued too), and fail
    // it once recoverably: its second attempt then succeeds.
    TaskAssignment inspect = worker.claimOne();
    while (!inspect.videoId().equals(id)) {
      worker.complete(inspect);
      inspect = worker.claimOne();
    }
    worker.fail(inspect, new TaskFailure(FailureCode.ENCODER_FAILED, "flaky", true));
    TaskAssignment retry = worker.claimOne();
    while (!retry.videoId().equals(id)) {
      worker.complete(retry);
      retry = worker.claimOne();
    }
    assertThat(retry.taskId()).isEqualTo("inspect");
    worker.complete(retry);
    await()
        .atMost(WAIT)
        .until(() -> job(alice, id).get("tasks").size() > 1); // split, audio, thumbnail queued

    JsonNode job = job(alice, id);
    assertThat(job.get("videoId").asText()).isEqualTo(id);
    assertThat(job.get("profile").asText()).isEqualTo("default");
    assertThat(job.get("state").asText()).isEqualTo("RUNNING");
    List<String> nodes = new ArrayList<>();
    for (JsonNode n : job.get("nodes")) {
      nodes.add(n.get("id").asText());
      assertThat(n.get("type").asText()).isNotBlank();
      assertThat(n.get("after").isArray()).isTrue();
      if (n.get("id").asText().equals("inspect")) {
        assertThat(n.get("stage").asInt()).isZero();
        assertThat(n.get("after").size()).isZero();
      }
      if (n.get("id").asText().equals("split")) {
        assertThat(n.get("after").toString()).isEqualTo("[\"inspect\"]");
        assertThat(n.get("stage").asInt()).isEqualTo(1);
      }
    }
    assertThat(nodes).contains("inspect", "split", "encode", "audio", "thumbnail", "package");
    JsonNode first = job.get("tasks").get(0);
    assertThat(first.get("id").asText()).isEqualTo("inspect");
    assertThat(first.get("node").asText()).isEqualTo("inspect");
    assertThat(first.get("type").asText()).isEqualTo("inspect");
    assertThat(first.get("stage").asInt()).isZero();
    assertThat(first.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(first.get("attempt").asInt()).isEqualTo(2); // one retry
    assertThat(first.get("workerId").asText()).isEqualTo("dag-worker");
    assertThat(first.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(first.get("errorCode").asText()).isEqualTo("ENCODER_FAILED");
    for (JsonNode t : job.get("tasks")) {
      assertThat(nodes).contains(t.get("node").asText());
      if (t.get("state").asText().equals("QUEUED")) {
        assertThat(t.get("durationMs").isNull()).isTrue();
        assertThat(t.get("attempt").asInt()).isZero();
      }
    }

    // The admin sees it too; another creator does not, as if there were no such video.
    assertThat(job(cpAdmin(), id).get("videoId").asText()).isEqualTo(id);
    assertError(cp.send("GET", "/api/v1/videos/" + id + "/job", bob.key(), null), 404, "NOT_FOUND");
  }

  @Test
  void job_videoWithoutJob_plannedNodesNoTasks() {
    Video v = cp.store().createVideo(NewVideo.titled(alice.user().id(), "not yet"));

    JsonNode job = job(alice, v.id().value());

    assertThat(job.get("state").isNull()).isTrue();
    assertThat(job.get("nodes").size()).isGreaterThanOrEqualTo(5);
    assertThat(job.get("tasks").size()).isZero();
  }

  @Test
  void job_unknownOrMalformedId404_noKey401() {
    assertError(
        cp.send("GET", "/api/v1/videos/" + VideoId.of("ZZZZZZZZZZZ") + "/job", alice.key(), null),
        404,
        "NOT_FOUND");
    assertError(cp.send("GET", "/api/v1/videos/nope/job", alice.key(), null), 404, "NOT_FOUND");
    assertError(
        cp.send("GET", "/api/v1/videos/" + VideoId.of("ZZZZZZZZZZZ") + "/job", null, null),
        401,
        "UNAUTHORIZED");
  }

  private static Caller cpAdmin() {
    return new Caller(null, cp.adminKey);
  }

  private static JsonNode job(Caller c, String id) {
    HttpResponse<String> r = cp.send("GET", "/api/v1/videos/" + id + "/job", c.key(), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }
}
