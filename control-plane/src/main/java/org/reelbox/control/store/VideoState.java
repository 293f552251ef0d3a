package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

/**
 * Where a video is in its life (DESIGN.md "Upload → ready"):
 *
 * <pre>
 * UPLOADING ──▶ UPLOADED ──▶ PROCESSING ──▶ READY
 *     └────────────┴──────────────┴──────▶ FAILED (with an error code)
 * </pre>
 *
 * READY and FAILED are terminal. Stored by name: renaming a constant needs a migration.
 */
public enum VideoState {
  /** Created; the original is being uploaded through ingest. */
  UPLOADING,
  /** The original is complete in the blob store; size and checksum are known. */
  UPLOADED,
  /** The transcoding pipeline is running. */
  PROCESSING,
  /** Playable. Terminal. */
  READY,
  /** Stopped for good with an error code the client can show. Terminal. */
  FAILED;

  /** Whether no transition leaves this state. */
  public boolean terminal() {
    return this == READY || this == FAILED;
  }

  /** Whether the state machine has the edge {@code this → next}. */
  public boolean canTransitionTo(VideoState next) {
    requireNonNull(next, "next");
    if (next == FAILED) {
      return !terminal();
    }
    return switch (this) {
      case UPLOADING -> next == UPLOADED;
      case UPLOADED -> next == PROCESSING;
      case PROCESSING -> next == READY;
      case READY, FAILED -> false;
    };
  }
}
