package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 5's end-to-end playback test: a READY video, played the way viewers play it, through the
 * edge box.
 *
 * <ul>
 *   <li>the unmodified hls.js (npm) in headless Chromium (Debian's, driven by playwright-core; run
 *       by {@code src/test/node/play.mjs}) plays the master playlist to its end from a page of
 *       another origin, and is forced onto every rendition on the way;
 *   <li>ffmpeg and ffprobe read the same master through the edge and decode every frame.
 * </ul>
 *
 * <p>The source: {@value #SECONDS} s of 854x480 at {@value #FPS} fps with AAC, through the {@code
 * fast} profile (480p and 240p). Which role the players go through comes from one place, {@link
 * #TARGET}: the edge, unless {@code -Dreelbox.playback.target=origin} (to tell a player problem
 * from an edge problem).
 *
 * <p>Needs node, Chromium ({@code /usr/bin/chromium}, or {@code CHROMIUM}) and ffmpeg; skipped
 * without them, failed without them under {@code CI=true} (.ci/run installs them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserPlaybackIT {
  private static final Logger log = LoggerFactory.getLogger(BrowserPlaybackIT.class);

  private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
  private static final int SECONDS = 16;
  private static final int FPS = 24;
  private static final List<String> RENDITIONS = List.of("480p", "240p");

  /** The role the players fetch from: {@code edge} (the point of the test) or {@code origin}. */
  static final String TARGET = System.getProperty("reelbox.playback.target", "edge");

  @TempDir static Path tmp;
  private static Appliance appliance;
  private static URI base;
  private static URI master;
  private static String chromium;

  @BeforeAll
  static void readyVideo() throws Exception {
    chromium = BrowserTools.assume("BrowserPlaybackIT", NODE_DIR);
    Path source = tmp.resolve("source.mp4");
    MediaTools.testMovie(source, "854x480", FPS, SECONDS);

    // Beats every second: the last test reads the edge's traffic from the registry.
    appliance = Appliance.start(tmp.resolve("data"), Map.of("REELBOX_EDGE_HEARTBEAT_SECONDS", "1"));
    JsonNode video =
        appliance
            .api()
            .createVideo(
                "source.mp4", Files.size(source), "video/mp4", "playback", "fast", List.of());
    String id = video.get("id").asText();
    appliance.upload(video, source);
    JsonNode settled = appliance.awaitSettled(id, Duration.ofMinutes(5));
    assertThat(settled.path("state").asText())
        .as("%s\ntasks: %s", settled, appliance.tasks(id))
        .isEqualTo("READY");
    // The control plane's URL names the origin; the players take the same path at the target.
    String path = URI.create(settled.path("playback").path("masterUrl").asText()).getRawPath();
    assertThat(path).isEqualTo("/v/" + id + "/master.m3u8");
    base = appliance.url(TARGET);
    master = base.resolve(path);
    log.info("players read {} through the {}", master, TARGET);
    // Said plainly, before any player runs: the target must serve the master at all.
    java.net.http.HttpResponse<byte[]> probe = appliance.get(master);
    assertThat(probe.statusCode())
        .as("GET %s (the %s): %s", master, TARGET, new String(probe.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
  }

  @AfterAll
  static void tearDown() {
    if (appliance != null) {
      appliance.close();
    }
  }

  @Test
  @Order(1)
  void hlsJsInChromium_playsToTheEnd_onEveryRendition_withoutAFatalError() throws Exception {
    JsonNode r = runPlayer(master);

    assertThat(r.path("h264").asBoolean()).as("Chromium plays H.264 in MSE").isTrue();
    assertThat(r.path("fatal").isNull()).as("fatal hls.js error: %s", r.path("fatal")).isTrue();
    assertThat(r.path("timedOut").asBoolean()).as("timed out: %s", r).isFalse();

    // Every rendition of the ladder, as the master lists them.
    List<Integer> heights = new ArrayList<>();
    r.path("levels").forEach(l -> heights.add(l.path("height").asInt()));
    assertThat(heights).containsExactlyInAnyOrder(480, 240);

    // Forced onto each level in turn: hls.js switched, and loaded a fragment of that level.
    JsonNode switches = r.path("switches");
    assertThat(switches.size()).as("switches: %s", switches).isEqualTo(heights.size());
    for (JsonNode s : switches) {
      assertThat(s.path("ok").asBoolean()).as("switch %s", s).isTrue();
    }
    for (int level = 0; level < heights.size(); level++) {
      assertThat(r.path("fragments").path(Integer.toString(level)).size())
          .as("fragments of level %d (%dp)", level, heights.get(level))
          .isPositive();
    }

    // To the end: the 'ended' event, at the video's duration.
    double duration = r.path("duration").asDouble();
    assertThat(duration).isBetween(SECONDS - 0.5, SECONDS + 0.5);
    assertThat(r.path("ended").asBoolean()).as("ended: %s", r).isTrue();
    assertThat(r.path("currentTime").asDouble()).isGreaterThanOrEqualTo(duration - 0.5);
    // Watched, not skipped: the played ranges run from the start to the end with no gap worth a
    // frame (hls.js may jump the sub-frame hole before the first sample). Decoded frames are only
    // a sanity check that video, not just audio, was played: headless Chromium's count runs
    // 75-100% of the frames shown, as it composites without a display.
    double played = 0;
    double firstStart = Double.MAX_VALUE;
    double lastEnd = 0;
    for (JsonNode range : r.path("played")) {
      played += range.path(1).asDouble() - range.path(0).asDouble();
      firstStart = Math.min(firstStart, range.path(0).asDouble());
      lastEnd = Math.max(lastEnd, range.path(1).asDouble());
    }
    assertThat(firstStart).as("played from: %s", r.path("played")).isLessThan(0.5);
    assertThat(lastEnd).as("played to: %s", r.path("played")).isGreaterThan(duration - 0.5);
    assertThat(lastEnd - firstStart - played).as("gaps in %s", r.path("played")).isLessThan(0.5);
    assertThat(r.path("frames").path("total").asInt())
        .as("frames decoded")
        .isGreaterThanOrEqualTo(SECONDS * FPS / 2);

    // Everything the player fetched came from the target, and came whole; a switch may abort a
    // load in flight, which is the player's doing.
    for (JsonNode req : r.path("requests")) {
      String url = req.path("url").asText();
      assertThat(url).as("requests go to the %s", TARGET).startsWith(base.toString());
      if (req.path("status").asInt() == 0) {
        assertThat(req.path("failure").asText()).as(url).isEqualTo("net::ERR_ABORTED");
      } else {
        assertThat(req.path("status").asInt()).as(url).isEqualTo(200);
      }
    }
    assertThat(r.path("requests").size()).isGreaterThanOrEqualTo(1 + 2 + 2);
  }

  @Test
  @Order(2)
  void ffmpeg_readsTheMasterThroughTheTarget_decodesEveryFrameOfEveryRendition() throws Exception {
    // The whole master: every variant's video and audio, decoded, with nothing on stderr.
    MediaTools.Result decode =
        MediaTools.ffmpeg("-i", master.toString(), "-map", "0", "-f", "null", "-");
    assertThat(decode.stderr().strip()).isEmpty();

    // And each rendition, frame by frame.
    MasterPlaylist playlist = PlaylistParser.parseMaster(appliance.fetchText(master));
    assertThat(playlist.variants()).hasSize(RENDITIONS.size());
    for (Variant v : playlist.variants()) {
      URI media = master.resolve(v.uri());
      assertThat(media.toString()).startsWith(base.toString());
      JsonNode probe =
          MediaTools.ffprobeJson(
              "-count_frames",
              "-select_streams",
              "v:0",
              "-show_entries",
              "stream=nb_read_frames,height",
              media.toString());
      JsonNode stream = probe.path("streams").path(0);
      assertThat(stream.path("nb_read_frames").asInt()).as(v.uri()).isEqualTo(SECONDS * FPS);
      assertThat(RENDITIONS).contains(stream.path("height").asInt() + "p");
    }
  }

  @Test
  @Order(3)
  void edgeRegistry_afterPlayback_reportsTheTrafficTheEdgeServed() throws Exception {
    assumeTrue(TARGET.equals("edge"), "the players went to the " + TARGET);
    // The edge's heartbeat carries its counters: after two players it has answered requests,
    // some of them misses that went to the origin.
    JsonNode edge =
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> appliance.edges().path("edges").path(0),
                e -> e.path("stats").path("requests").asLong() > 0);
    assertThat(edge.path("healthy").asBoolean()).as(edge.toString()).isTrue();
    assertThat(edge.path("publicUrl").asText()).isEqualTo(base.toString().replaceAll("/$", ""));
    JsonNode stats = edge.path("stats");
    assertThat(stats.path("misses").asLong()).as(stats.toString()).isPositive();
    assertThat(stats.path("originFetches").asLong()).as(stats.toString()).isPositive();
    assertThat(stats.path("hits").asLong() + stats.path("misses").asLong())
        .as(stats.toString())
        .isLessThanOrEqualTo(stats.path("requests").asLong());
  }

  private static JsonNode runPlayer(URI masterUrl) throws Exception {
    Process p =
        new ProcessBuilder(
                "node",
                "play.mjs",
                masterUrl.toString(),
                "--timeout-ms",
                "90000",
                "--chromium",
                chromium)
            .directory(NODE_DIR.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(150, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("play.mjs did not finish:\n" + out);
    }
    List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
    assertThat(lines).as(out).isNotEmpty();
    JsonNode result = Json.mapper().readTree(lines.get(lines.size() - 1));
    assertThat(result.path("ok").asBoolean()).as(out).isTrue();
    log.info(
        "hls.js: {} ms to play {} s; played {}; frames {}; switches {}; errors {}",
        result.path("ms").asLong(),
        SECONDS,
        result.path("played"),
        result.path("frames"),
        result.path("switches"),
        result.path("errors"));
    return result;
  }
}
