package org.reelbox.benchmarks.cachepolicy;

/**
 * An experiment: the rate estimate an edge could make from what it sees (the key's video, rendition
 * and segment number), to drive {@link OracleRate} in place of the model's true rates. A segment's
 * rate is estimated as: sessions started on its video (requests for any rendition's segment 0) ×
 * the share of sessions that reach its segment number (learnt over all videos) × its rendition's
 * share (learnt over all requests). Pooling over the video replaces the per-segment counts, which
 * on this trace are a handful of requests each and mostly zero when a segment is first asked for.
 * All counts decay with a half-life of {@code halfLife} requests, kept as forward decay (each
 * increment weighs 2^(t / halfLife)) so that estimates made at different times compare directly.
 */
public final class VideoAwareEstimator implements RateOracle {
  private static final int MAX_SEGMENT = 1_200; // 2 h of 6 s segments
  private final Trace trace;
  private final double halfLife;
  private final double[] starts; // per video
  private final double[] bySegment = new double[MAX_SEGMENT + 1];
  private final double[] byRendition = new double[3];
  private double all;

  public VideoAwareEstimator(Trace trace, double halfLifeRequests) {
    if (!trace.hasSegmentInfo()) {
      throw new IllegalArgumentException("the trace must know videos and segments");
    }
    this.trace = trace;
    this.halfLife = halfLifeRequests;
    int videos = 0;
    for (int o = 0; o < trace.objects(); o++) {
      videos = Math.max(videos, trace.videoOf(o) + 1);
    }
    starts = new double[videos];
  }

  /** Learns from request {@code index} (call before asking for rates at that index). */
  public void observe(int object, int index) {
    double w = Math.pow(2, index / halfLife);
    int s = Math.min(MAX_SEGMENT, trace.segmentOf(object));
    if (s == 0) {
      starts[trace.videoOf(object)] += w;
    }
    bySegment[s] += w;
    byRendition[trace.renditionOf(object)] += w;
    all += w;
  }

  @Override
  public double rate(int object, int index) {
    int s = Math.min(MAX_SEGMENT, trace.segmentOf(object));
    double reach = bySegment[0] == 0 ? 1 : bySegment[s] / bySegment[0];
    double share = all == 0 ? 1 : byRendition[trace.renditionOf(object)] / all;
    return starts[trace.videoOf(object)] * reach * share;
  }
}
