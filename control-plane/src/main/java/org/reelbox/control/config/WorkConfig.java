package org.reelbox.control.config;

import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.common.work.InputLimits;

/**
 * The resource manager's settings: the {@code work} section of {@code conf/control-plane.yaml}
 * (docs/transcoding.md §9).
 *
 * @param leaseSeconds how long a claimed task's lease lasts unless renewed, 1–600
 * @param maxAttempts how many times a task runs before a recoverable failure fails the job, 1–20
 * @param retryBackoffSeconds the delay before the second attempt; it doubles with each attempt
 * @param retryBackoffMaxSeconds the longest delay between attempts
 * @param workerTimeoutSeconds a worker not heard from (claim or renewal) for this long is dropped
 *     from the worker queue
 * @param taskTimeoutSeconds the wall-clock limit a worker gets for one task
 * @param reaperIntervalMillis how often expired leases and silent workers are looked for
 * @param inputLimits what inspect accepts
 */
public record WorkConfig(
    int leaseSeconds,
    int maxAttempts,
    int retryBackoffSeconds,
    int retryBackoffMaxSeconds,
    int workerTimeoutSeconds,
    int taskTimeoutSeconds,
    int reaperIntervalMillis,
    InputLimits inputLimits) {
  public WorkConfig {
    range("leaseSeconds", leaseSeconds, 1, 600);
    range("maxAttempts", maxAttempts, 1, 20);
    range("retryBackoffSeconds", retryBackoffSeconds, 0, 3600);
    range("retryBackoffMaxSeconds", retryBackoffMaxSeconds, retryBackoffSeconds, 86_400);
    range("workerTimeoutSeconds", workerTimeoutSeconds, 1, 86_400);
    range("taskTimeoutSeconds", taskTimeoutSeconds, 1, 86_400);
    range("reaperIntervalMillis", reaperIntervalMillis, 10, 60_000);
    inputLimits = inputLimits == null ? InputLimits.defaults() : inputLimits;
    Checks.positive("inputLimits.minSide", inputLimits.minSide());
    range("inputLimits.maxSide", inputLimits.maxSide(), inputLimits.minSide(), 16_384);
    Checks.positive("inputLimits.maxDurationSeconds", inputLimits.maxDurationSeconds());
    Checks.positive("inputLimits.maxStreams", inputLimits.maxStreams());
  }

  /** The defaults of {@code conf/control-plane.yaml}. */
  public static WorkConfig defaults() {
    return new WorkConfig(30, 3, 2, 60, 90, 3600, 1000, InputLimits.defaults());
  }

  private static void range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigValueException(
          field, "must be between " + min + " and " + max + ", got " + value);
    }
  }
}
