package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.common.testing.FaultProxy;

/**
 * The unmodified tus-js-client (npm, run by Node) uploads to the real appliance: control plane and
 * ingest in one JVM on loopback. Every upload's stored original must hash like the source.
 */
class TusJsClientIT {
  private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path tmp;
  private static AllInOne all;
  private static String apiKey;
  private static Path source;
  private static String sourceSha256;

  @BeforeAll
  static void setUp() throws Exception {
    assumeNode();
    all = AllInOne.start(tmp.resolve("data"), Optional.of(0), Map.of());
    apiKey = all.firstStartCredentials().orElseThrow().apiKey();
    source = tmp.resolve("source.mp4");
    sourceSha256 = writeFakeMp4(source, 24 * 1024 * 1024 + 12345);
  }

  @AfterAll
  static void tearDown() {
    if (all != null) {
      all.close();
    }
  }

  @Test
  void plainUpload_storedOriginalMatchesSource() throws Exception {
    assertUploads(1, null);
  }

  @Test
  void parallelUploads4_storedOriginalMatchesSource() throws Exception {
    assertUploads(4, null);
  }

  @Test
  void connectionResetSeveralTimesMidBody_resumesAndMatches() throws Exception {
    URI ingest = all.urls().get("ingest");
    try (FaultProxy proxy =
        new FaultProxy(new InetSocketAddress("127.0.0.1", ingest.getPort()), 3 << 20, 3)) {
      assertUploads(1, proxy);
      assertThat(proxy.resetsDone()).isEqualTo(3);
    }
  }

  private void assertUploads(int parallel, FaultProxy proxy) throws Exception {
    JsonNode created = createVideo(Files.size(source));
    String id = created.get("id").asText();
    String uploadUrl = created.get("uploadUrl").asText();
    if (proxy != null) {
      URI u = URI.create(uploadUrl);
      uploadUrl = "http://127.0.0.1:" + proxy.port() + u.getRawPath();
    }
    JsonNode result = runNode(uploadUrl, parallel);
    assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();

    // The source is random bytes behind an MP4 header: the pipeline may already have picked it up
    // and failed it by now. What this test is about is the upload, applied once and intact.
    JsonNode video = awaitUploaded(id);
    assertThat(video.get("sha256").asText()).isEqualTo(sourceSha256);
    assertThat(video.get("sizeBytes").asLong()).isEqualTo(Files.size(source));
    Path original = all.dataDir().resolve("blobs/originals/" + id + "/source");
    assertThat(sha256(Files.readAllBytes(original))).isEqualTo(sourceSha256);
  }

  private static JsonNode createVideo(long size) throws Exception {
    String body =
        Json.write(Map.of("filename", "source.mp4", "size", size, "contentType", "video/mp4"));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(all.urls().get("control-plane").resolve("/api/v1/videos"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Json.mapper().readTree(r.body());
  }

  /** Waits until the upload is applied: UPLOADED or any later state. */
  private static JsonNode awaitUploaded(String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode video;
    do {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      all.urls().get("control-plane").resolve("/api/v1/videos/" + id))
                  .header("Authorization", "Bearer " + apiKey)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      video = Json.mapper().readTree(r.body());
      if (video.hasNonNull("sha256")) {
        return video;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("video " + id + " was never uploaded: " + video);
  }

  private static JsonNode runNode(String uploadUrl, int parallel) throws Exception {
    Process p =
        new ProcessBuilder(
                "node",
                "upload.mjs",
                uploadUrl,
                source.toString(),
                "--parallel",
                String.valueOf(parallel))
            .directory(NODE_DIR.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
    assertThat(lines).as(out).isNotEmpty();
    return Json.mapper().readTree(lines.get(lines.size() - 1));
  }

  /** Node and the npm packages must be there; CI installs both, so there a miss is a failure. */
  private static void assumeNode() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean hasNode;
    try {
      hasNode = new ProcessBuilder("node", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      hasNode = false;
    }
    if (!hasNode) {
      if (ci) {
        throw new AssertionError("node is required in CI for the tus-js-client tests");
      }
      System.err.println("SKIPPED: TusJsClientIT needs node on the PATH");
      assumeTrue(false, "node is not installed");
    }
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/tus-js-client"))) {
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(NODE_DIR.toFile())
              .inheritIO()
              .start();
      assertThat(npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0)
          .as("npm ci in " + NODE_DIR)
          .isTrue();
    }
  }

  /** An MP4-looking file (an ftyp box, then deterministic noise): enough for ingest's sniffer. */
  static String writeFakeMp4(Path file, int size) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] ftyp = {
      0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'i', 's',
      'o', '2'
    };
    Random random = new Random(42);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ftyp);
      sha.update(ftyp);
      byte[] buf = new byte[64 * 1024];
      int left = size - ftyp.length;
      while (left > 0) {
        random.nextBytes(buf);
        int n = Math.min(left, buf.length);
        out.write(buf, 0, n);
        sha.update(buf, 0, n);
        left -= n;
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
