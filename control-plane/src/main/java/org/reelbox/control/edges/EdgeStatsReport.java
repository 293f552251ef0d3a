package org.reelbox.control.edges;

import java.util.List;

/**
 * The counters an edge box sends with each heartbeat: the control plane's copy of the edge's {@code
 * EdgeStats} (roles share no classes, so the JSON field names are the contract; the packaging tests
 * check that both sides name the same fields). Counters are since the box started; {@code entries},
 * {@code bytesOnDisk} and {@code capacityBytes} describe the moment of the heartbeat. Every value
 * is non-negative.
 *
 * @param requests playback requests answered (any status)
 * @param hits requests answered from the box
 * @param misses requests that needed the origin
 * @param hitBytes body bytes served from the box
 * @param missBytes body bytes served that came from the origin
 * @param originFetches fetches sent to an origin
 * @param originErrors fetches that failed on every origin
 * @param serverErrors requests the box answered with a 5xx; never more than {@code requests}
 * @param coalescedWaits requests that joined a fetch already in flight
 * @param evictions stored entries the box's policy removed to make room
 * @param entries entries stored now
 * @param bytesOnDisk bytes accounted to stored entries now
 * @param capacityBytes the box's disk budget
 */
public record EdgeStatsReport(
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

  /** The JSON field names, in declaration order. */
  public static final List<String> FIELDS =
      List.of(
          "requests",
          "hits",
          "misses",
          "hitBytes",
          "missBytes",
          "originFetches",
          "originErrors",
          "serverErrors",
          "coalescedWaits",
          "evictions",
          "entries",
          "bytesOnDisk",
          "capacityBytes");

  public EdgeStatsReport {
    long[] values = {
      requests,
      hits,
      misses,
      hitBytes,
      missBytes,
      originFetches,
      originErrors,
      serverErrors,
      coalescedWaits,
      evictions,
      entries,
      bytesOnDisk,
      capacityBytes
    };
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0) {
        throw new IllegalArgumentException(
            "stats." + FIELDS.get(i) + " must not be negative, got " + values[i]);
      }
    }
    if (serverErrors > requests) {
      throw new IllegalArgumentException(
          "stats.serverErrors ("
              + serverErrors
              + ") cannot exceed stats.requests ("
              + requests
              + ")");
    }
  }

  /** Builds a report from values in {@link #FIELDS} order. */
  public static EdgeStatsReport of(long[] v) {
    if (v.length != FIELDS.size()) {
      throw new IllegalArgumentException(
          "expected " + FIELDS.size() + " stats values, got " + v.length);
    }
    return new EdgeStatsReport(
        v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
  }

  /** All zero: a box that has served nothing and stores nothing. */
  public static EdgeStatsReport zero() {
    return of(new long[FIELDS.size()]);
  }

  /** Served bytes that came from the box, over all served bytes; 0 before any. */
  public double byteHitRatio() {
    long total = hitBytes + missBytes;
    return total == 0 ? 0 : (double) hitBytes / total;
  }
}
