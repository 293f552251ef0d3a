package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.testing.Ffmpeg;

/**
 * Just-in-time HLS through the whole appliance: while the encoder is down, an uploaded H.264/AAC
 * MP4 is not playable (the video API says so) yet its master plays from the origin, remuxed from
 * the original, every frame; once the encoder is back and the job finishes, the origin serves the
 * transcoded master instead, and a viewer who began on the JIT one still gets its segments.
 */
class JitEndToEndTest {
  @TempDir Path tmp;

  @Test
  void uploadedNotTranscoded_playsJustInTime_thenTheTranscodedMasterTakesOver() throws Exception {
    Path source = tmp.resolve("source.mp4");
    MediaTools.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x240:rate=25:duration=4",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=48000:duration=4",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-g",
        "25",
        "-c:a",
        "aac",
        "file:" + source);
    int frames = Ffmpeg.decodedVideoFrames(source.toString());

    try (Appliance appliance = Appliance.start(tmp.resolve("data"), Map.of())) {
      String[] id = new String[1];
      appliance.whileDown(
          "encoder",
          () -> {
            JsonNode video = appliance.createVideo("source.mp4", Files.size(source));
            id[0] = video.get("id").asText();
            appliance.upload(video, source);
            // Ingest tells the control plane after the last byte, asynchronously.
            JsonNode now = appliance.video(id[0]);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (now.path("state").asText().equals("UPLOADING") && System.nanoTime() < deadline) {
              Thread.sleep(100);
              now = appliance.video(id[0]);
            }
            assertThat(now.path("state").asText()).isIn("UPLOADED", "PROCESSING");
            assertThat(now.path("playable").asBoolean()).isFalse();

            URI master = appliance.originUrl().resolve("/v/" + id[0] + "/master.m3u8");
            HttpResponse<byte[]> r = appliance.get(master);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("src/index.m3u8");
            assertThat(r.headers().firstValue("cache-control")).hasValue("public, max-age=10");
            assertThat(Ffmpeg.decodedVideoFrames(master.toString())).isEqualTo(frames);
          });

      JsonNode settled = appliance.awaitSettled(id[0], Duration.ofMinutes(5));
      assertThat(settled.path("state").asText()).as("%s", settled).isEqualTo("READY");
      String master =
          appliance.fetchText(appliance.originUrl().resolve("/v/" + id[0] + "/master.m3u8"));
      assertThat(master).doesNotContain("src/");
      assertThat(
              appliance
                  .get(appliance.originUrl().resolve("/v/" + id[0] + "/src/0.ts"))
                  .statusCode())
          .isEqualTo(200);
    }
  }
}
