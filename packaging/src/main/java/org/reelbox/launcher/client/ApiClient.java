package org.reelbox.launcher.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.reelbox.common.json.Json;

/** The control plane's REST API as the CLI uses it. */
public final class ApiClient {
  private final ClientSettings settings;
  private final HttpClient http;

  public ApiClient(ClientSettings settings) {
    this.settings = requireNonNull(settings, "settings");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** A failed API call: the HTTP status and the server's error code and message. */
  public static final class ApiCallException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ApiCallException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  public JsonNode post(String path, Object body) throws IOException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
            .build());
  }

  public JsonNode put(String path, Object body) throws IOException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(Json.write(body)))
            .build());
  }

  public JsonNode get(String path) throws IOException {
    return send(request(path).GET().build());
  }

  /** Creates a video for an upload: {@code {id, uploadUrl, expiresAt, state}}. */
  public JsonNode createVideo(String filename, long size, String contentType, String title)
      throws IOException {
    return createVideo(filename, size, contentType, title, null, List.of());
  }

  /**
   * Creates a video with a pipeline profile (null: the default) and a subset of its ladder (empty:
   * the whole ladder), the creator options of {@code POST /api/v1/videos}.
   */
  public JsonNode createVideo(
      String filename,
      long size,
      String contentType,
      String title,
      String profile,
      List<String> renditions)
      throws IOException {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    if (profile != null) {
      body.put("profile", profile);
    }
    if (!renditions.isEmpty()) {
      body.put("renditions", List.copyOf(renditions));
    }
    body.put("filename", filename);
    body.put("size", size);
    body.put("contentType", contentType);
    if (title != null) {
      body.put("title", title);
    }
    return post("/api/v1/videos", body);
  }

  /**
   * Follows {@code /api/v1/videos/{id}/events} (Server-Sent Events), handing each state event's
   * data to {@code onEvent} until it returns true or the stream ends.
   */
  public void followEvents(String videoId, Predicate<JsonNode> onEvent) throws IOException {
    HttpRequest req =
        request("/api/v1/videos/" + videoId + "/events")
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<InputStream> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    try (InputStream body = r.body();
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      if (r.statusCode() != 200) {
        throw error(r.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
      StringBuilder data = new StringBuilder();
      String type = "message"; // the SSE default when an event names no type
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("event:")) {
          type = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        } else if (line.isEmpty()) {
          // Only state events: the stream also sends the job's progress (event: progress).
          boolean state = type.equals("state") && data.length() > 0;
          JsonNode event = state ? Json.mapper().readTree(data.toString()) : null;
          data.setLength(0);
          type = "message";
          if (state && onEvent.test(event)) {
            return;
          }
        }
      }
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(settings.controlPlane().resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + settings.apiKey());
  }

  private JsonNode send(HttpRequest req) throws IOException {
    HttpResponse<String> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (r.statusCode() / 100 != 2) {
      throw error(r.statusCode(), r.body());
    }
    return Json.mapper().readTree(r.body());
  }

  private static ApiCallException error(int status, String body) {
    String message = body;
    try {
      JsonNode n = Json.mapper().readTree(body);
      if (n.has("error")) {
        message = n.get("error").asText() + ": " + n.path("message").asText();
      }
    } catch (IOException notJson) {
      // Keep the raw body.
    }
    return new ApiCallException(status, "HTTP " + status + " " + message);
  }
}
