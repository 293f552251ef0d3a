package org.reelbox.encoder.worker;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.reelbox.common.storage.BlobNotFoundException;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.storage.FileBlobStore;
import org.reelbox.common.work.FailureCode;
import org.reelbox.encoder.backend.TaskFailedException;

/**
 * Moves task inputs and outputs between the blob store and a task's local work directory, with the
 * failure codes a task reports: a missing input is {@code MISSING_INPUT}, any other storage error
 * {@code STORAGE_UNAVAILABLE} (both recoverable).
 *
 * <p>On a file store nothing is copied: inputs are read where they lie (a replaced object keeps its
 * old bytes for whoever opened it, so that is safe) and outputs are renamed into place.
 */
final class BlobFiles {
  private final BlobStore store;

  BlobFiles(BlobStore store) {
    this.store = requireNonNull(store, "store");
  }

  /** A local file with the object's bytes: the store's own file, or a download into {@code dir}. */
  Path fetch(String key, Path dir, String fileName) throws TaskFailedException {
    try {
      if (store instanceof FileBlobStore files) {
        Optional<Path> local = files.localPath(key);
        if (local.isEmpty()) {
          throw missing(key);
        }
        return local.get();
      }
      Path target = dir.resolve(fileName);
      try (InputStream in = store.get(key)) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (BlobNotFoundException e) {
      throw missing(key);
    } catch (IOException e) {
      throw new TaskFailedException(
          FailureCode.STORAGE_UNAVAILABLE, "cannot read " + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * Copies the object to {@code target} if it exists (always a copy: the caller may change or move
   * the file).
   *
   * @return whether it existed
   */
  boolean copyIfPresent(String key, Path target) throws TaskFailedException {
    try (InputStream in = store.get(key)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (BlobNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new TaskFailedException(
          FailureCode.STORAGE_UNAVAILABLE, "cannot read " + key + ": " + e.getMessage(), e);
    }
  }

  /** Stores {@code file} as {@code key}; the file may be moved away. Returns the stored size. */
  long store(String key, Path file) throws TaskFailedException {
    try {
      if (store instanceof FileBlobStore files) {
        try {
          return files.adopt(key, file).sizeBytes();
        } catch (AtomicMoveNotSupportedException e) {
          // The work dir is on another file system: copy instead.
        }
      }
      long size = Files.size(file);
      try (InputStream in = Files.newInputStream(file)) {
        return store.put(key, in, size).sizeBytes();
      }
    } catch (IOException e) {
      throw new TaskFailedException(
          FailureCode.STORAGE_UNAVAILABLE, "cannot write " + key + ": " + e.getMessage(), e);
    }
  }

  private static TaskFailedException missing(String key) {
    return new TaskFailedException(FailureCode.MISSING_INPUT, "input " + key + " does not exist");
  }
}
