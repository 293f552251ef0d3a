package org.reelbox.control.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.work.ClaimRequest;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskCompletion;
import org.reelbox.common.work.TaskFailure;
import org.reelbox.common.work.WorkProtocol;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.control.work.Outputs;

/** A worker that speaks the work protocol to a test control plane, with canned outputs. */
final class TestWorker {
  private final TestControlPlane cp;
  final WorkerInfo info;

  TestWorker(TestControlPlane cp, String id) {
    this.cp = cp;
    this.info = Outputs.cpuWorker(id);
  }

  private HttpResponse<String> work(String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(cp.base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8));
    ClusterAuth.of(TestControlPlane.SECRET).apply(request);
    return cp.send(request.build());
  }

  /** One claim, waiting up to {@code waitSeconds}; empty when nothing was ready. */
  Optional<TaskAssignment> claim(int waitSeconds) throws Exception {
    HttpResponse<String> r =
        work(WorkProtocol.CLAIM_PATH, Json.write(new ClaimRequest(info, waitSeconds)));
    if (r.statusCode() == 204) {
      return Optional.empty();
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Optional.of(Json.mapper().readValue(r.body(), TaskAssignment.class));
  }

  /** Claims until a task comes, for at most 20 s. */
  TaskAssignment claimOne() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<TaskAssignment> a = claim(1);
      if (a.isPresent()) {
        return a.get();
      }
    }
    throw new AssertionError("no task to claim within 20 s");
  }

  void complete(TaskAssignment a) {
    HttpResponse<String> r =
        work(
            WorkProtocol.completePath(a.leaseId()),
            Json.write(new TaskCompletion(Outputs.outputFor(a))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }

  void fail(TaskAssignment a, TaskFailure failure) {
    HttpResponse<String> r = work(WorkProtocol.failPath(a.leaseId()), Json.write(failure));
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
  }
}
