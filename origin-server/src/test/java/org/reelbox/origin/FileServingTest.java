package org.reelbox.origin;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.config.StorageConfig;

/** The serving contract on the file store: bodies are zero-copy file regions. */
class FileServingTest extends ServingContract {
  @TempDir static Path dataDir;
  static OriginRole role;

  @BeforeAll
  static void start() throws Exception {
    role = new OriginRole(OriginFixtures.config(dataDir, StorageConfig.fileDefault()));
    role.start();
    OriginFixtures.writeVideo(role.blobs(), OriginFixtures.VIDEO);
  }

  @AfterAll
  static void stop() {
    if (role != null) {
      role.close();
    }
  }

  @Override
  URI base() {
    return role.baseUrl();
  }
}
