package org.reelbox.common.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a role's data directory at start, so that a bad one fails early with a clear line. */
public final class DataDir {
  private DataDir() {}

  /**
   * Creates {@code dir} when missing and proves it writable by writing and deleting a probe file.
   *
   * @param key the config key that named the directory, for the error message
   * @return the directory as an absolute path
   * @throws ConfigException if it cannot be created or written
   */
  public static Path prepare(String key, String dir) {
    if (dir == null || dir.isBlank()) {
      throw new ConfigException(key, "must name a directory");
    }
    Path path = Path.of(dir).toAbsolutePath().normalize();
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new ConfigException(key, path + " is not a directory");
    }
    try {
      Files.createDirectories(path);
    } catch (IOException | SecurityException e) {
      throw new ConfigException(
          key, "cannot create directory " + path + " (" + e.getClass().getSimpleName() + ")");
    }
    if (!Files.isDirectory(path)) {
      throw new ConfigException(key, path + " is not a directory");
    }
    try {
      Path probe = Files.createTempFile(path, ".write-probe-", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new ConfigException(key, "directory " + path + " is not writable");
    }
    return path;
  }
}
