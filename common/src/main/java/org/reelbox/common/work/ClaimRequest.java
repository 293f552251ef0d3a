package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

/**
 * The body of {@code POST /internal/work/claim}: a long poll for one task.
 *
 * @param worker the claiming worker, which also refreshes its worker-queue row (a heartbeat)
 * @param waitSeconds how long the control plane may hold the request when no task is ready, 0 to
 *     {@link WorkProtocol#MAX_CLAIM_WAIT_SECONDS}; it answers 204 when the wait runs out
 * @param fuseLimit how many tasks the worker runs together as one process when the plan allows it
 *     (encodes of one chunk into several renditions: one decode), 1 to {@link
 *     WorkProtocol#MAX_FUSE_LIMIT}; absent means 1, a worker that never fuses
 */
public record ClaimRequest(WorkerInfo worker, int waitSeconds, Integer fuseLimit) {
  public ClaimRequest {
    requireNonNull(worker, "worker");
    if (fuseLimit == null) {
      fuseLimit = 1;
    }
  }

  /** A claim for one task at a time. */
  public ClaimRequest(WorkerInfo worker, int waitSeconds) {
    this(worker, waitSeconds, 1);
  }
}
