package org.reelbox.origin;

import org.reelbox.common.config.ConfigValueException;

/**
 * What the origin tells the control plane about the bytes it serves straight to viewers ({@code
 * traffic} in {@code conf/origin.yaml}; docs/edges.md, "Cost"): edge boxes report their own bytes
 * with their heartbeats, and the cost ledger needs the origin's to say what the boxes saved.
 *
 * @param id this origin's name in the ledger, 1–64 of {@code [A-Za-z0-9_-]}; empty: the host name
 *     and port
 * @param reportSeconds how often the cumulative counters are sent; 0 sends none
 */
public record TrafficConfig(String id, int reportSeconds) {
  public TrafficConfig {
    if (id == null) {
      id = "";
    }
    if (!id.isEmpty() && !id.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
      throw new ConfigValueException(
          "traffic.id", "must be 1-64 letters, digits, '_' or '-', got '" + id + "'");
    }
    if (reportSeconds < 0) {
      throw new ConfigValueException("traffic.reportSeconds", "must be >= 0, got " + reportSeconds);
    }
  }

  /** The shipped defaults: named after the host, a report every 30 seconds. */
  public static TrafficConfig defaults() {
    return new TrafficConfig("", 30);
  }
}
