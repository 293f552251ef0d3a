package org.reelbox.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.reelbox.launcher.client.ApiClient;
import org.reelbox.launcher.client.ClientSettings;
import org.reelbox.launcher.client.ProgressBar;
import org.reelbox.launcher.client.TusUploader;

/**
 * The demo's upload: a sample video generated in Java, created on the control plane with the
 * admin's API key and uploaded to ingest over tus, exactly as {@code reelbox upload} does; then it
 * follows the video's state.
 */
final class DemoUpload {
  private static final Set<String> SETTLED = Set.of("READY", "FAILED");

  private final PrintWriter out;
  private final PrintWriter err;

  DemoUpload(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  void run(AllInOne all) throws IOException, InterruptedException {
    Path sample = all.dataDir().resolve("sample.mp4");
    out.println();
    out.println("generating a 10 s sample video (jcodec, H.264 640x360) …");
    out.flush();
    SampleVideo.write(sample, 10);
    long size = Files.size(sample);

    ClientSettings settings =
        ClientSettings.resolve(
            null, all.dataDir(), all.urls().get("control-plane").toString(), Map.of());
    ApiClient api = new ApiClient(settings);
    JsonNode video = api.createVideo("sample.mp4", size, "video/mp4", "reelbox demo sample");
    String id = video.get("id").asText();
    out.println("uploading it over tus as video " + id + " (" + size + " bytes) …");
    out.flush();
    ProgressBar bar = new ProgressBar(err, size, Clock.systemUTC());
    new TusUploader(10, Duration.ofSeconds(5), bar::add)
        .upload(
            URI.create(video.get("uploadUrl").asText()),
            sample,
            size,
            1,
            Map.of("filename", "sample.mp4", "filetype", "video/mp4"));
    bar.finish();

    out.println("transcoding it (inspect, split, encode the ladder, audio, thumbnails, package) …");
    out.flush();
    JsonNode state = awaitSettled(api, id, Duration.ofMinutes(10));
    String finalState = state.path("state").asText();
    out.println("video " + id + ": " + finalState);
    out.println("  original   " + all.dataDir().resolve("blobs/originals/" + id + "/source"));
    out.println("  sha256     " + state.path("sha256").asText());
    out.println("  API        " + all.urls().get("control-plane") + "/api/v1/videos/" + id);
    if (finalState.equals("READY")) {
      String master = state.path("playback").path("masterUrl").asText();
      out.println("  play       " + master);
      out.println("             (ffplay, VLC, Safari, or: ffprobe " + master + ")");
      // The same path on the edge box: its first play fills the cache, the next ones are hits
      // (X-Cache: HIT); the edge's /metrics counts them.
      URI edge = all.urls().get("edge");
      if (edge != null) {
        out.println("  via edge   " + edge + "/v/" + id + "/master.m3u8");
      }
    } else if (finalState.equals("FAILED")) {
      out.println(
          "  error      "
              + state.path("error").path("code").asText()
              + ": "
              + state.path("error").path("message").asText());
    } else {
      out.println("  still " + finalState + " after 10 minutes; follow it at the API URL");
    }
    out.flush();
  }

  private static JsonNode awaitSettled(ApiClient api, String id, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode video = api.get("/api/v1/videos/" + id);
    while (!SETTLED.contains(video.path("state").asText()) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      video = api.get("/api/v1/videos/" + id);
    }
    return video;
  }
}
