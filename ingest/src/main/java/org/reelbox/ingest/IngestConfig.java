package org.reelbox.ingest;

import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;

/** Ingest's configuration: {@code conf/ingest.yaml}. */
public record IngestConfig(
    HttpConfig http, String dataDir, StorageConfig storage, ClusterConfig cluster) {
  public IngestConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("storage", storage);
    Checks.required("cluster", cluster);
  }
}
