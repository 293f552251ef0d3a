package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.control.store.AdminBootstrap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 7's browser test: the web UI of the whole appliance, driven in Debian's headless Chromium
 * by playwright-core ({@code src/test/node/ui.mjs}), as a creator and as an admin:
 *
 * <ol>
 *   <li>the upload page asks for a login and comes back to itself after it;
 *   <li>a generated video goes up through the real page (tus-js-client, uploads throttled to about
 *       1 MB/s so that the bar must move), the bar reaching 100%;
 *   <li>the video page follows the processing over SSE, stage by stage, to READY;
 *   <li>a WebVTT subtitle is added; the watch page plays the video with hls.js, is switched to
 *       every quality (the playing one is shown), and shows the subtitle track;
 *   <li>the home page lists it first among the latest public videos;
 *   <li>the UI is switched to Korean and stays Korean on the next page;
 *   <li>as admin: the job's DAG with every node done, and the dashboard's edge table.
 * </ol>
 *
 * Screenshots of every step are kept in {@code target/ui-screenshots/} (test output). No CSP
 * violation and no script error may happen on any page.
 */
class WebUiIT {
  private static final Logger log = LoggerFactory.getLogger(WebUiIT.class);
  private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
  private static final Path SHOTS = Path.of("target", "ui-screenshots").toAbsolutePath();

  @TempDir static Path tmp;
  private static Appliance appliance;
  private static JsonNode result;

