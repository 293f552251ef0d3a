package org.reelbox.encoder.worker;

/**
 * The control plane answered 409 {@code LEASE_LOST}: the lease expired or the task went to another
 * worker. The task must be dropped without writing or reporting anything more.
 */
public final class LeaseLostException extends Exception {
  public LeaseLostException(String leaseId) {
    super("lease " + leaseId + " is no longer current");
  }
}
