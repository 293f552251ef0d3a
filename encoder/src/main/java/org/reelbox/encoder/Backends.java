package org.reelbox.encoder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.reelbox.encoder.backend.EncoderBackend;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.ffmpeg.FfmpegBackend;
import org.reelbox.encoder.ffmpeg.ProcessRunner;
import org.reelbox.encoder.jcodec.JcodecBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the worker's backend from {@link EncoderConfig#backend()}. */
final class Backends {
  private static final Logger log = LoggerFactory.getLogger(Backends.class);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

  private Backends() {}

  /**
   * {@code ffmpeg}: the ffmpeg backend, failing start-up when ffmpeg or ffprobe does not run;
   * {@code jcodec}: the pure-Java backend; {@code auto}: ffmpeg when both run, else jcodec.
   */
  static EncoderBackend select(EncoderConfig config) {
    ProcessRunner runner = new ProcessRunner();
    String choice = config.backend();
    if (choice.equals("jcodec")) {
      return new JcodecBackend();
    }
    String problem = problem(runner, config.ffmpegPath());
    if (problem == null) {
      problem = problem(runner, config.ffprobePath());
    }
    if (problem == null) {
      return new FfmpegBackend(
          runner, config.ffmpegPath(), config.ffprobePath(), true, config.effectiveEncodeThreads());
    }
    if (choice.equals("ffmpeg")) {
      throw new IllegalStateException("backend is ffmpeg, but " + problem);
    }
    log.warn("{}; using the pure-Java jcodec backend (slower, H.264 baseline only)", problem);
    return new JcodecBackend();
  }

  /** Why {@code program -version} does not run, or {@code null} when it does. */
  private static String problem(ProcessRunner runner, String program) {
    try {
      ProcessRunner.Result result =
          runner.run(
              List.of(program, "-version"),
              ProcessRunner.Options.defaults().withTimeout(PROBE_TIMEOUT).withStdout(64 * 1024),
              new Unbounded());
      return result.exitCode() == 0 ? null : program + " -version exited with " + result.exitCode();
    } catch (Exception e) {
      return program + " does not run (" + e.getMessage() + ")";
    }
  }

  /** Start-up checks run outside any task. */
  private static final class Unbounded implements TaskControl {
    private final Instant deadline = Instant.now().plus(PROBE_TIMEOUT);

    @Override
    public Instant deadline() {
      return deadline;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void checkNotCancelled() {}
  }
}
