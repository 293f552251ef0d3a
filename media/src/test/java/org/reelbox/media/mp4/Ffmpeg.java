package org.reelbox.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs ffmpeg/ffprobe for the MP4 tests; skips without them, fails without them in CI. */
final class Ffmpeg {
  private Ffmpeg() {}

  static void assume() {
    boolean present = works("ffmpeg", "-version") && works("ffprobe", "-version");
    if (!present) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("ffmpeg and ffprobe are required in CI for the MP4 tests");
      }
      assumeTrue(false, "ffmpeg is not installed");
    }
  }

  private static boolean works(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs a command; returns stdout; fails on a non-zero exit. */
  static byte[] run(List<String> command) throws Exception {
    Path err = Files.createTempFile("ffmpeg", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
      assertThat(p.exitValue()).as("exit of %s: %s", command, Files.readString(err)).isZero();
      return out;
    } finally {
      Files.deleteIfExists(err);
    }
  }

  static String runText(String... command) throws Exception {
    return new String(run(List.of(command)), StandardCharsets.UTF_8).trim();
  }

  /**
   * A test movie: testsrc and a sine tone, {@code seconds} long, H.264 (libx264, {@code bFrames},
   * keyframe every {@code gop} frames) and AAC-LC in MP4.
   */
  static Path movie(Path file, int seconds, int bFrames, int gop, boolean faststart, boolean audio)
      throws Exception {
    List<String> c = new ArrayList<>();
    c.addAll(
        List.of(
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=320x240:rate=25:duration=" + seconds));
    if (audio) {
      c.addAll(
          List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds));
    }
    c.addAll(
        List.of(
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-bf",
            String.valueOf(bFrames),
            "-g",
            String.valueOf(gop),
            "-keyint_min",
            String.valueOf(gop),
            "-sc_threshold",
            "0"));
    if (bFrames > 0) {
      c.addAll(List.of("-x264-params", "b-adapt=0"));
    }
    if (audio) {
      c.addAll(List.of("-c:a", "aac", "-b:a", "96k"));
    }
    if (faststart) {
      c.addAll(List.of("-movflags", "+faststart"));
    }
    c.add(file.toString());
    run(c);
    return file;
  }

  /** ffprobe's count of decoded video frames of a file or playlist. */
  static int decodedVideoFrames(String input) throws Exception {
    String out =
        runText(
            "ffprobe",
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=nb_read_frames",
            "-of",
            "csv=p=0",
            input);
    return firstNumber(out);
  }

  /** HLS inputs list the stream once per program too: the first line is the answer. */
  private static int firstNumber(String out) {
    return Integer.parseInt(out.lines().filter(l -> !l.isBlank()).findFirst().orElse("").trim());
  }

  /** ffprobe's count of audio packets. */
  static int audioPackets(String input) throws Exception {
    String out =
        runText(
            "ffprobe",
            "-v",
            "error",
            "-count_packets",
            "-select_streams",
            "a:0",
            "-show_entries",
            "stream=nb_read_packets",
            "-of",
            "csv=p=0",
            input);
    return firstNumber(out);
  }
}
