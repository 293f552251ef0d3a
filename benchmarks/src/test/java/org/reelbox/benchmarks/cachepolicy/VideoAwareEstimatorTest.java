package org.reelbox.benchmarks.cachepolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VideoAwareEstimatorTest {
  @Test
  void rate_pooledOverTheVideo_aNeverRequestedSegmentOfAPopularVideoRanksHigh() {
    // Objects: 0 = v0 seg0, 1 = v0 seg1, 2 = v1 seg0, 3 = v1 seg1 (all rendition 2).
    int[] videoOf = {0, 0, 1, 1};
    int[] segmentOf = {0, 1, 0, 1};
    byte[] renditionOf = {2, 2, 2, 2};
    // v0: three sessions, one of which goes on to segment 1; v1: one session.
    int[] requests = {0, 0, 1, 0, 2};
    var trace =
        new Trace(requests, new int[] {1, 1, 1, 1}, 0, 4, 4, videoOf, segmentOf, renditionOf);
    var estimator = new VideoAwareEstimator(trace, 1e12); // no decay
    for (int i = 0; i < requests.length; i++) {
      estimator.observe(requests[i], i);
    }
    // Sessions: v0 3, v1 1; reach(1) = 1 request at segment 1 / 4 at segment 0; rendition share 1.
    assertThat(estimator.rate(0, 5)).isCloseTo(3, within(1e-9));
    assertThat(estimator.rate(1, 5)).isCloseTo(0.75, within(1e-9));
    // v1's segment 1 was never asked for, yet has a rate from its video's sessions.
    assertThat(estimator.rate(3, 5)).isCloseTo(0.25, within(1e-9));
  }
}
