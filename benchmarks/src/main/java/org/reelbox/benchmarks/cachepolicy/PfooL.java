package org.reelbox.benchmarks.cachepolicy;

import java.util.Arrays;

/**
 * PFOO-L, the lower bound on OPT's miss ratio for variable object sizes of Berger, Beckmann and
 * Harchol-Balter ("Practical Bounds on Optimal Caching with Variable Object Sizes", SIGMETRICS
 * 2018). Every request that has a next request for the same object opens an <em>interval</em>:
 * caching the object from this request to the next turns the next one into a hit, and costs the
 * object's size × the interval's length in cache space-time (time counted in requests). OPT must
 * fit the cache at every instant; PFOO-L keeps only the total, capacity × trace length, and fills
 * it greedily with the intervals of least space-time per miss saved (the last one fractionally).
 * That relaxation is a knapsack whose greedy solution is optimal, so no policy, offline or not, can
 * miss less than PFOO-L: its miss ratio is a <em>lower bound</em> on OPT's, not a policy.
 *
 * <p>The objective decides the order: for byte misses an interval saves {@code size} bytes for
 * {@code size × length} space-time, so the shortest intervals come first whatever the size; for
 * object misses it saves one miss, so the smallest {@code size × length} comes first. The two
 * bounds are separate (each is the bound for its own miss ratio). Requests before the trace's
 * {@code countFrom} are not counted, so intervals ending there save nothing and are skipped.
 */
public final class PfooL {
  private PfooL() {}

  /**
   * Lower bounds for each capacity (ascending): {@code [k][0]} byte, {@code [k][1]} object miss
   * ratio.
   */
  public static double[][] bounds(Trace trace, long[] capacitiesAscending) {
    int n = trace.length();
    int from = trace.countFrom();
    int[] next = trace.nextUse();
    for (int k = 1; k < capacitiesAscending.length; k++) {
      if (capacitiesAscending[k] < capacitiesAscending[k - 1]) {
        throw new IllegalArgumentException("capacities must ascend");
      }
    }
    double[][] out = new double[capacitiesAscending.length][2];
    double countedBytes = trace.countedBytes();
    double countedRequests = n - from;
    if (countedRequests == 0) {
      return out;
    }

    // Byte misses: group the intervals' bytes by length, then take lengths in ascending order.
    long[] bytesByLength = new long[n];
    int intervals = 0;
    for (int i = 0; i < n; i++) {
      int j = next[i];
      if (j != Trace.NEVER && j >= from) {
        bytesByLength[j - i] += trace.sizeOf(trace.objectAt(i));
        intervals++;
      }
    }
    double[] byteHits = new double[capacitiesAscending.length];
    {
      int k = 0;
      double resource = 0;
      double hits = 0;
      for (int length = 1; length < n && k < byteHits.length; length++) {
        long bytes = bytesByLength[length];
        if (bytes == 0) {
          continue;
        }
        double group = (double) length * bytes;
        while (k < byteHits.length && resource + group > budget(capacitiesAscending[k], n)) {
          byteHits[k] = hits + (budget(capacitiesAscending[k], n) - resource) / length;
          k++;
        }
        resource += group;
        hits += bytes;
      }
      for (; k < byteHits.length; k++) {
        byteHits[k] = hits;
      }
    }
    bytesByLength = null;

    // Object misses: each interval saves one miss; the least space-time first.
    long[] spaceTime = new long[intervals];
    int m = 0;
    for (int i = 0; i < n; i++) {
      int j = next[i];
      if (j != Trace.NEVER && j >= from) {
        spaceTime[m++] = (long) trace.sizeOf(trace.objectAt(i)) * (j - i);
      }
    }
    Arrays.sort(spaceTime);
    double[] objectHits = new double[capacitiesAscending.length];
    {
      int k = 0;
      double resource = 0;
      for (int i = 0; i < m && k < objectHits.length; i++) {
        while (k < objectHits.length
            && resource + spaceTime[i] > budget(capacitiesAscending[k], n)) {
          objectHits[k] = i + (budget(capacitiesAscending[k], n) - resource) / spaceTime[i];
          k++;
        }
        resource += spaceTime[i];
      }
      for (; k < objectHits.length; k++) {
        objectHits[k] = m;
      }
    }
    for (int k = 0; k < out.length; k++) {
      out[k][0] = 1 - byteHits[k] / countedBytes;
      out[k][1] = 1 - objectHits[k] / countedRequests;
    }
    return out;
  }

  private static double budget(long capacityBytes, int requests) {
    return (double) capacityBytes * requests;
  }
}
