package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

/**
 * The body of {@code POST /internal/work/claim}: a long poll for one task.
 *
 * @param worker the claiming worker, which also refreshes its worker-queue row (a heartbeat)
 * @param waitSeconds how long the control plane may hold the request when no task is ready, 0 to
 *     {@link WorkProtocol#MAX_CLAIM_WAIT_SECONDS}; it answers 204 when the wait runs out
 */
public record ClaimRequest(WorkerInfo worker, int waitSeconds) {
  public ClaimRequest {
    requireNonNull(worker, "worker");
  }
}
