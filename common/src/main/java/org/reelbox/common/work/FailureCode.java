package org.reelbox.common.work;

/**
 * Why a task failed, as a worker reports it and as a {@code FAILED} video shows it to its creator.
 * Each code says whether it is worth retrying by default: a non-recoverable failure stops the job
 * at once; a recoverable one is retried with back-off (possibly on another worker) up to the
 * resource manager's limit, after which the job fails with that code.
 *
 * <p>Codes are stored by name in the metadata DB and shown to clients: never rename one.
 */
public enum FailureCode {
  /** The file is empty, truncated, or its structure is broken (a box past the end, no moov). */
  CORRUPT_INPUT(false),
  /** Not a container reelbox reads (MP4/MOV, Matroska/WebM, MPEG-TS), e.g. a playlist. */
  UNSUPPORTED_CONTAINER(false),
  /** A video codec this worker fleet cannot decode (HEVC on a jcodec-only fleet, …). */
  UNSUPPORTED_CODEC(false),
  /** The file has no video stream (audio only, or only data streams). */
  NO_VIDEO_STREAM(false),
  /** The picture is too small or too large ({@link InputLimits}). */
  RESOLUTION_OUT_OF_RANGE(false),
  /** Longer than {@link InputLimits#maxDurationSeconds()}. */
  DURATION_TOO_LONG(false),
  /** More streams than {@link InputLimits#maxStreams()}. */
  TOO_MANY_STREAMS(false),
  /** A task input the worker was told to read does not exist (a bug or a lost temp object). */
  MISSING_INPUT(true),
  /** The encoder process failed or produced nothing usable. */
  ENCODER_FAILED(true),
  /** The task ran past its wall-clock limit and was killed. */
  TIMEOUT(true),
  /** The blob store could not be read or written. */
  STORAGE_UNAVAILABLE(true),
  /** The worker is shutting down and gave the task back. */
  WORKER_SHUTDOWN(true),
  /** Anything else; a bug. */
  INTERNAL(true);

  private final boolean recoverable;

  FailureCode(boolean recoverable) {
    this.recoverable = recoverable;
  }

  /** Whether a failure with this code is retried by default. */
  public boolean recoverable() {
    return recoverable;
  }
}
