package org.reelbox.edge;

/**
 * What an edge box reports about itself: to the control plane with each heartbeat, and on {@code
 * /metrics}. Counters are since the box started; {@code entries}, {@code bytesOnDisk} and {@code
 * capacityBytes} describe now.
 *
 * <p>This record is the contract between the serving path, which produces it, and the registrar,
 * which sends it; both sides and the control plane's edge registry use these field names as JSON.
 *
 * @param requests playback requests answered (any status)
 * @param hits requests answered from the box (disk or memory)
 * @param misses requests that needed the origin
 * @param hitBytes body bytes served from the box
 * @param missBytes body bytes served that came from the origin
 * @param originFetches fetches sent to an origin (one per coalesced group)
 * @param originErrors fetches that failed on every origin (error, timeout, 5xx)
 * @param serverErrors requests the box answered with a 5xx (502/504 when the origins failed, 503
 *     while it stops): with {@code requests}, the error rate the control plane's health check reads
 * @param coalescedWaits requests that joined a fetch already in flight instead of starting one
 * @param evictions stored entries the policy removed to make room
 * @param entries entries stored now
 * @param bytesOnDisk bytes accounted to stored entries now; never above {@code capacityBytes}
 * @param capacityBytes the configured disk budget
 */
public record EdgeStats(
    long requests,
    long hits,
    long misses,
    long hitBytes,
    long missBytes,
    long originFetches,
    long originErrors,
    long serverErrors,
    long coalescedWaits,
    long evictions,
    long entries,
    long bytesOnDisk,
    long capacityBytes) {

  /** Served bytes that came from the box, over all served bytes; 0 before any. */
  public double byteHitRatio() {
    long total = hitBytes + missBytes;
    return total == 0 ? 0 : (double) hitBytes / total;
  }
}
