package org.reelbox.origin;

import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ConfigValueException;

/**
 * Just-in-time packaging of untranscoded originals ({@code jit} in {@code conf/origin.yaml}; see
 * docs/streaming.md, "Just in time").
 *
 * @param enabled whether the origin packages an H.264/AAC MP4 original on request while its video
 *     has no transcoded HLS
 * @param stateCacheSeconds how long the control plane's answer about a video (state, playable) is
 *     kept, negative answers too; 0 asks every time
 * @param segmentSeconds the target segment duration; cuts fall on the keyframe nearest each
 *     multiple
 * @param indexCacheSamples the most samples of parsed originals kept in memory (about 29 bytes
 *     each; 2,000,000 is about 58 MB, some 10 hours of 30 fps video with AAC)
 * @param maxConcurrentRemuxes segments remuxed at once; each holds its samples and its TS in memory
 * @param playlistMaxAgeSeconds {@code max-age} of the JIT playlists: short, since transcoded ones
 *     replace them when the job finishes
 */
public record JitConfig(
    boolean enabled,
    int stateCacheSeconds,
    int segmentSeconds,
    long indexCacheSamples,
    int maxConcurrentRemuxes,
    int playlistMaxAgeSeconds) {
  public JitConfig {
    if (stateCacheSeconds < 0) {
      throw new ConfigValueException(
          "jit.stateCacheSeconds", "must be >= 0, got " + stateCacheSeconds);
    }
    if (segmentSeconds < 1 || segmentSeconds > 60) {
      throw new ConfigValueException(
          "jit.segmentSeconds", "must be 1 to 60, got " + segmentSeconds);
    }
    if (indexCacheSamples < 1) {
      throw new ConfigValueException(
          "jit.indexCacheSamples", "must be positive, got " + indexCacheSamples);
    }
    Checks.positive("jit.maxConcurrentRemuxes", maxConcurrentRemuxes);
    if (playlistMaxAgeSeconds < 0) {
      throw new ConfigValueException(
          "jit.playlistMaxAgeSeconds", "must be >= 0, got " + playlistMaxAgeSeconds);
    }
  }

  /** The defaults of {@code conf/origin.yaml}. */
  public static JitConfig defaults() {
    return new JitConfig(true, 5, 6, 2_000_000, 4, 10);
  }
}
