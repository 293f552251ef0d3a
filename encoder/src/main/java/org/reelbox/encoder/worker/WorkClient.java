package org.reelbox.encoder.worker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.work.ClaimRequest;
import org.reelbox.common.work.LeaseRenewal;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskCompletion;
import org.reelbox.common.work.TaskFailure;
import org.reelbox.common.work.WorkProtocol;

/**
 * The worker's side of the work protocol ({@link WorkProtocol}): one HTTP call per method, no
 * retries (the {@link Worker} decides what to retry). Every call carries the cluster-auth header.
 */
public final class WorkClient {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  private final URI base;
  private final ClusterAuth auth;
  private final HttpClient http;

  /**
   * @param controlPlaneUrl the control plane's base URL, {@code http://127.0.0.1:8080}
   */
  public WorkClient(String controlPlaneUrl, ClusterAuth auth) {
    String url = requireNonNull(controlPlaneUrl, "controlPlaneUrl");
    this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.auth = requireNonNull(auth, "auth");
    // HTTP/1.1: an h2c upgrade attempt on every long poll buys nothing on a cluster-internal hop.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /**
   * Long-polls for a task.
   *
   * @return the assignment, or empty when none became ready within {@code request.waitSeconds()}
   */
  public Optional<TaskAssignment> claim(ClaimRequest request)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        send(
            WorkProtocol.CLAIM_PATH,
            "POST",
            Json.writeBytes(request),
            CALL_TIMEOUT.plusSeconds(request.waitSeconds()));
    if (response.statusCode() == 204) {
      return Optional.empty();
    }
    expect(response, 200, "claim");
    return Optional.of(Json.mapper().readValue(response.body(), TaskAssignment.class));
  }

  /** Renews a lease; answers the new lease length in seconds. */
  public int renew(String leaseId) throws IOException, InterruptedException, LeaseLostException {
    HttpResponse<byte[]> response =
        send(WorkProtocol.renewPath(leaseId), "POST", new byte[0], CALL_TIMEOUT);
    leaseCheck(response, leaseId);
    expect(response, 200, "renew");
    return Json.mapper().readValue(response.body(), LeaseRenewal.class).leaseSeconds();
  }

  /** Reports success with the task's output. */
  public void complete(String leaseId, JsonNode output)
      throws IOException, InterruptedException, LeaseLostException {
    HttpResponse<byte[]> response =
        send(
            WorkProtocol.completePath(leaseId),
            "POST",
            Json.writeBytes(new TaskCompletion(output)),
            CALL_TIMEOUT);
    leaseCheck(response, leaseId);
    expectSuccess(response, "complete");
  }

  /** Reports a failure. */
  public void fail(String leaseId, TaskFailure failure)
      throws IOException, InterruptedException, LeaseLostException {
    HttpResponse<byte[]> response =
        send(WorkProtocol.failPath(leaseId), "POST", Json.writeBytes(failure), CALL_TIMEOUT);
    leaseCheck(response, leaseId);
    expectSuccess(response, "fail");
  }

  /**
   * Leaves the worker queue: the control plane returns this worker's tasks to the queue at once.
   */
  public void leave(String workerId) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        send(WorkProtocol.WORKERS_PATH + workerId, "DELETE", null, CALL_TIMEOUT);
    if (response.statusCode() != 404) {
      expectSuccess(response, "leave");
    }
  }

  private HttpResponse<byte[]> send(String path, String method, byte[] body, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }
    auth.apply(request);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void leaseCheck(HttpResponse<byte[]> response, String leaseId)
      throws LeaseLostException {
    if (response.statusCode() == 409) {
      throw new LeaseLostException(leaseId);
    }
  }

  private static void expect(HttpResponse<byte[]> response, int status, String what)
      throws IOException {
    if (response.statusCode() != status) {
      throw failure(response, what);
    }
  }

  private static void expectSuccess(HttpResponse<byte[]> response, String what) throws IOException {
    if (response.statusCode() / 100 != 2) {
      throw failure(response, what);
    }
  }

  private static WorkCallException failure(HttpResponse<byte[]> response, String what) {
    String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    if (body.length() > 300) {
      body = body.substring(0, 300) + "…";
    }
    return new WorkCallException(what, response.statusCode(), body);
  }

  /** The control plane answered a call with an unexpected status. */
  public static final class WorkCallException extends IOException {
    private final int status;

    WorkCallException(String what, int status, String body) {
      super(what + " answered " + status + ": " + body);
      this.status = status;
    }

    public int status() {
      return status;
    }

    /** Whether retrying the same call cannot help (a 4xx other than 408/429). */
    public boolean permanent() {
      return status / 100 == 4 && status != 408 && status != 429;
    }
  }
}
