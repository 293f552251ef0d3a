package org.reelbox.launcher;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.storage.FileBlobStore;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.launcher.client.ApiClient;
import org.reelbox.launcher.client.ClientSettings;
import org.reelbox.launcher.client.TusUploader;

/**
 * The whole appliance in this JVM ({@link AllInOne} on free loopback ports, embedded defaults) as
 * the end-to-end tests drive it: through the control plane's API with the admin key of the data
 * dir, tus uploads with the CLI's {@link TusUploader}, and plain HTTP at the origin.
 */
final class Appliance implements AutoCloseable {
  private static final Set<String> SETTLED = Set.of("READY", "FAILED");

  private final AllInOne all;
  private final ApiClient api;
  private final HttpClient http = HttpClient.newHttpClient();

  private Appliance(AllInOne all) {
    this.all = all;
    ClientSettings settings =
        ClientSettings.resolve(
            null, all.dataDir(), all.urls().get("control-plane").toString(), Map.of());
    this.api = new ApiClient(settings);
  }

  /** Starts every role on free ports with {@code data} as the data dir and {@code env} applied. */
  static Appliance start(Path data, Map<String, String> env) throws Exception {
    return new Appliance(AllInOne.start(data, Optional.of(0), env));
  }

  ApiClient api() {
    return api;
  }

  /** The running appliance, to restart a role. */
  AllInOne all() {
    return all;
  }

  /** The base URL of a role ({@code "edge"}, {@code "origin"}, …). */
  URI url(String role) {
    return requireNonNull(all.urls().get(role), () -> "no role " + role);
  }

  /** {@code GET /api/v1/admin/edges}: the control plane's edge registry. */
  JsonNode edges() throws IOException {
    return api.get("/api/v1/admin/edges");
  }

  Path dataDir() {
    return all.dataDir();
  }

  /** {@code POST /api/v1/videos}: {@code {id, uploadUrl, …}}. */
  JsonNode createVideo(String filename, long size) throws IOException {
    return api.createVideo(filename, size, "video/mp4", filename);
  }

  /** Uploads {@code file} to the video's upload URL over tus, as {@code reelbox upload} does. */
  void upload(JsonNode video, Path file) throws IOException, InterruptedException {
    new TusUploader(3, Duration.ofSeconds(2), n -> {})
        .upload(
            URI.create(video.get("uploadUrl").asText()),
            file,
            Files.size(file),
            1,
            Map.of("filename", file.getFileName().toString(), "filetype", "video/mp4"));
  }

  /**
   * Completes an upload without ingest, the way ingest itself does: the bytes become {@code
   * originals/{id}/source} in the shared blob store and the control plane hears {@code POST
   * /internal/videos/{id}/uploaded} with the cluster-auth header. Bad inputs that ingest's sniffer
   * would refuse reach the pipeline this way.
   */
  void injectUpload(String videoId, byte[] bytes) throws IOException, InterruptedException {
    FileBlobStore blobs = new FileBlobStore(dataDir().resolve("blobs"));
    blobs.put(BlobLayout.sourceKey(videoId), new ByteArrayInputStream(bytes), bytes.length);
    String secret = AllInOne.clusterSecret(dataDir());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                all.urls()
                    .get("control-plane")
                    .resolve("/internal/videos/" + videoId + "/uploaded"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    Json.write(Map.of("sizeBytes", bytes.length, "sha256", sha256(bytes)))));
    ClusterAuth.of(secret).apply(request);
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /**
   * Runs {@code during} while role {@code name} is down (closed), then starts it again: {@link
   * AllInOne#restart}.
   */
  void whileDown(String name, AllInOne.ThrowingRunnable during) throws Exception {
    all.restart(name, during);
  }

  /** Where the origin of this appliance listens. */
  URI originUrl() {
    return all.urls().get("origin");
  }

  JsonNode video(String id) throws IOException {
    return api.get("/api/v1/videos/" + id);
  }

  JsonNode tasks(String id) throws IOException {
    return api.get("/api/v1/videos/" + id + "/tasks");
  }

  /**
   * Polls the video until it is READY or FAILED; on timeout throws an AssertionError carrying the
   * video and its task list, which say where the job stopped.
   */
  JsonNode awaitSettled(String id, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode video = video(id);
    while (!SETTLED.contains(video.path("state").asText())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "video "
                + id
                + " not settled after "
                + timeout
                + ":\n"
                + video.toPrettyString()
                + "\ntasks:\n"
                + tasks(id).toPrettyString());
      }
      Thread.sleep(250);
      video = video(id);
    }
    return video;
  }

  /** Tasks of the video's job still QUEUED, WAITING or RUNNING (a stuck job has some). */
  List<String> unfinishedTasks(String id) throws IOException {
    List<String> open = new ArrayList<>();
    for (JsonNode t : tasks(id).path("tasks")) {
      String state = t.path("state").asText();
      if (state.equals("QUEUED") || state.equals("RUNNING") || state.equals("WAITING")) {
        open.add(t.path("id").asText() + "=" + state);
      }
    }
    return open;
  }

  /** The objects left under {@code temp/{id}/} (none once the job has ended). */
  List<Path> tempObjects(String id) throws IOException {
    Path temp = dataDir().resolve("blobs").resolve(BlobLayout.tempPrefix(id));
    if (!Files.exists(temp)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(temp)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(requireNonNull(uri, "uri")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** GETs {@code uri}, asserting 200. */
  byte[] fetch(URI uri) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = get(uri);
    assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
    return r.body();
  }

  String fetchText(URI uri) throws IOException, InterruptedException {
    return new String(fetch(uri), java.nio.charset.StandardCharsets.UTF_8);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode parse(String json) throws IOException {
    return Json.mapper().readTree(json);
  }

  @Override
  public void close() {
    all.close();
  }
}
