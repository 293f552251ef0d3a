package org.reelbox.common.work;

/**
 * The answer to {@code POST /internal/work/leases/{leaseId}/renew}: the lease now lasts this many
 * seconds from now.
 */
public record LeaseRenewal(int leaseSeconds) {}
