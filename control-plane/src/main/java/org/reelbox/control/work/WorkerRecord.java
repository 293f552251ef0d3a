package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.reelbox.common.work.WorkerInfo;

/**
 * A row of the worker queue.
 *
 * @param info what the worker said with its last claim
 * @param runningTasks tasks it holds leases on now
 * @param firstSeenAt its first claim
 * @param lastSeenAt its last claim or renewal
 */
public record WorkerRecord(
    WorkerInfo info, int runningTasks, Instant firstSeenAt, Instant lastSeenAt) {
  public WorkerRecord {
    requireNonNull(info, "info");
    requireNonNull(firstSeenAt, "firstSeenAt");
    requireNonNull(lastSeenAt, "lastSeenAt");
  }
}
