package org.reelbox.control.config;

import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;

/** The control plane's configuration: {@code conf/control-plane.yaml}. */
public record ControlPlaneConfig(
    HttpConfig http,
    String dataDir,
    StorageConfig storage,
    ClusterConfig cluster,
    DatabaseConfig database,
    int videoCacheMaxEntries) {
  public ControlPlaneConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("storage", storage);
    Checks.required("cluster", cluster);
    Checks.required("database", database);
    Checks.positive("videoCacheMaxEntries", videoCacheMaxEntries);
  }
}
