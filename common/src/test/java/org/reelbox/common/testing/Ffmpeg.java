package org.reelbox.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs ffmpeg/ffprobe for the tests of every module that checks real media (media's MP4 remux, the
 * origin's just-in-time packaging, the appliance end to end); skips without them, fails without
 * them in CI. Only processes and bytes here, so it lives in common's test-jar that all modules
 * reach.
 */
public final class Ffmpeg {
  private Ffmpeg() {}

  public static void assume() {
    boolean present = works("ffmpeg", "-version") && works("ffprobe", "-version");
    if (!present) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("ffmpeg and ffprobe are required in CI for the media tests");
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
  public static byte[] run(List<String> command) throws Exception {
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

  public static String runText(String... command) throws Exception {
    return new String(run(List.of(command)), StandardCharsets.UTF_8).trim();
  }

  /**
   * A test movie: testsrc and a sine tone, {@code seconds} long, H.264 (libx264, {@code bFrames},
   * keyframe every {@code gop} frames) and AAC-LC in MP4.
   */
  public static Path movie(
      Path file, int seconds, int bFrames, int gop, boolean faststart, boolean audio)
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

  /** The first video stream's duration in seconds, as ffprobe reads it from the container. */
  public static double videoDurationSeconds(Path file) throws Exception {
    return Double.parseDouble(
        runText(
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=duration",
            "-of",
            "csv=p=0",
            file.toString()));
  }

  /** ffprobe's count of decoded video frames of a file or playlist. */
  public static int decodedVideoFrames(String input) throws Exception {
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
  public static int audioPackets(String input) throws Exception {
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

  /**
   * The coded video NAL units of a file or playlist other than parameter sets and delimiters,
   * concatenated: equal for a remux and its source when nothing was re-encoded.
   */
  public static byte[] slices(String input) throws Exception {
    byte[] annexB =
        run(
            List.of(
                "ffmpeg",
                "-v",
                "error",
                "-i",
                input,
                "-map",
                "0:v:0",
                "-c:v",
                "copy",
                "-bsf:v",
                "h264_mp4toannexb",
                "-f",
                "h264",
                "-"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<int[]> nals = new ArrayList<>();
    int start = -1;
    for (int i = 0; i + 3 <= annexB.length; ) {
      if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1) {
        if (start >= 0) {
          nals.add(new int[] {start, i});
        }
        start = i + 3;
        i += 3;
      } else {
        i++;
      }
    }
    if (start >= 0) {
      nals.add(new int[] {start, annexB.length});
    }
    for (int[] n : nals) {
      int end = n[1];
      while (end > n[0] && annexB[end - 1] == 0) {
        end--; // the leading zero of the next 4-byte start code
      }
      int type = annexB[n[0]] & 0x1F;
      if (type == 1 || type == 5 || type == 6) {
        out.write(annexB, n[0], end - n[0]);
      }
    }
    return out.toByteArray();
  }
}
