package org.reelbox.origin;

import java.nio.file.Path;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.testing.S3ProxyServer;

/** Just-in-time HLS from S3 (S3Proxy over real HTTP): originals read with ranged GETs only. */
class JitS3ServingTest extends JitServingContract {
  @Override
  StorageConfig storage(Path dataDir) throws Exception {
    return new StorageConfig(
        "s3",
        new StorageConfig.File(""),
        new StorageConfig.S3(
            S3ProxyServer.endpoint(),
            "us-east-1",
            S3ProxyServer.ACCESS_KEY,
            S3ProxyServer.SECRET_KEY,
            "origin-jit"));
  }
}
