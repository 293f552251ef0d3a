package org.reelbox.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.reelbox.common.config.ConfigLoader;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;
import org.reelbox.common.storage.BlobStore;

/**
 * A real ingest role on loopback for tests: started from the same config loader as production, with
 * a test clock, a storage section chosen by the test, and short timings (sweep every second,
 * notification retries in milliseconds). {@link #restart()} closes it and starts a new one on the
 * same data dir and store, as a process restart would.
 */
final class IngestHarness implements AutoCloseable {
  static final String SECRET = "test-cluster-secret-0123456789abcdef-xyz";

  private final Path dataDir;
  private final TestClock clock;
  private final ObjectNode storage;
  private final String controlPlaneUrl;
  private final Consumer<ObjectNode> tweaks;
  private final Tokens tokens;
  private IngestRole role;

  IngestHarness(
      Path dataDir,
      TestClock clock,
      ObjectNode storage,
      String controlPlaneUrl,
      Consumer<ObjectNode> tweaks) {
    this.dataDir = requireNonNull(dataDir, "dataDir");
    this.clock = requireNonNull(clock, "clock");
    this.storage = requireNonNull(storage, "storage");
    this.controlPlaneUrl = requireNonNull(controlPlaneUrl, "controlPlaneUrl");
    this.tweaks = requireNonNull(tweaks, "tweaks");
    this.tokens = new Tokens(KeyRing.derivedFrom(SECRET), clock);
  }

  static ObjectNode fileStorage() {
    ObjectNode storage = JsonNodeFactory.instance.objectNode();
    storage.put("type", "file");
    return storage;
  }

  IngestConfig config() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("http").put("host", "127.0.0.1").put("port", 0);
    o.put("dataDir", dataDir.toString());
    o.set("storage", storage.deepCopy());
    o.putObject("cluster").put("secret", SECRET).put("controlPlaneUrl", controlPlaneUrl);
    o.putObject("uploads")
        .put("expirySeconds", 3600)
        .put("sweepIntervalSeconds", 1)
        .put("s3PartSizeBytes", 5 * 1024 * 1024)
        .put("idleTimeoutSeconds", 10)
        .put("ioThreads", 8);
    o.putObject("notifications").put("initialBackoffMillis", 20).put("maxBackoffMillis", 200);
    tweaks.accept(o);
    return ConfigLoader.forRole(IngestRole.NAME, Map.of()).load(IngestConfig.class, o);
  }

  IngestHarness start() throws Exception {
    IngestRole started = new IngestRole(config(), clock);
    try {
      started.start();
    } catch (Exception e) {
      started.close();
      throw e;
    }
    role = started;
    return this;
  }

  /** Closes the role and starts a new one on the same data dir and store. */
  IngestHarness restart() throws Exception {
    role.close();
    return start();
  }

  URI baseUrl() {
    return role.baseUrl();
  }

  BlobStore blobs() {
    return role.blobs();
  }

  Path dataDir() {
    return dataDir;
  }

  TestClock clock() {
    return clock;
  }

  /** An upload token for {@code videoId}, as the control plane would issue it. */
  String token(String videoId, long byteLimit, Duration ttl) {
    return tokens.sign(
        TokenClaims.unsigned(
            videoId, TokenScope.UPLOAD, "42", byteLimit, clock.instant().plus(ttl)));
  }

  String token(String videoId) {
    return token(videoId, 64L * 1024 * 1024, Duration.ofHours(2));
  }

  String token(String videoId, TokenScope scope) {
    return tokens.sign(
        TokenClaims.unsigned(
            videoId, scope, "42", 1024, clock.instant().plus(Duration.ofHours(1))));
  }

  @Override
  public void close() {
    if (role != null) {
      role.close();
    }
  }
}
