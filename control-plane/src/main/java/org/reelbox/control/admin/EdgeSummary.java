package org.reelbox.control.admin;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.reelbox.control.edges.EdgeRecord;
import org.reelbox.control.edges.EdgeStatsReport;

/**
 * The edge boxes at a glance, for the admin's overview.
 *
 * @param total every box that ever sent a heartbeat
 * @param healthy those whose last heartbeat is younger than the registry's timeout
 * @param draining those an admin drained (healthy or not)
 * @param hitRatio bytes the boxes served from their own store over all bytes they served, summed
 *     over every box's latest report (counters since each box started); 0 before any byte
 * @param bytesServed body bytes the boxes served, the same sum
 */
public record EdgeSummary(int total, int healthy, int draining, double hitRatio, long bytesServed) {

  /** Sums {@code edges}: healthy means a heartbeat younger than {@code timeout} at {@code now}. */
  public static EdgeSummary of(List<EdgeRecord> edges, Instant now, Duration timeout) {
    requireNonNull(now, "now");
    requireNonNull(timeout, "timeout");
    int healthy = 0;
    int draining = 0;
    long hit = 0;
    long miss = 0;
    for (EdgeRecord e : edges) {
      if (e.healthy(now, timeout)) {
        healthy++;
      }
      if (e.draining()) {
        draining++;
      }
      EdgeStatsReport s = e.stats();
      hit += s.hitBytes();
      miss += s.missBytes();
    }
    long served = hit + miss;
    return new EdgeSummary(
        edges.size(), healthy, draining, served == 0 ? 0 : (double) hit / served, served);
  }
}
