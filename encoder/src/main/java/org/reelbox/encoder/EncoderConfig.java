package org.reelbox.encoder;

import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;

/**
 * The encoder worker's configuration: {@code conf/encoder.yaml}.
 *
 * @param slots how many tasks run at once; 0 means one per core
 */
public record EncoderConfig(
    HttpConfig http, String dataDir, StorageConfig storage, ClusterConfig cluster, int slots) {
  public EncoderConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("storage", storage);
    Checks.required("cluster", cluster);
    if (slots < 0) {
      throw new ConfigValueException("slots", "must be 0 (one per core) or more, got " + slots);
    }
  }

  /** The slots in effect: {@link #slots()}, or the number of cores when it is 0. */
  public int effectiveSlots() {
    return slots == 0 ? Runtime.getRuntime().availableProcessors() : slots;
  }
}
