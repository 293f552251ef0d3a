package org.reelbox.ingest.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Optional;

/**
 * What {@link UploadStore#write} did.
 *
 * @param info the upload after the write: its offset counts every byte stored
 * @param inputFailure what the input stream threw, if it failed before its end (a client that went
 *     away, a container rejected by the sniffer); the bytes read before it are stored
 */
public record WriteResult(UploadInfo info, Optional<IOException> inputFailure) {
  public WriteResult {
    requireNonNull(info, "info");
    requireNonNull(inputFailure, "inputFailure");
  }
}
