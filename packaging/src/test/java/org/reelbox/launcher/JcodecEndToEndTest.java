package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.Segment;
import org.reelbox.media.hls.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline with the pure-Java jcodec backend: the encoder is told an ffmpeg that does not exist
 * (backend {@code auto}), so it falls back to jcodec and the appliance runs no ffmpeg at all. The
 * demo's own sample video (jcodec H.264, 640x360, no audio) goes in over tus and must come out as
 * HLS that plays: every playlist parses, every segment is served, and ffmpeg on the test machine
 * decodes it as H.264 Constrained Baseline.
 */
class JcodecEndToEndTest {
  private static final Logger log = LoggerFactory.getLogger(JcodecEndToEndTest.class);

  /** Long enough for two chunks (4 s each), so a chunk and segment boundary is crossed. */
  private static final int SECONDS = 5;

  /**
   * The encoder's ffmpeg and ffprobe point nowhere and its backend stays {@code auto}: it falls
   * back to jcodec, as on a node without ffmpeg.
   */
  static final Map<String, String> NO_FFMPEG =
      Map.of(
          "REELBOX_ENCODER_FFMPEG_PATH", "/nonexistent/ffmpeg",
          "REELBOX_ENCODER_FFPROBE_PATH", "/nonexistent/ffprobe");

  @TempDir Path tmp;

  @Test
  void jcodecOnly_sampleVideo_becomesReadyHlsThatDecodesAsConstrainedBaseline() throws Exception {
    Path source = tmp.resolve("sample.mp4");
    SampleVideo.write(source, SECONDS);
    try (Appliance appliance = Appliance.start(tmp.resolve("data"), NO_FFMPEG)) {
      JsonNode created = appliance.createVideo("sample.mp4", Files.size(source));
      String id = created.get("id").asText();
      long t0 = System.nanoTime();
      appliance.upload(created, source);
      JsonNode video = appliance.awaitSettled(id, Duration.ofMinutes(5));
      log.info(
          "jcodec e2e: upload→{} in {} ms",
          video.path("state").asText(),
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(video.path("state").asText())
          .as("%s\ntasks: %s", video, appliance.tasks(id))
          .isEqualTo("READY");

      // Every task ran on a worker whose backend is jcodec.
      Set<String> workerIds = new HashSet<>();
      for (JsonNode t : appliance.tasks(id).path("tasks")) {
        assertThat(t.path("state").asText()).as(t.toString()).isEqualTo("SUCCEEDED");
        workerIds.add(t.path("workerId").asText());
      }
      JsonNode workers = appliance.api().get("/api/v1/admin/workers").path("workers");
      assertThat(workers).isNotEmpty();
      for (JsonNode w : workers) {
        assertThat(w.path("backend").asText()).as(w.toString()).isEqualTo("jcodec");
        workerIds.remove(w.path("id").asText());
      }
      assertThat(workerIds).as("tasks run by workers not in the queue").isEmpty();

      URI master = URI.create(video.path("playback").path("masterUrl").asText());
      MasterPlaylist playlist = PlaylistParser.parseMaster(appliance.fetchText(master));
      // 640x360 source: the rungs at or below 360p; no audio in the sample, so video-only CODECS.
      assertThat(playlist.variants())
          .extracting(v -> v.uri())
          .containsExactlyInAnyOrder("360p/index.m3u8", "240p/index.m3u8");
      assertThat(playlist.iFrameVariants()).hasSize(2);
      for (Variant v : playlist.variants()) {
        // avc1.42…: profile_idc 66 (Baseline) with constraint_set1 (Constrained Baseline).
        assertThat(v.codecs()).as(v.uri()).hasSize(1);
        assertThat(v.codecs().get(0)).as(v.uri()).startsWith("avc1.42");
        URI mediaUri = master.resolve(v.uri());
        MediaPlaylist media = PlaylistParser.parseMedia(appliance.fetchText(mediaUri));
        assertThat(media.endList()).isTrue();
        assertThat(media.segments()).as(v.uri()).hasSizeGreaterThan(1);
        long totalUs = 0;
        for (Segment s : media.segments()) {
          byte[] ts = appliance.fetch(mediaUri.resolve(s.uri()));
          assertThat(ts.length % 188).as(s.uri()).isZero();
          assertThat(ts[0]).as(s.uri()).isEqualTo((byte) 0x47);
          totalUs += s.durationUs();
        }
        assertThat(totalUs)
            .as(v.uri())
            .isBetween(SECONDS * 1_000_000L - 50_000, SECONDS * 1_000_000L + 50_000);

        JsonNode probe = MediaTools.ffprobeJson("-show_streams", mediaUri.toString());
        assertThat(probe.path("streams")).as(v.uri()).hasSize(1);
        JsonNode stream = probe.path("streams").path(0);
        assertThat(stream.path("codec_name").asText()).isEqualTo("h264");
        assertThat(stream.path("profile").asText()).isEqualTo("Constrained Baseline");
        assertThat(stream.path("width").asInt()).isEqualTo(v.resolution().orElseThrow().width());
        assertThat(stream.path("height").asInt()).isEqualTo(v.resolution().orElseThrow().height());
      }
      HlsChecks.assertTimeline(
          appliance, master, List.of("360p", "240p"), SECONDS * SampleVideo.FPS, SampleVideo.FPS);
      MediaTools.Result decode =
          MediaTools.ffmpeg("-i", master.toString(), "-map", "0", "-f", "null", "-");
      assertThat(decode.stderr().strip()).isEmpty();

      assertThat(appliance.tempObjects(id)).isEmpty();
      byte[] jpeg = appliance.fetch(master.resolve("thumbs/0.jpg"));
      assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);
    }
  }
}
