package org.reelbox.launcher;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.reelbox.launcher.client.ApiClient;
import org.reelbox.launcher.client.ClientSettings;
import org.reelbox.launcher.client.TusUploader;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.Segment;
import org.reelbox.media.hls.Variant;

/**
 * What the fault tests share: a small source made with ffmpeg, the upload, waits on observable
 * states (never a sleep hoping for luck), the "gated ffmpeg" that holds encodes until the test lets
 * them go, and the check that a READY video's HLS tree is one consistent, playable set.
 */
final class FaultTestSupport {
  /** Every wait is bounded; this is the longest (a whole transcode on a busy 2-core box). */
  static final Duration LONG = Duration.ofMinutes(4);

  private FaultTestSupport() {}

  /**
   * An 8 s 640×360 H.264 + AAC source with a keyframe every second: split into 2 chunks of 4 s,
   * each encoded into 360p and 240p, so the job has 4 encode tasks.
   */
  static Path source(Path dir) throws Exception {
    return source(dir, "640x360");
  }

  /**
   * The same 8 s source at {@code size}: 854x480 gets a three-rung ladder (480p, 360p, 240p), so
   * its encodes fuse (240p alone, then 360p + 480p per chunk).
   */
  static Path source(Path dir, String size) throws Exception {
    Path file = dir.resolve("source-" + size + ".mp4");
    run(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=" + size + ":rate=25",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000",
            "-t",
            "8",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "25",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-y",
            file.toString()),
        Duration.ofSeconds(60));
    return file;
  }

  /**
   * A stand-in for ffmpeg that runs the real one, except that an encode (an ffmpeg command with
   * {@code libx264}) first waits until {@code gate} exists. A worker using it is "mid-encode" for
   * as long as the test wants: its ffmpeg process runs, its lease is renewed, its task is RUNNING.
   * Probes, split, audio and thumbnails run at once. The worker kills the wrapper's whole process
   * tree on cancellation, as it would kill ffmpeg.
   */
  static Path gatedFfmpeg(Path dir, Path gate) throws IOException {
    return gatedFfmpeg(dir, gate, "libx264");
  }

  /**
   * The same stand-in, gating only commands with an argument matching the bash pattern {@code
   * pattern}: {@code *split=*} gates fused encodes (one decode split into several renditions) and
   * lets a rendition encoded alone through.
   */
  static Path gatedFfmpeg(Path dir, Path gate, String pattern) throws IOException {
    Path script = dir.resolve("gated-ffmpeg");
    Files.writeString(
        script,
        "#!/bin/bash\n"
            + "for a in \"$@\"; do\n"
            + "  if [[ \"$a\" == "
            + pattern
            + " ]]; then\n"
            + "    while [ ! -e '"
            + gate
            + "' ]; do sleep 0.1; done\n"
            + "    break\n"
            + "  fi\n"
            + "done\n"
            + "exec ffmpeg \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  static ApiClient api(AllInOne all) {
    return new ApiClient(
        ClientSettings.resolve(
            null, all.dataDir(), all.urls().get("control-plane").toString(), Map.of()));
  }

  /** Creates a video and uploads {@code file} over tus; answers the video id. */
  static String upload(ApiClient api, Path file) throws Exception {
    long size = Files.size(file);
    JsonNode video = api.createVideo("source.mp4", size, "video/mp4", "fault test");
    new TusUploader(5, Duration.ofSeconds(2), n -> {})
        .upload(
            URI.create(video.get("uploadUrl").asText()),
            file,
            size,
            1,
            Map.of("filename", "source.mp4", "filetype", "video/mp4"));
    return video.get("id").asText();
  }

  static List<JsonNode> tasks(ApiClient api, String videoId) throws IOException {
    List<JsonNode> tasks = new ArrayList<>();
    api.get("/api/v1/videos/" + videoId + "/tasks").get("tasks").forEach(tasks::add);
    return tasks;
  }

  /** Polls the video's tasks every 100 ms until {@code done} holds; fails past {@code timeout}. */
  static List<JsonNode> awaitTasks(
      ApiClient api, String videoId, Duration timeout, String what, Predicate<List<JsonNode>> done)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<JsonNode> tasks = tasks(api, videoId);
      if (done.test(tasks)) {
        return tasks;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; tasks: " + tasks);
      }
      String state = api.get("/api/v1/videos/" + videoId).path("state").asText();
      if (state.equals("FAILED") || state.equals("READY")) {
        throw new AssertionError("video " + state + " while waiting for " + what + ": " + tasks);
      }
      Thread.sleep(100);
    }
  }

  /** Waits until the video is READY (fails at once if it FAILED); answers the video. */
  static JsonNode awaitReady(ApiClient api, String videoId, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode video = api.get("/api/v1/videos/" + videoId);
      String state = video.path("state").asText();
      if (state.equals("READY")) {
        return video;
      }
      assertThat(state).as("video %s: %s", videoId, video).isNotEqualTo("FAILED");
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "not READY in " + timeout + ": " + video + "; tasks: " + tasks(api, videoId));
      }
      Thread.sleep(250);
    }
  }

  static boolean isEncode(JsonNode task) {
    return task.path("type").asText().equals("encode");
  }

  static String state(JsonNode task) {
    return task.path("state").asText();
  }

  /**
   * The checks of a READY video after a fault: its HLS tree is one consistent set (the playlists
   * parse, every segment a media playlist names exists, no {@code .ts} exists that none names), it
   * plays over HTTP from the origin with ffmpeg and an empty stderr, and {@code temp/{id}/} is
   * gone.
   */
  static void assertOneConsistentPlayableSet(Path blobs, String videoId, JsonNode video)
      throws Exception {
    Path hls = blobs.resolve("hls").resolve(videoId);
    MasterPlaylist master =
        PlaylistParser.parseMaster(Files.readString(hls.resolve("master.m3u8")));
    assertThat(master.variants()).isNotEmpty();
    Set<Path> named = new HashSet<>();
    for (Variant variant : master.variants()) {
      Path index = hls.resolve(variant.uri()).normalize();
      MediaPlaylist media = PlaylistParser.parseMedia(Files.readString(index));
      assertThat(media.segments()).as(variant.uri()).isNotEmpty();
      for (Segment segment : media.segments()) {
        Path ts = index.resolveSibling(segment.uri()).normalize();
        assertThat(ts).as("segment named by %s", variant.uri()).isRegularFile();
        named.add(ts);
      }
    }
    List<Path> onDisk;
    try (Stream<Path> walk = Files.walk(hls)) {
      onDisk = walk.filter(p -> p.toString().endsWith(".ts")).map(Path::normalize).toList();
    }
    assertThat(onDisk).as("no .ts beyond those the playlists name").hasSameElementsAs(named);
    assertThat(blobs.resolve("temp").resolve(videoId)).doesNotExist();

    String masterUrl = video.path("playback").path("masterUrl").asText();
    assertThat(masterUrl).startsWith("http://");
    String stderr =
        run(
            List.of("ffmpeg", "-nostdin", "-v", "error", "-i", masterUrl, "-f", "null", "-"),
            Duration.ofSeconds(120));
    assertThat(stderr).as("ffmpeg stderr playing %s", masterUrl).isBlank();
  }

  /** Runs a command, fails unless it exits 0 in time; answers its stderr (stdout discarded). */
  static String run(List<String> command, Duration timeout) throws Exception {
    Path err = Files.createTempFile("fault-test-", ".err");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command.get(0) + " ran past " + timeout);
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as("%s: %s", command, stderr).isZero();
      return stderr;
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** Seconds since {@code startNanos}, one decimal, for the measured times the tests log. */
  static String secondsSince(long startNanos) {
    return String.format("%.1f", (System.nanoTime() - startNanos) / 1e9);
  }

  static <T> T nonNull(T value, String what) {
    return requireNonNull(value, what);
  }
}
