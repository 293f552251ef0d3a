package org.reelbox.encoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;

/** Tiny generated inputs (lavfi testsrc2 + sine) and ffprobe helpers for the tests. */
public final class TestMedia {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestMedia() {}

  /** Runs ffmpeg (test inputs only), failing the test when it fails. */
  public static void ffmpeg(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("ffmpeg %s: %s", cmd, out).isZero();
  }

  /** ffprobe as JSON. */
  public static JsonNode probe(Path file, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error", "-of", "json"));
    cmd.addAll(List.of(args));
    cmd.add(file.toString());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return JSON.readTree(out);
  }

  /** Video packets as {pts seconds, keyframe 0/1}, in presentation order. */
  public static List<double[]> videoPackets(Path file) throws IOException, InterruptedException {
    JsonNode json = probe(file, "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags");
    List<double[]> packets = new ArrayList<>();
    for (JsonNode p : json.path("packets")) {
      packets.add(
          new double[] {
            p.path("pts_time").asDouble(), p.path("flags").asText().startsWith("K") ? 1 : 0
          });
    }
    packets.sort((a, b) -> Double.compare(a[0], b[0]));
    return packets;
  }

  /** A 320x180 (or given) H.264 + AAC MP4, keyframe every second, moov at the end. */
  public static void mp4(Path out, int width, int height, int seconds, boolean audio)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=" + width + "x" + height + ":rate=30:duration=" + seconds));
    if (audio) {
      args.addAll(
          List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=" + seconds));
    }
    args.addAll(
        List.of("-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p"));
    if (audio) {
      args.addAll(List.of("-c:a", "aac", "-shortest"));
    }
    args.add(out.toString());
    ffmpeg(args.toArray(String[]::new));
  }

  /** A control with a deadline {@code seconds} away that is never cancelled. */
  public static TaskControl control(int seconds) {
    Instant deadline = Instant.now().plusSeconds(seconds);
    return new TaskControl() {
      @Override
      public Instant deadline() {
        return deadline;
      }

      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public void checkNotCancelled() throws TaskFailedException {}
    };
  }

  public static Duration since(Instant start) {
    return Duration.between(start, Instant.now());
  }
}
