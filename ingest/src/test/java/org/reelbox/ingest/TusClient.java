package org.reelbox.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** A bare tus client over the JDK's HTTP client: each method is one request. */
final class TusClient {
  static final String OCTETS = "application/offset+octet-stream";

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Supplier<URI> base;

  /**
   * @param base the ingest base URL, asked again for each request (it changes on restart)
   */
  TusClient(Supplier<URI> base) {
    this.base = base;
  }

  /** A request: the path is resolved against the base URL; tus headers as given. */
  HttpResponse<String> send(String method, String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.get().resolve(path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.get().resolve(path)).timeout(Duration.ofSeconds(120));
  }

  static Map<String, String> tus(String... more) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Tus-Resumable", "1.0.0");
    for (int i = 0; i < more.length; i += 2) {
      headers.put(more[i], more[i + 1]);
    }
    return headers;
  }

  /** Creates an upload; returns its Location. */
  String create(String token, long length, String... headers) {
    Map<String, String> h = tus(headers);
    h.put("Upload-Length", Long.toString(length));
    HttpResponse<String> response = send("POST", "/t/" + token + "/files/", h, null);
    assertThat(response.statusCode()).as("create: %s", response.body()).isEqualTo(201);
    return response.headers().firstValue("Location").orElseThrow();
  }

  /** Creates a partial upload and uploads all of {@code data}; returns its Location. */
  String partial(String token, byte[] data) {
    String location = create(token, data.length, "Upload-Concat", "partial");
    if (data.length > 0) {
      assertThat(patch(location, 0, data).statusCode()).isEqualTo(204);
    }
    return location;
  }

  HttpResponse<String> patch(String location, long offset, byte[] chunk, String... headers) {
    Map<String, String> h = tus(headers);
    h.putIfAbsent("Content-Type", OCTETS);
    h.put("Upload-Offset", Long.toString(offset));
    return send("PATCH", location, h, chunk);
  }

  HttpResponse<String> head(String location) {
    return send("HEAD", location, tus(), null);
  }

  /** The upload's offset, from HEAD. */
  long offset(String location) {
    HttpResponse<String> response = head(location);
    assertThat(response.statusCode()).as("HEAD %s", location).isEqualTo(200);
    return Long.parseLong(response.headers().firstValue("Upload-Offset").orElseThrow());
  }

  /** Creates an upload and sends {@code data} in chunks of {@code chunk} bytes. */
  String upload(String token, byte[] data, int chunk) {
    String location = create(token, data.length);
    for (int offset = 0; offset < data.length; offset += chunk) {
      int n = Math.min(chunk, data.length - offset);
      byte[] part = java.util.Arrays.copyOfRange(data, offset, offset + n);
      HttpResponse<String> response = patch(location, offset, part);
      assertThat(response.statusCode())
          .as("PATCH at %s: %s", offset, response.body())
          .isEqualTo(204);
    }
    return location;
  }
}
