package org.reelbox.ingest.store;

/** The upload's role in the tus concatenation extension. */
public enum ConcatKind {
  /** An ordinary upload: the whole video. */
  NONE,
  /** {@code Upload-Concat: partial}: a piece of a video, uploaded in parallel with others. */
  PARTIAL,
  /** {@code Upload-Concat: final;…}: the video, made of partial uploads. */
  FINAL
}
