package org.reelbox.control.edges;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * An edge box as the registry knows it: its last heartbeat and when it was seen.
 *
 * @param heartbeats how many heartbeats the registry has taken from the box
 * @param firstSeenAt when its first heartbeat arrived
 * @param lastSeenAt when its latest heartbeat arrived
 * @param draining set by an admin: the box gets no new viewers, those it has finish
 * @param errorRate the share of its requests the box answered with a 5xx between its last two
 *     heartbeats (0 with too few requests to tell)
 */
public record EdgeRecord(
    String edgeId,
    String region,
    String publicUrl,
    long capacityBytes,
    EdgeStatsReport stats,
    long heartbeats,
    Instant firstSeenAt,
    Instant lastSeenAt,
    boolean draining,
    double errorRate) {
  public EdgeRecord {
    EdgeHeartbeat.checkEdgeId(edgeId);
    requireNonNull(region, "region");
    requireNonNull(publicUrl, "publicUrl");
    requireNonNull(stats, "stats");
    requireNonNull(firstSeenAt, "firstSeenAt");
    requireNonNull(lastSeenAt, "lastSeenAt");
  }

  /**
   * Whether the box counts as up at {@code now}: its latest heartbeat is younger than {@code
   * timeout} (one from the future, clock skew between control-plane nodes, counts as fresh) and it
   * answered at most {@code maxErrorRate} of its recent requests with a 5xx.
   */
  public boolean healthy(Instant now, Duration timeout, double maxErrorRate) {
    return Duration.between(lastSeenAt, now).compareTo(timeout) < 0 && errorRate <= maxErrorRate;
  }

  /** Whether routing may send a new viewer to the box: healthy and not draining. */
  public boolean routable(Instant now, Duration timeout, double maxErrorRate) {
    return !draining && healthy(now, timeout, maxErrorRate);
  }
}
