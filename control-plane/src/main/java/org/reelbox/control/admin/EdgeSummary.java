package org.reelbox.control.admin;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Predicate;
import org.reelbox.control.edges.EdgeRecord;
import org.reelbox.control.edges.EdgeStatsReport;

/**
 * The edge boxes at a glance, for the admin's overview.
 *
 * @param total every box that ever sent a heartbeat
 * @param healthy those the registry counts as up (a recent heartbeat, few server errors)
 * @param draining those an admin drained (healthy or not)
 * @param hitRatio bytes the boxes served from their own store over all bytes they served, summed
 *     over every box's latest report (counters since each box started); 0 before any byte
 * @param bytesServed body bytes the boxes served, the same sum
 */
public record EdgeSummary(int total, int healthy, int draining, double hitRatio, long bytesServed) {

  /** Sums {@code edges}; {@code healthy} says which are up (the registry's {@code isHealthy}). */
  public static EdgeSummary of(List<EdgeRecord> edges, Predicate<EdgeRecord> healthy) {
    requireNonNull(healthy, "healthy");
    int up = 0;
    int draining = 0;
    long hit = 0;
    long miss = 0;
    for (EdgeRecord e : edges) {
      if (healthy.test(e)) {
        up++;
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
        edges.size(), up, draining, served == 0 ? 0 : (double) hit / served, served);
  }
}
