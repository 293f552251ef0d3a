package org.reelbox.origin;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.testing.S3ProxyServer;

/** The serving contract on S3 (S3Proxy over real HTTP): bodies are streamed in chunks. */
class S3ServingTest extends ServingContract {
  @TempDir static Path dataDir;
  static OriginRole role;

  @BeforeAll
  static void start() throws Exception {
    StorageConfig s3 =
        new StorageConfig(
            "s3",
            new StorageConfig.File(""),
            new StorageConfig.S3(
                S3ProxyServer.endpoint(),
                "us-east-1",
                S3ProxyServer.ACCESS_KEY,
                S3ProxyServer.SECRET_KEY,
                "origin-serving"));
    role = new OriginRole(OriginFixtures.config(dataDir, s3));
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
