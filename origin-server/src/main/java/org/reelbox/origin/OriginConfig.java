package org.reelbox.origin;

import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;

/**
 * The origin server's configuration: {@code conf/origin.yaml}.
 *
 * @param http where the server listens
 * @param dataDir the role's data directory
 * @param storage the blob store the HLS output is served from
 * @param cluster the cluster secret (tokens are verified with a key derived from it)
 * @param requireTokens when true, every {@code /v/…} request needs a {@code /t/{token}} prefix; the
 *     key endpoint always needs one, whatever this says
 * @param playlistMaxAgeSeconds the {@code max-age} of playlists; segments and thumbnails are
 *     immutable (one year), keys are {@code no-store}
 * @param blockingThreads threads for storage work (stat, open, S3 reads), kept off the event loops
 * @param jit just-in-time packaging of untranscoded H.264/AAC MP4 originals
 * @param traffic how the bytes served to viewers are reported to the control plane (cost)
 */
public record OriginConfig(
    HttpConfig http,
    String dataDir,
    StorageConfig storage,
    ClusterConfig cluster,
    boolean requireTokens,
    int playlistMaxAgeSeconds,
    int blockingThreads,
    JitConfig jit,
    TrafficConfig traffic) {
  public OriginConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("storage", storage);
    Checks.required("cluster", cluster);
    if (playlistMaxAgeSeconds < 0) {
      throw new ConfigValueException(
          "playlistMaxAgeSeconds", "must be >= 0, got " + playlistMaxAgeSeconds);
    }
    Checks.positive("blockingThreads", blockingThreads);
    Checks.required("jit", jit);
    if (traffic == null) {
      traffic = TrafficConfig.defaults();
    }
  }

  /** This config with {@code requireTokens} set. */
  public OriginConfig withRequireTokens(boolean value) {
    return new OriginConfig(
        http,
        dataDir,
        storage,
        cluster,
        value,
        playlistMaxAgeSeconds,
        blockingThreads,
        jit,
        traffic);
  }

  /** This config with {@code jit} set. */
  public OriginConfig withJit(JitConfig value) {
    return new OriginConfig(
        http,
        dataDir,
        storage,
        cluster,
        requireTokens,
        playlistMaxAgeSeconds,
        blockingThreads,
        value,
        traffic);
  }

  /** This config with {@code traffic} set. */
  public OriginConfig withTraffic(TrafficConfig value) {
    return new OriginConfig(
        http,
        dataDir,
        storage,
        cluster,
        requireTokens,
        playlistMaxAgeSeconds,
        blockingThreads,
        jit,
        value);
  }
}
