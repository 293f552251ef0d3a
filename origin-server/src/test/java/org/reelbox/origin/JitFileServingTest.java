package org.reelbox.origin;

import java.nio.file.Path;
import org.reelbox.common.config.StorageConfig;

/** Just-in-time HLS from the file store: originals read with positional file reads. */
class JitFileServingTest extends JitServingContract {
  @Override
  StorageConfig storage(Path dataDir) {
    return StorageConfig.fileDefault();
  }
}
