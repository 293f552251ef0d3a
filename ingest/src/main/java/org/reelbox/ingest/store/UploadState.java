package org.reelbox.ingest.store;

/**
 * Where an upload is in its life. The store keeps the upload's bytes only in the states that say
 * so; the others are records of what happened, kept for a while so that HEAD can still answer.
 *
 * <pre>
 * UPLOADING ─┬─▶ COMPLETE (partial) ─▶ CONSUMED (its bytes went into a final)
 *            └─▶ COMMITTING (single, final) ─▶ COMMITTED (in originals/, control plane told)
 * any state holding bytes ─▶ TERMINATED (DELETE) · EXPIRED (sweeper) · REJECTED (not a video)
 * </pre>
 */
public enum UploadState {
  /** Receiving bytes. Holds bytes. */
  UPLOADING(true),
  /** A partial upload with all its bytes, waiting for a final upload. Holds bytes. */
  COMPLETE(true),
  /** A single or final upload with all its bytes, being committed to {@code originals/}. */
  COMMITTING(true),
  /** Committed to {@code originals/} with its SHA-256; the bytes now belong to the blob store. */
  COMMITTED(false),
  /** A partial upload whose bytes were concatenated into a final upload and released. */
  CONSUMED(false),
  /** Terminated by the client (tus termination). */
  TERMINATED(false),
  /** Removed by the sweeper after its expiry. */
  EXPIRED(false),
  /** Its first bytes are not a supported video container; terminated by ingest. */
  REJECTED(false);

  private final boolean holdsBytes;

  UploadState(boolean holdsBytes) {
    this.holdsBytes = holdsBytes;
  }

  /** Whether the store holds the upload's bytes in this state. */
  public boolean holdsBytes() {
    return holdsBytes;
  }

  /** Whether requests to the upload are answered 410 Gone. */
  public boolean isGone() {
    return this == TERMINATED || this == EXPIRED || this == REJECTED;
  }
}
