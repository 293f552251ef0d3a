package org.reelbox.benchmarks.cachepolicy;

/**
 * The knobs of a synthetic video-segment trace (see {@link TraceGenerator} for the model itself).
 *
 * @param videos catalog size
 * @param sessions viewing sessions over the whole trace
 * @param alpha Zipf exponent of the videos' long-run popularity
 * @param days trace length; sessions start uniformly over it
 * @param warmupDays requests before this are replayed but not counted (the caches start empty)
 * @param seed the trace is a pure function of the model, seed included
 */
public record TraceModel(
    int videos, int sessions, double alpha, double days, double warmupDays, long seed) {
  public TraceModel {
    if (videos < 1) {
      throw new IllegalArgumentException("videos must be >= 1: " + videos);
    }
    if (sessions < 1) {
      throw new IllegalArgumentException("sessions must be >= 1: " + sessions);
    }
    if (!(alpha > 0 && alpha < 3)) {
      throw new IllegalArgumentException("alpha must be in (0, 3): " + alpha);
    }
    if (!(days > 0 && days <= 20)) {
      throw new IllegalArgumentException("days must be in (0, 20]: " + days);
    }
    if (!(warmupDays >= 0 && warmupDays < days)) {
      throw new IllegalArgumentException("warmupDays must be in [0, days): " + warmupDays);
    }
  }

  /** The trace: 100k videos, 500k sessions over a week, the first day as warm-up. */
  public static TraceModel full(double alpha) {
    return new TraceModel(100_000, 500_000, alpha, 7, 1, 20260526L);
  }

  /** A tenth of the full trace, for a quick look (same shape, same ratio of sessions to videos). */
  public static TraceModel quick(double alpha) {
    return new TraceModel(10_000, 50_000, alpha, 7, 1, 20260526L);
  }
}
