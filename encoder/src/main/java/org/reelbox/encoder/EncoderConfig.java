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
 * @param encodeThreads libx264's {@code -threads} per encode task: 0 (the default) gives each slot
 *     its share of the cores (cores ÷ slots, at least 1), so that the slots' encodes together do
 *     not oversubscribe the machine; -1 leaves it to x264 (about 1.5 threads per core in every
 *     encode at once); a positive number is used as is
 * @param fuseLimit how many encodes of one chunk (its renditions) a slot runs as one process, 1 to
 *     {@link WorkProtocol#MAX_FUSE_LIMIT}: the chunk is decoded once for all of them. 1 turns
 *     fusing off. Backends that gain nothing from it (jcodec) claim singly whatever this says
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
    int encodeThreads,
    int fuseLimit) {
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
    if (encodeThreads < -1 || encodeThreads > 64) {
      throw new ConfigValueException(
          "encodeThreads",
          "must be -1 (x264 decides), 0 (cores ÷ slots) or up to 64, got " + encodeThreads);
    }
    if (fuseLimit < 1 || fuseLimit > WorkProtocol.MAX_FUSE_LIMIT) {
      throw new ConfigValueException(
          "fuseLimit",
          "must be from 1 (no fusing) to " + WorkProtocol.MAX_FUSE_LIMIT + ", got " + fuseLimit);
    }
  }

  /**
   * libx264's {@code -threads} in effect: {@link #encodeThreads()}, cores ÷ slots when it is 0, or
   * 0 (x264 decides) when it is -1.
   */
  public int effectiveEncodeThreads() {
    if (encodeThreads == -1) {
      return 0;
    }
    if (encodeThreads > 0) {
      return encodeThreads;
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors() / effectiveSlots());
  }

  /** The slots in effect: {@link #slots()}, or the number of cores when it is 0. */
  public int effectiveSlots() {
    return slots == 0 ? Runtime.getRuntime().availableProcessors() : slots;
  }
}
