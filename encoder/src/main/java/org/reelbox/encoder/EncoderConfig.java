package org.reelbox.encoder;

import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.work.WorkProtocol;

/**
 * The encoder worker's configuration: {@code conf/encoder.yaml}.
 *
 * @param slots how many tasks run at once; 0 means one per core
 * @param backend {@code auto} (ffmpeg when it runs, else jcodec), {@code ffmpeg} or {@code jcodec}
 * @param ffmpegPath the ffmpeg executable (a name looked up on the PATH, or a path)
 * @param ffprobePath the ffprobe executable
 * @param claimWaitSeconds how long one claim may wait at the control plane for a task
 * @param encodeThreads libx264's {@code -threads} per encode task; 0 leaves it to x264 (about 1.5
 *     threads per core, for each of the slots' encodes at once)
 */
public record EncoderConfig(
    HttpConfig http,
    String dataDir,
    StorageConfig storage,
    ClusterConfig cluster,
    int slots,
    String backend,
    String ffmpegPath,
    String ffprobePath,
    int claimWaitSeconds,
    int encodeThreads) {
  public static final String AUTO = "auto";

  public EncoderConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("storage", storage);
    Checks.required("cluster", cluster);
    if (slots < 0) {
      throw new ConfigValueException("slots", "must be 0 (one per core) or more, got " + slots);
    }
    Checks.nonBlank("backend", backend);
    if (!backend.equals(AUTO) && !backend.equals("ffmpeg") && !backend.equals("jcodec")) {
      throw new ConfigValueException(
          "backend", "must be auto, ffmpeg or jcodec, got '" + backend + "'");
    }
    Checks.nonBlank("ffmpegPath", ffmpegPath);
    Checks.nonBlank("ffprobePath", ffprobePath);
    if (claimWaitSeconds < 1 || claimWaitSeconds > WorkProtocol.MAX_CLAIM_WAIT_SECONDS) {
      throw new ConfigValueException(
          "claimWaitSeconds",
          "must be from 1 to " + WorkProtocol.MAX_CLAIM_WAIT_SECONDS + ", got " + claimWaitSeconds);
    }
    if (encodeThreads < 0 || encodeThreads > 64) {
      throw new ConfigValueException(
          "encodeThreads", "must be from 0 (x264 decides) to 64, got " + encodeThreads);
    }
  }

  /** The slots in effect: {@link #slots()}, or the number of cores when it is 0. */
  public int effectiveSlots() {
    return slots == 0 ? Runtime.getRuntime().availableProcessors() : slots;
  }
}
