package org.reelbox.origin;

import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;

/** The origin server's configuration: {@code conf/origin.yaml}. */
public record OriginConfig(
    HttpConfig http, String dataDir, StorageConfig storage, ClusterConfig cluster) {
  public OriginConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("storage", storage);
    Checks.required("cluster", cluster);
  }
}
