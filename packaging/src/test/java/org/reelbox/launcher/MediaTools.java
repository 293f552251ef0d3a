package org.reelbox.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg and ffprobe as the test machine has them (CI installs 5.1), run as a player or a tester
 * would: to make inputs, and to probe and decode what the appliance serves over HTTP.
 */
final class MediaTools {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private MediaTools() {}

  /** A finished process: its exit status and its whole stdout and stderr. */
  record Result(int exit, String stdout, String stderr) {
    Result ok(List<String> command) {
      if (exit != 0) {
        throw new AssertionError("exit " + exit + ": " + String.join(" ", command) + "\n" + stderr);
      }
      return this;
    }
  }

  /** Runs {@code command} with stdout and stderr captured; kills it past {@code timeout}. */
  static Result run(List<String> command, Duration timeout) {
    try {
      Path out = Files.createTempFile("e2e-out", ".txt");
      Path err = Files.createTempFile("e2e-err", ".txt");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** {@code ffmpeg -nostdin -hide_banner -v error -y ARGS}, which must exit 0. */
  static Result ffmpeg(String... args) {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-y"));
    command.addAll(List.of("-v", "error"));
    command.addAll(List.of(args));
    return run(command, DEFAULT_TIMEOUT).ok(command);
  }

  /**
   * A test movie as an uploader's camera would give: testsrc2 of {@code size} at {@code fps} and a
   * 440 Hz tone, {@code seconds} long, H.264 (a keyframe every two seconds) and stereo AAC in MP4;
   * {@code outputOptions} go before the file name (e.g. an audio bitrate).
   */
  static Path testMovie(Path file, String size, int fps, int seconds, String... outputOptions) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + size + ":rate=" + fps + ":duration=" + seconds,
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000:duration=" + seconds,
                "-map",
                "0:v",
                "-map",
                "1:a",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-g",
                Integer.toString(2 * fps),
                "-c:a",
                "aac",
                "-ac",
                "2"));
    args.addAll(List.of(outputOptions));
    args.add("file:" + file);
    ffmpeg(args.toArray(String[]::new));
    return file;
  }

  /** {@code ffprobe -v error ARGS -of json}, parsed; it must exit 0. */
  static JsonNode ffprobeJson(String... args) {
    List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error"));
    command.addAll(List.of(args));
    command.addAll(List.of("-of", "json"));
    Result r = run(command, DEFAULT_TIMEOUT).ok(command);
    try {
      return Appliance.parse(r.stdout());
    } catch (IOException e) {
      throw new AssertionError("ffprobe printed no JSON: " + r.stdout(), e);
    }
  }
}