  @BeforeAll
  static void runTheBrowser() throws Exception {
    String chromium = BrowserTools.assume("WebUiIT", NODE_DIR);
    Path video = tmp.resolve("holiday.mp4");
    MediaTools.testMovie(video, "854x480", 24, 12);
    Path vtt = tmp.resolve("en.vtt");
    Files.writeString(
        vtt,
        "WEBVTT\n\n00:00:00.000 --> 00:00:12.000\nHello from the subtitle track\n",
        StandardCharsets.UTF_8);

    appliance = Appliance.start(tmp.resolve("data"), Map.of("REELBOX_EDGE_HEARTBEAT_SECONDS", "1"));
    AdminBootstrap.Credentials admin = appliance.all().firstStartCredentials().orElseThrow();
    appliance
        .api()
        .post(
            "/api/v1/users",
            Map.of("username", "creator1", "role", "CREATOR", "password", "creator-password-1"));

    Process p =
        new ProcessBuilder(
                "node",
                "ui.mjs",
                "--base",
                appliance.url("control-plane").toString().replaceAll("/$", ""),
                "--creator",
                "creator1:creator-password-1",
                "--admin",
                admin.username() + ":" + admin.password(),
                "--video",
                video.toString(),
                "--vtt",
                vtt.toString(),
                "--shots",
                SHOTS.toString(),
                "--chromium",
                chromium)
            .directory(NODE_DIR.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(420, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("ui.mjs did not finish:\n" + out);
    }
    List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
    assertThat(lines).as(out).isNotEmpty();
    result = Json.mapper().readTree(lines.get(lines.size() - 1));
    log.info("ui.mjs: {}", result.toPrettyString());
  }

  @AfterAll
  static void stop() {
    if (appliance != null) {
      appliance.close();
    }
  }

  private static JsonNode step(String name) {
    JsonNode s = result.path("steps").path(name);
    assertThat(s.path("ok").asBoolean()).as("step %s: %s", name, s).isTrue();
    return s;
  }

  @Test
  void login_isAskedForAndComesBack() {
    assertThat(step("login").path("redirectedTo").asText())
        .isEqualTo("/login?next=%2Fstudio%2Fupload");
  }

  @Test
  void upload_throughThePage_barMovesAndReaches100() {
    JsonNode s = step("upload");
    assertThat(s.path("state").asText()).isEqualTo("done");
    List<Integer> percents = new ArrayList<>();
    s.path("percents").forEach(n -> percents.add(n.asInt()));
    assertThat(percents).as("percentages shown").contains(100);
    assertThat(percents.stream().filter(x -> x > 0 && x < 100).count())
        .as("the bar moved through %s", percents)
        .isGreaterThanOrEqualTo(2);
    assertThat(s.path("bar").asDouble()).isEqualTo(100.0);
  }

  @Test
  void processing_followedOverSse_stageByStage_toReady() {
    JsonNode s = step("ready");
    assertThat(s.path("state").asText()).isEqualTo("READY");
    List<String> statuses = new ArrayList<>();
    s.path("stageStatuses").forEach(n -> statuses.add(n.asText()));
    // Rows are "stage:status" as the page showed them: stages were seen running, then done.
    assertThat(statuses).as("stage rows seen").anyMatch(x -> x.endsWith(":running"));
    assertThat(statuses.stream().filter(x -> x.endsWith(":done")).count())
        .as("stages seen done: %s", statuses)
        .isGreaterThanOrEqualTo(3);
    List<Integer> percents = new ArrayList<>();
    s.path("processingPercents").forEach(n -> percents.add(n.asInt()));
    assertThat(percents).as("processing percentages").contains(100).hasSizeGreaterThan(2);
  }

  @Test
  void watch_playsSwitchesEveryQualityAndShowsSubtitles() {
    assertThat(step("subtitles").path("languages").toString()).contains("en");
    JsonNode s = step("watch");
    JsonNode switched = s.path("switched");
    assertThat(switched.size()).as("qualities %s", s.path("qualities")).isGreaterThanOrEqualTo(2);
    List<String> shown = new ArrayList<>();
    switched.forEach(q -> shown.add(q.path("current").asText()));
    assertThat(shown).contains("480p", "240p");
    assertThat(s.path("showing").toString()).as("subtitle tracks showing").contains("en");
    assertThat(s.path("beacon").asText()).isEqualTo("sent");
  }

  @Test
  void home_listsTheNewPublicVideoFirstAmongTheLatest() {
    JsonNode latest = step("home").path("latest");
    assertThat(latest.size()).isGreaterThanOrEqualTo(1);
    assertThat(latest.get(0).asText()).isEqualTo(step("upload").path("videoId").asText());
  }

  @Test
  void korean_switchedAndKept() {
    JsonNode s = step("korean");
    assertThat(s.path("nav").toString()).contains("홈");
    assertThat(s.path("cookie").asText()).isEqualTo("ko");
    assertThat(s.path("langAfterReload").asText()).isEqualTo("ko");
    assertThat(s.path("heading").asText()).isEqualTo("내 동영상");
  }

  @Test
  void admin_seesTheJobsDagAndTheEdgeStats() {
    JsonNode job = step("adminJob");
    assertThat(job.path("nodes").size()).isGreaterThanOrEqualTo(4);
    job.path("nodes")
        .forEach(n -> assertThat(n.path("state").asText()).as(n.toString()).isEqualTo("SUCCEEDED"));
    assertThat(job.path("tasks").asInt()).isGreaterThanOrEqualTo(4);
    JsonNode dash = step("adminDashboard");
    assertThat(dash.path("edges").size()).isGreaterThanOrEqualTo(1);
    assertThat(dash.path("hitRatio").asText()).isNotBlank();
  }

  @Test
  void noPageBrokeItsContentSecurityPolicyOrThrew() {
    assertThat(result.path("csp").size()).as("CSP violations: %s", result.path("csp")).isZero();
    List<String> errors = new ArrayList<>();
    result
        .path("console")
        .forEach(
            e -> {
              String text = e.path("text").asText();
              // A browser asks for /favicon.ico on its own; nothing else may fail.
              if (!text.contains("favicon")) {
                errors.add(e.path("url").asText() + ": " + text);
              }
            });
    assertThat(errors).isEmpty();
  }

  @Test
  void screenshotsAreKept() throws IOException {
    assertThat(result.path("shots").size()).isGreaterThanOrEqualTo(10);
    for (JsonNode shot : result.path("shots")) {
      assertThat(Files.size(Path.of(shot.asText()))).as(shot.asText()).isPositive();
    }
  }
}
