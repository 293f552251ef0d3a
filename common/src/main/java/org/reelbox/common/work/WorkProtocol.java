package org.reelbox.common.work;

/**
 * The HTTP paths and limits of the work protocol. Every call carries the cluster-auth header
 * ({@code ClusterAuth}); bodies are JSON ({@code Json.mapper()}).
 *
 * <pre>
 * POST /internal/work/claim                    ClaimRequest  → 200 TaskAssignment | 204 (nothing)
 * POST /internal/work/leases/{leaseId}/renew   (no body)     → 200 LeaseRenewal   | 409 LEASE_LOST
 * POST /internal/work/leases/{leaseId}/complete TaskCompletion → 204               | 409 LEASE_LOST
 * POST /internal/work/leases/{leaseId}/fail    TaskFailure   → 204                | 409 LEASE_LOST
 * DELETE /internal/work/workers/{workerId}     (no body)     → 204 (graceful leave; its leases return)
 * </pre>
 *
 * Errors are {@code {"error","message"}} with the usual statuses; 409 with error {@code LEASE_LOST}
 * means the lease is not current (expired, or the task was reassigned): the worker stops the task
 * and writes nothing more.
 */
public final class WorkProtocol {
  public static final String CLAIM_PATH = "/internal/work/claim";
  public static final String LEASES_PATH = "/internal/work/leases/";
  public static final String WORKERS_PATH = "/internal/work/workers/";

  /** The error code of a 409 answer to a renewal or report whose lease is not current. */
  public static final String LEASE_LOST = "LEASE_LOST";

  public static final int MAX_CLAIM_WAIT_SECONDS = 30;

  /** The most tasks one claim hands out as a fused group ({@code ClaimRequest.fuseLimit}). */
  public static final int MAX_FUSE_LIMIT = 8;

  public static final int MAX_MESSAGE_LENGTH = 1000;

  private WorkProtocol() {}

  public static String renewPath(String leaseId) {
    return LEASES_PATH + leaseId + "/renew";
  }

  public static String completePath(String leaseId) {
    return LEASES_PATH + leaseId + "/complete";
  }

  public static String failPath(String leaseId) {
    return LEASES_PATH + leaseId + "/fail";
  }
}
