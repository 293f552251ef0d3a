package org.reelbox.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.config.ConfigException;
import org.reelbox.common.config.StorageConfig;

class BlobStoresTest {
  @TempDir Path dataDir;

  private static final StorageConfig.S3 NO_S3 = new StorageConfig.S3("", "", "", "", "");

  @Test
  void open_fileWithEmptyRoot_usesBlobsUnderDataDir() throws IOException {
    try (BlobStore store = BlobStores.open(StorageConfig.fileDefault(), dataDir)) {
      assertThat(store).isInstanceOf(FileBlobStore.class);
      assertThat(((FileBlobStore) store).root()).isEqualTo(dataDir.resolve("blobs").toRealPath());
    }
  }

  @Test
  void open_fileWithRelativeRoot_resolvesAgainstDataDir() throws IOException {
    StorageConfig config = new StorageConfig("file", new StorageConfig.File("media/store"), NO_S3);

    try (BlobStore store = BlobStores.open(config, dataDir)) {
      assertThat(((FileBlobStore) store).root())
          .isEqualTo(dataDir.resolve("media/store").toRealPath());
    }
  }

  @Test
  void open_fileWithAbsoluteRoot_usesIt(@TempDir Path elsewhere) throws IOException {
    Path root = elsewhere.resolve("blobs");
    StorageConfig config =
        new StorageConfig("file", new StorageConfig.File(root.toString()), NO_S3);

    try (BlobStore store = BlobStores.open(config, dataDir)) {
      assertThat(((FileBlobStore) store).root()).isEqualTo(root.toRealPath());
    }
  }

  @Test
  void open_s3WithoutEndpoint_throwsConfigException() {
    StorageConfig config =
        new StorageConfig(
            "s3", new StorageConfig.File(""), new StorageConfig.S3("", "", "k", "s", "b"));

    assertThatThrownBy(() -> BlobStores.open(config, dataDir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("storage.s3.endpoint");
  }

  @Test
  void open_s3WithoutBucket_throwsConfigException() {
    StorageConfig config =
        new StorageConfig(
            "s3",
            new StorageConfig.File(""),
            new StorageConfig.S3("http://127.0.0.1:9", "", "k", "s", ""));

    assertThatThrownBy(() -> BlobStores.open(config, dataDir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("storage.s3.bucket");
  }
}
