package org.reelbox.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Checks every role's admin endpoints the same way; shared with the roles' tests (test-jar). */
public final class RoleAssertions {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private RoleAssertions() {}

  public static HttpResponse<String> send(String method, URI uri) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  public static HttpResponse<String> get(URI uri) throws IOException {
    return send("GET", uri);
  }

  /**
   * {@code /healthz} and {@code /readyz} answer 200 with the role's name, {@code /metrics} answers
   * Prometheus text with JVM meters tagged with the role, an unknown path answers a JSON 404 and a
   * POST to a probe a JSON 405.
   */
  public static void assertAdminEndpoints(URI base, String role) throws IOException {
    HttpResponse<String> health = get(base.resolve("/healthz"));
    assertThat(health.statusCode()).as("%s /healthz", role).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"role\":\"" + role + "\"");

    HttpResponse<String> ready = get(base.resolve("/readyz"));
    assertThat(ready.statusCode()).as("%s /readyz: %s", role, ready.body()).isEqualTo(200);

    HttpResponse<String> metrics = get(base.resolve("/metrics"));
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("# TYPE jvm_memory_used_bytes gauge")
        .contains("role=\"" + role + "\"")
        .contains("process_uptime_seconds")
        .contains("jvm_threads_live_threads");

    HttpResponse<String> missing = get(base.resolve("/no/such/path"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("\"error\":\"NOT_FOUND\"").contains("\"message\"");

    HttpResponse<String> post = send("POST", base.resolve("/healthz"));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.body()).contains("\"error\":\"METHOD_NOT_ALLOWED\"");
  }
}
