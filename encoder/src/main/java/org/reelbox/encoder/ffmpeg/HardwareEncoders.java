package org.reelbox.encoder.ffmpeg;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reelbox.encoder.backend.TaskFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the hardware H.264 encoders that work on this node. {@code ffmpeg -encoders} lists what the
 * build supports (a Debian ffmpeg lists NVENC, VAAPI and QSV on any machine), not what the machine
 * has, so each listed one must also pass a one-frame trial encode; the ones that fail are logged
 * once and the node encodes with libx264.
 */
final class HardwareEncoders {
  private static final Logger log = LoggerFactory.getLogger(HardwareEncoders.class);

  /** In order of preference. */
  static final List<String> CANDIDATES = List.of("h264_nvenc", "h264_qsv", "h264_vaapi");

  static final String VAAPI_DEVICE = "/dev/dri/renderD128";
  private static final Duration LIST_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration TRIAL_TIMEOUT = Duration.ofSeconds(20);
  private static final Pattern ENCODER_LINE = Pattern.compile("^\\s*V\\S*\\s+(\\S+)\\s");

  private HardwareEncoders() {}

  /** The candidates that {@code ffmpeg -encoders} lists and that encode one frame. */
  static List<String> detect(ProcessRunner runner, String ffmpeg) {
    List<String> listed;
    try {
      ProcessRunner.Result result =
          runner.run(
              List.of(ffmpeg, "-hide_banner", "-nostdin", "-encoders"),
              ProcessRunner.Options.defaults().withStdout(1 << 20).withTimeout(LIST_TIMEOUT),
              FixedDeadline.in(LIST_TIMEOUT.plusSeconds(5)));
      if (result.exitCode() != 0) {
        log.warn("ffmpeg -encoders failed ({}); using libx264", result.lastErrorLine());
        return List.of();
      }
      listed = listedCandidates(result.stdoutText());
    } catch (TaskFailedException e) {
      log.warn("ffmpeg -encoders failed ({}); using libx264", e.getMessage());
      return List.of();
    }
    List<String> passed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String encoder : listed) {
      String why = trial(runner, ffmpeg, encoder);
      if (why == null) {
        passed.add(encoder);
      } else {
        failed.add(encoder + " (" + why + ")");
      }
    }
    if (passed.isEmpty()) {
      log.info(
          "no hardware H.264 encoder works here{}; encoding with libx264",
          failed.isEmpty() ? "" : ": " + String.join(", ", failed));
    } else {
      log.info(
          "hardware H.264 encoders: {}{}",
          passed,
          failed.isEmpty() ? "" : "; not working: " + String.join(", ", failed));
    }
    return List.copyOf(passed);
  }

  static List<String> listedCandidates(String encodersOutput) {
    List<String> found = new ArrayList<>();
    for (String line : encodersOutput.split("\n")) {
      Matcher m = ENCODER_LINE.matcher(line);
      if (m.find() && CANDIDATES.contains(m.group(1)) && !found.contains(m.group(1))) {
        found.add(m.group(1));
      }
    }
    found.sort((a, b) -> CANDIDATES.indexOf(a) - CANDIDATES.indexOf(b));
    return found;
  }

  /** Encodes one black frame; null when it worked, else the reason. */
  private static String trial(ProcessRunner runner, String ffmpeg, String encoder) {
    List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-hide_banner", "-v", "error"));
    if (encoder.equals("h264_vaapi")) {
      cmd.addAll(List.of("-vaapi_device", VAAPI_DEVICE));
    }
    cmd.addAll(List.of("-f", "lavfi", "-i", "color=c=black:s=256x144:r=25:d=1", "-frames:v", "1"));
    if (encoder.equals("h264_vaapi")) {
      cmd.addAll(List.of("-vf", "format=nv12,hwupload"));
    }
    cmd.addAll(List.of("-c:v", encoder, "-f", "null", "-"));
    try {
      ProcessRunner.Result result =
          runner.run(
              cmd,
              ProcessRunner.Options.defaults().withTimeout(TRIAL_TIMEOUT),
              FixedDeadline.in(TRIAL_TIMEOUT.plusSeconds(5)));
      return result.exitCode() == 0 ? null : firstErrorLine(result.stderrTail());
    } catch (TaskFailedException e) {
      return e.getMessage();
    }
  }

  private static String firstErrorLine(String stderr) {
    for (String line : stderr.split("\n")) {
      if (!line.isBlank()) {
        return line.replaceFirst("^\\[[^]]*] ", "").strip();
      }
    }
    return "failed";
  }
}
