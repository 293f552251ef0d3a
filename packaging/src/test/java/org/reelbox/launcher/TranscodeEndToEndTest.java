package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.media.hls.IFrameVariant;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4's end-to-end test with the ffmpeg backend: a 30 s 1280x720 30 fps H.264/AAC MP4 made by
 * ffmpeg goes in through the API and tus, like {@code reelbox upload}, and comes out at the origin
 * as an HLS ladder that a player's view of it (ffprobe and ffmpeg over HTTP) finds complete: the
 * right renditions and attributes, the profiles, a continuous timeline with keyframe-aligned
 * segments in every rendition, audio in step with video, a clean decode, thumbnails, and no temp
 * objects left.
 */
class TranscodeEndToEndTest {
  private static final Logger log = LoggerFactory.getLogger(TranscodeEndToEndTest.class);

  private static final int SECONDS = 30;
  private static final int FPS = 30;
  private static final double FRAME_SECONDS = 1.0 / FPS;

  /** Never upscaled: a 720p source gets the rungs from 720p down, no 1080p. */
  private static final List<String> RENDITIONS = List.of("720p", "480p", "360p", "240p");

  @TempDir static Path tmp;
  private static Appliance appliance;
  private static String videoId;
  private static URI master;

  @BeforeAll
  static void uploadAndTranscode() throws Exception {
    Path source = tmp.resolve("source.mp4");
    long t0 = System.nanoTime();
    MediaTools.testMovie(source, "1280x720", FPS, SECONDS, "-b:a", "128k");
    long t1 = System.nanoTime();

    appliance = Appliance.start(tmp.resolve("data"), Map.of());
    JsonNode video = appliance.createVideo("source.mp4", java.nio.file.Files.size(source));
    videoId = video.get("id").asText();
    appliance.upload(video, source);
    long t2 = System.nanoTime();
    JsonNode settled = appliance.awaitSettled(videoId, Duration.ofMinutes(6));
    long t3 = System.nanoTime();
    log.info(
        "e2e timings: generate {} ms, start+upload {} ms, upload→{} {} ms",
        (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000,
        settled.path("state").asText(),
        (t3 - t2) / 1_000_000);
    assertThat(settled.path("state").asText())
        .as("%s\ntasks: %s", settled, appliance.tasks(videoId))
        .isEqualTo("READY");
    master = URI.create(settled.path("playback").path("masterUrl").asText());
    assertThat(master.getPath()).isEqualTo("/v/" + videoId + "/master.m3u8");
  }

  @AfterAll
  static void tearDown() {
    if (appliance != null) {
      appliance.close();
    }
  }

  @Test
  void master_hasTheLadderBelow720p_withEveryAttribute_andAnIFrameStreamPerRendition()
      throws Exception {
    MasterPlaylist playlist = PlaylistParser.parseMaster(appliance.fetchText(master));

    assertThat(playlist.variants())
        .extracting(v -> rendition(v.uri()))
        .containsExactlyInAnyOrderElementsOf(RENDITIONS);
    for (Variant v : playlist.variants()) {
      String name = rendition(v.uri());
      int height = Integer.parseInt(name.substring(0, name.length() - 1));
      assertThat(v.bandwidthBps()).as(name).isPositive();
      assertThat(v.averageBandwidthBps()).as(name).isPresent();
      assertThat(v.averageBandwidthBps().getAsLong())
          .as(name)
          .isPositive()
          .isLessThanOrEqualTo(v.bandwidthBps());
      assertThat(v.resolution()).as(name).isPresent();
      assertThat(v.resolution().get().height()).as(name).isEqualTo(height);
      assertThat((double) v.resolution().get().width() / height)
          .as(name)
          .isCloseTo(16.0 / 9, within(0.01));
      assertThat(v.frameRate()).as(name).isPresent();
      assertThat(v.frameRate().getAsDouble()).as(name).isCloseTo(FPS, within(0.01));
      assertThat(v.codecs()).as(name).hasSize(2).contains("mp4a.40.2");
      // avc1.PPCCLL: profile_idc 100 (High) above 480p, 77 (Main) at or below.
      String avc = v.codecs().stream().filter(c -> c.startsWith("avc1.")).findFirst().orElseThrow();
      assertThat(avc.substring(5, 7).toUpperCase()).as(name).isEqualTo(height > 480 ? "64" : "4D");
    }
    assertThat(playlist.iFrameVariants())
        .extracting(v -> v.uri())
        .containsExactlyInAnyOrderElementsOf(
            RENDITIONS.stream().map(r -> r + "/iframes.m3u8").toList());
    for (IFrameVariant iv : playlist.iFrameVariants()) {
      assertThat(iv.resolution()).as(iv.uri()).isPresent();
      MediaPlaylist iframes =
          PlaylistParser.parseMedia(appliance.fetchText(master.resolve(iv.uri())));
      assertThat(iframes.iFramesOnly()).as(iv.uri()).isTrue();
      assertThat(iframes.segments())
          .as(iv.uri())
          .isNotEmpty()
          .allMatch(s -> s.byteRange().isPresent());
    }
  }

  @Test
  void ffprobe_everyRendition_h264HighAbove480pMainBelow_sizeAsInMaster_aac48kStereo()
      throws Exception {
    MasterPlaylist playlist = PlaylistParser.parseMaster(appliance.fetchText(master));
    for (Variant v : playlist.variants()) {
      String name = rendition(v.uri());
      int height = v.resolution().orElseThrow().height();
      JsonNode probe = MediaTools.ffprobeJson("-show_streams", master.resolve(v.uri()).toString());
      JsonNode video = HlsChecks.stream(probe, "video");
      JsonNode audio = HlsChecks.stream(probe, "audio");
      assertThat(probe.path("streams").size()).as(name).isEqualTo(2);
      assertThat(video.path("codec_name").asText()).as(name).isEqualTo("h264");
      assertThat(video.path("profile").asText()).as(name).isEqualTo(height > 480 ? "High" : "Main");
      assertThat(video.path("width").asInt()).as(name).isEqualTo(v.resolution().get().width());
      assertThat(video.path("height").asInt()).as(name).isEqualTo(height);
      // CODECS tells the truth: its profile and level bytes are the stream's.
      String avc = v.codecs().stream().filter(c -> c.startsWith("avc1.")).findFirst().orElseThrow();
      assertThat(Integer.parseInt(avc.substring(9, 11), 16))
          .as("%s: level in %s", name, avc)
          .isEqualTo(video.path("level").asInt());
      assertThat(audio.path("codec_name").asText()).as(name).isEqualTo("aac");
      assertThat(audio.path("sample_rate").asText()).as(name).isEqualTo("48000");
      assertThat(audio.path("channels").asInt()).as(name).isEqualTo(2);
    }
  }

  @Test
  void timeline_continuousInEveryRendition_avInStep_segmentsStartOnAlignedKeyframes()
      throws Exception {
    HlsChecks.assertTimeline(appliance, master, RENDITIONS, SECONDS * FPS, FPS);
  }

  @Test
  void ffmpeg_decodesTheWholeMasterPlaylist_withoutAnError() {
    MediaTools.Result r =
        MediaTools.ffmpeg("-i", master.toString(), "-map", "0", "-f", "null", "-");
    assertThat(r.stderr().strip()).isEmpty();
  }

  @Test
  void afterReady_tempIsGone_andThumbnailsAreServed() throws Exception {
    assertThat(appliance.tempObjects(videoId)).isEmpty();
    assertThat(appliance.unfinishedTasks(videoId)).isEmpty();
    byte[] jpeg = appliance.fetch(master.resolve("thumbs/0.jpg"));
    assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(image.getHeight()).isEqualTo(720);
  }

  private static String rendition(String uri) {
    return uri.substring(0, uri.indexOf('/'));
  }
}
