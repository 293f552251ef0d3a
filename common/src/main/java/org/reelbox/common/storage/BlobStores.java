package org.reelbox.common.storage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import org.reelbox.common.config.StorageConfig;

/** Opens the {@link BlobStore} a role's {@link StorageConfig} names. */
public final class BlobStores {
  private BlobStores() {}

  /**
   * Opens the configured store.
   *
   * <ul>
   *   <li>{@code file}: a {@link FileBlobStore} at {@code storage.file.root}; an empty root means
   *       {@code blobs/} under {@code dataDir}, and a relative one is resolved against {@code
   *       dataDir} (not the working directory, which a systemd unit does not choose).
   *   <li>{@code s3}: an {@link S3BlobStore}, after {@link StorageConfig#requireUsable()} has
   *       checked that the endpoint and bucket are set; the bucket is created when missing.
   * </ul>
   *
   * @param dataDir the role's data directory
   * @throws org.reelbox.common.config.ConfigException if the S3 settings are incomplete
   * @throws IOException if the directory cannot be created or the S3 endpoint cannot be used
   */
  public static BlobStore open(StorageConfig config, Path dataDir) throws IOException {
    requireNonNull(config, "config");
    requireNonNull(dataDir, "dataDir");
    config.requireUsable();
    return switch (config.type()) {
      case "file" -> new FileBlobStore(fileRoot(config.file(), dataDir));
      case "s3" -> new S3BlobStore(config.s3());
      default -> throw new IllegalArgumentException("unknown storage type " + config.type());
    };
  }

  /** Where a file store lives: see {@link #open}. */
  static Path fileRoot(StorageConfig.File file, Path dataDir) {
    String root = file.root();
    Path base = dataDir.toAbsolutePath();
    return (root.isEmpty() ? base.resolve("blobs") : base.resolve(root)).normalize();
  }
}
