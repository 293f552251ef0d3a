package org.reelbox.origin.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;

/**
 * {@link VideoStates} from the control plane's {@code GET /internal/videos/{id}/playback}, with the
 * cluster credential, each answer kept for a few seconds (Caffeine; negative answers too, so a scan
 * of made-up ids costs one call per id per period, not one per request). Failures are not kept: the
 * next request asks again.
 *
 * <p>A few seconds of staleness is harmless: a video that became playable meanwhile has its master
 * in storage, which is looked at first, and one that failed keeps its original, which still remuxes
 * correctly. Thread-safe; calls block (storage executor only).
 */
public final class ControlPlaneStates implements VideoStates {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  private final URI base;
  private final ClusterAuth auth;
  private final HttpClient http;
  private final Cache<String, Optional<VideoState>> cache;

  /**
   * @param controlPlaneUrl such as {@code http://127.0.0.1:8080}
   * @param ttl how long an answer is kept; zero keeps none
   */
  public ControlPlaneStates(String controlPlaneUrl, ClusterAuth auth, Duration ttl) {
    String url = requireNonNull(controlPlaneUrl, "controlPlaneUrl");
    this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.auth = requireNonNull(auth, "auth");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CALL_TIMEOUT)
            .build();
    this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
  }

  @Override
  public Optional<VideoState> find(String videoId) throws IOException {
    Optional<VideoState> cached = cache.getIfPresent(videoId);
    if (cached != null) {
      return cached;
    }
    Optional<VideoState> answer = ask(videoId);
    cache.put(videoId, answer);
    return answer;
  }

  private Optional<VideoState> ask(String videoId) throws IOException {
    // videoId passed PlaybackPath's whitelist: 11 base64url characters, safe in a path.
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/internal/videos/" + videoId + "/playback"))
            .timeout(CALL_TIMEOUT)
            .GET();
    auth.apply(request);
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted asking the control plane", e);
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new IOException("control plane answered " + response.statusCode() + " for a video");
    }
    JsonNode json = Json.mapper().readTree(response.body());
    JsonNode state = json.get("state");
    JsonNode playable = json.get("playable");
    if (state == null || !state.isTextual() || playable == null || !playable.isBoolean()) {
      throw new IOException("control plane answer without state/playable");
    }
    return Optional.of(new VideoState(state.asText(), playable.asBoolean()));
  }
}
