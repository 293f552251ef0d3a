package org.reelbox.control.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.control.edges.EdgeRecord;
import org.reelbox.control.store.VideoId;

/**
 * Removes one video from every edge box's cache: {@code DELETE {publicUrl}/internal/cache/videos/
 * {id}} with the cluster credential (the edge's purge endpoint, docs/edge-cache.md), to all boxes
 * at once, each bounded by a timeout. A box that is down, slow or refuses does not hold up or fail
 * the others: each answer is reported on its own.
 *
 * <p>Every registered box is asked, healthy or not, draining or not: a box that is only late with
 * its heartbeat still serves what it has, and a purge it misses would leave it serving the old
 * bytes. A box that cannot be reached is reported with its error; the admin purges again once it is
 * back.
 */
public final class EdgePurge {
  /** What one box answered. */
  public record Result(String edgeId, Integer status, String error) {
    public Result {
      requireNonNull(edgeId, "edgeId");
    }

    /** Whether the box purged the video. */
    public boolean purged() {
      return status != null && status / 100 == 2;
    }
  }

  private static final int MAX_ERROR_CHARS = 200;

  private final ClusterAuth auth;
  private final Duration timeout;
  private final HttpClient client;

  /**
   * @param timeout the most one box may take, connecting included
   */
  public EdgePurge(ClusterAuth auth, Duration timeout) {
    this.auth = requireNonNull(auth, "auth");
    this.timeout = requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Asks every box in {@code edges} to purge {@code videoId}; completes when all have answered. */
  public CompletableFuture<List<Result>> purge(List<EdgeRecord> edges, VideoId videoId) {
    requireNonNull(videoId, "videoId");
    List<CompletableFuture<Result>> calls = new ArrayList<>();
    for (EdgeRecord e : edges) {
      calls.add(purgeOne(e, videoId));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(v -> calls.stream().map(CompletableFuture::join).toList());
  }

  private CompletableFuture<Result> purgeOne(EdgeRecord edge, VideoId videoId) {
    URI uri;
    try {
      uri = URI.create(stripSlash(edge.publicUrl()) + "/internal/cache/videos/" + videoId.value());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new Result(edge.edgeId(), null, "bad publicUrl: " + e.getMessage()));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).DELETE();
    auth.apply(request);
    try {
      return client
          .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
          .handle(
              (response, failure) ->
                  failure == null
                      ? answered(edge.edgeId(), response)
                      : new Result(edge.edgeId(), null, describe(failure)));
    } catch (IllegalArgumentException e) {
      // The JDK refuses some URIs only when sending (no host, an unknown scheme).
      return CompletableFuture.completedFuture(
          new Result(edge.edgeId(), null, "bad publicUrl: " + e.getMessage()));
    }
  }

  private static Result answered(String edgeId, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status / 100 == 2) {
      return new Result(edgeId, status, null);
    }
    String error = "HTTP " + status;
    try {
      JsonNode body = Json.mapper().readTree(response.body());
      if (body != null && body.hasNonNull("error")) {
        error = body.get("error").asText() + ": " + body.path("message").asText("");
      }
    } catch (IOException e) {
      // Not an error body: the status says enough.
    }
    return new Result(edgeId, status, clip(error));
  }

  private String describe(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
      return "no answer within " + timeout.toMillis() + " ms";
    }
    String message = cause.getMessage();
    return clip(
        cause.getClass().getSimpleName()
            + (message == null || message.isBlank() ? "" : ": " + message));
  }

  private static String clip(String s) {
    return s.length() > MAX_ERROR_CHARS ? s.substring(0, MAX_ERROR_CHARS - 1) + "…" : s;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
