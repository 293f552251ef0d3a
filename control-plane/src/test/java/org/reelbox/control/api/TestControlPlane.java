package org.reelbox.control.api;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.reelbox.common.config.ConfigLoader;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.control.ControlPlaneRole;
import org.reelbox.control.config.ControlPlaneConfig;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;

/**
 * A real control plane on 127.0.0.1 with a free port and embedded H2 in a temp dir, and a JDK
 * HttpClient to talk to it. One per test class: starting costs about a second (Flyway, and the
 * admin's bcrypt hash).
 */
final class TestControlPlane implements AutoCloseable {
  static final String SECRET = "test-cluster-secret-0123456789-abcdefghij";
  static final String INGEST_URL = "http://ingest.example:18081";
  // A bcrypt hash of nothing anyone types: users made through the store skip bcrypt's cost.
  static final String HASH = "$2a$04$abcdefghijklmnopqrstuuJ7mGk1yDkC0pW6wq0v0Hk3jO6Cq5F8W";

  final ControlPlaneRole role;
  final URI base;
  final String adminKey;
  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TestControlPlane(ControlPlaneRole role) {
    this.role = role;
    this.base = role.baseUrl();
    this.adminKey = role.firstStartCredentials().map(c -> c.apiKey()).orElse(null);
  }

  static TestControlPlane start(Path dataDir) throws Exception {
    return start(dataDir, o -> {});
  }

  /** Starts a control plane; {@code overrides} may change the test config before it is bound. */
  static TestControlPlane start(Path dataDir, Consumer<ObjectNode> overrides) throws Exception {
    return start(dataDir, overrides, Clock.systemUTC());
  }

  /** Starts a control plane on {@code clock} (a manual one moves session expiry, for example). */
  static TestControlPlane start(Path dataDir, Consumer<ObjectNode> overrides, Clock clock)
      throws Exception {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("http").put("host", "127.0.0.1").put("port", 0);
    o.put("dataDir", dataDir.toString());
    o.putObject("cluster").put("secret", SECRET);
    o.put("ingestUrl", INGEST_URL);
    o.put("eventsHeartbeatSeconds", 1);
    overrides.accept(o);
    ControlPlaneConfig config =
        ConfigLoader.forRole(ControlPlaneRole.NAME, Map.of()).load(ControlPlaneConfig.class, o);
    ControlPlaneRole role = new ControlPlaneRole(config, clock);
    try {
      role.start();
    } catch (Exception | Error e) {
      role.close();
      throw e;
    }
    return new TestControlPlane(role);
  }

  MetadataStore store() {
    return role.store();
  }

  User user(String username, UserRole userRole) {
    return store().createUser(username, userRole, HASH);
  }

  String key(User user) {
    return store().createApiKey(user.id(), "test").plaintext();
  }

  /** A new user of {@code userRole} and an API key of theirs. */
  Caller caller(String username, UserRole userRole) {
    User user = user(username, userRole);
    return new Caller(user, key(user));
  }

  record Caller(User user, String key) {}

  HttpResponse<String> send(String method, String path, String apiKey, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, UTF_8));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return send(request.build());
  }

  /** A POST to an internal endpoint with the cluster credential. */
  HttpResponse<String> internal(String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8));
    ClusterAuth.of(SECRET).apply(request);
    return send(request.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  /** Builds a JSON object from alternating names and values. */
  static String body(Object... namesAndValues) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      o.set((String) namesAndValues[i], Json.mapper().valueToTree(namesAndValues[i + 1]));
    }
    return Json.write(o);
  }

  @Override
  public void close() {
    role.close();
  }
}
