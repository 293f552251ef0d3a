package org.reelbox.edge.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.reelbox.common.json.Json;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.common.security.ClusterAuth;

/**
 * The box's fill list from the control plane: {@code GET /internal/edges/{id}/fill} with the
 * cluster credential (docs/edges.md, "Fill"). Ids that are not video ids are dropped: the list only
 * decides what to fetch, and a bad one must not become a path.
 */
public final class HttpFillSource implements FillSource {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI uri;
  private final ClusterAuth auth;
  private final HttpClient http;

  public HttpFillSource(String controlPlaneUrl, String edgeId, ClusterAuth auth) {
    this.uri = URI.create(requireNonNull(controlPlaneUrl) + "/internal/edges/" + edgeId + "/fill");
    this.auth = requireNonNull(auth, "auth");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
  }

  @Override
  public List<String> videos() throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
    auth.apply(request);
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new IOException("fill list: HTTP " + response.statusCode() + " from " + uri);
    }
    JsonNode videos = Json.mapper().readTree(response.body()).path("videos");
    List<String> ids = new ArrayList<>();
    for (JsonNode v : videos) {
      String id = v.path("videoId").asText("");
      if (PlaybackPath.VIDEO_ID.matcher(id).matches()) {
        ids.add(id);
      }
    }
    return List.copyOf(ids);
  }
}
