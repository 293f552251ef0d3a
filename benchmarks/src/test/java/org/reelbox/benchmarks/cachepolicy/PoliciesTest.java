package org.reelbox.benchmarks.cachepolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The policies on tiny traces whose answers are worked out by hand. The benchmarks module skips its
 * tests by default: run with {@code mvn -o -pl benchmarks -am test -DskipTests=false
 * -Dtest='PoliciesTest,TraceGeneratorTest' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PoliciesTest {
  private static final int A = 0, B = 1, C = 2, D = 3, E = 4;

  private static String hits(Policy policy, int... requests) {
    var out = new StringBuilder();
    for (int r : requests) {
      out.append(policy.access(r, 1) ? 'H' : 'm');
    }
    return out.toString();
  }

  @Test
  void lru_evictsTheLeastRecentlyUsed() {
    // A B C A D: D evicts B (A was used since); B then evicts C; A and D stay.
    assertThat(hits(new Lru(3, 8), A, B, C, A, D, B, A, D)).isEqualTo("mmmHmmHH");
  }

  @Test
  void lru_objectLargerThanTheCache_neverStored() {
    var lru = new Lru(10, 4);
    assertThat(lru.access(A, 11)).isFalse();
    assertThat(lru.access(A, 11)).isFalse();
    assertThat(lru.usedBytes()).isZero();
    assertThat(lru.access(B, 10)).isFalse();
    assertThat(lru.access(B, 10)).isTrue();
  }

  @Test
  void lruSecondHit_storesOnTheSecondRequestWhileTheKeyIsRemembered() {
    assertThat(hits(new LruSecondHit(10, 8, 4), A, A, A)).isEqualTo("mmH");
    // A history of one key: B pushes A out of it, so A's second request is a "first" again.
    assertThat(hits(new LruSecondHit(10, 8, 1), A, B, A, A, A)).isEqualTo("mmmmH");
  }

  @Test
  void sieve_keepsVisitedObjectsInPlaceAndEvictsTheFirstUnvisited() {
    var sieve = new Sieve(3, 8);
    // A B C; A is hit (visited). D: the hand starts at the tail (A), clears its bit, evicts B.
    assertThat(hits(sieve, A, B, C, A, D)).isEqualTo("mmmHm");
    // E: the hand resumes at C (unvisited): evicts C. A and D stay.
    assertThat(hits(sieve, E, A, D, B)).isEqualTo("mHHm");
  }

  @Test
  void s3fifo_scanOfOneHitWonders_doesNotEvictAnObjectHitTwice() {
    var s3 = new S3Fifo(10, 64);
    assertThat(s3.access(A, 1)).isFalse();
    assertThat(s3.access(A, 1)).isTrue(); // counter 1: it moves to the main queue when S fills
    for (int i = 10; i < 40; i++) {
      assertThat(s3.access(i, 1)).isFalse();
      assertThat(s3.usedBytes()).isLessThanOrEqualTo(10);
    }
    assertThat(s3.access(A, 1)).isTrue();
    var lru = new Lru(10, 64);
    lru.access(A, 1);
    lru.access(A, 1);
    for (int i = 10; i < 40; i++) {
      lru.access(i, 1);
    }
    assertThat(lru.access(A, 1)).isFalse();
  }

  @Test
  void s3fifo_missOnAGhostKey_goesToTheMainQueue() {
    var s3 = new S3Fifo(10, 64);
    s3.access(B, 1); // once only: evicted from S into the ghost by the scan below
    for (int i = 10; i < 25; i++) {
      s3.access(i, 1);
    }
    assertThat(s3.access(B, 1)).isFalse(); // a ghost hit: stored in M
    for (int i = 30; i < 45; i++) {
      s3.access(i, 1); // new one-hit objects churn through S, M keeps B
    }
    assertThat(s3.access(B, 1)).isTrue();
  }

  @Test
  void belady_bypassesWhatIsNeededLast() {
    // Capacity 2: A B C A B. C is never asked for again: not stored; A and B hit. LRU misses all.
    int[] requests = {A, B, C, A, B};
    var trace = Trace.of(requests, new int[] {1, 1, 1});
    var result = CachePolicySimulator.replayBelady(2, trace);
    assertThat(result.objectMiss()).isEqualTo(3.0 / 5);
    assertThat(CachePolicySimulator.replay(new Lru(2, 3), 2, trace).objectMiss()).isEqualTo(1.0);
  }

  @Test
  void belady_variableSizes_neverAboveCapacityAndNeverWorseThanLru() {
    var rng = new SplittableRandom(7);
    int[] sizes = new int[200];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = 1 + rng.nextInt(50);
    }
    int[] requests = new int[20_000];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = (int) Math.min(sizes.length - 1, Math.abs(rng.nextGaussian()) * 40);
    }
    var trace = Trace.of(requests, sizes);
    int[] next = trace.nextUse();
    var belady = new Belady(500, sizes.length);
    for (int i = 0; i < requests.length; i++) {
      belady.access(requests[i], sizes[requests[i]], next[i]);
      assertThat(belady.usedBytes()).isLessThanOrEqualTo(500);
    }
    double beladyMiss = CachePolicySimulator.replayBelady(500, trace).byteMiss();
    double lruMiss = CachePolicySimulator.replay(new Lru(500, sizes.length), 500, trace).byteMiss();
    double bound = PfooL.bounds(trace, new long[] {500})[0][0];
    assertThat(beladyMiss).isLessThan(lruMiss);
    assertThat(bound).isLessThanOrEqualTo(beladyMiss);
  }

  @Test
  void pfooL_twoIntervalsThatFitOnAverage_bothCount() {
    // Capacity 1, A B A B: intervals A(0→2), B(1→3) need 2 + 2 = 4 = 1 × 4 space-time units, so
    // the relaxation takes both (bound 2/4 misses) although no cache of 1 can hold A and B at once
    // (Belady misses 3 of 4).
    var trace = Trace.of(new int[] {A, B, A, B}, new int[] {1, 1});
    double[][] bound = PfooL.bounds(trace, new long[] {1});
    assertThat(bound[0][0]).isEqualTo(0.5);
    assertThat(bound[0][1]).isEqualTo(0.5);
    assertThat(CachePolicySimulator.replayBelady(1, trace).byteMiss()).isEqualTo(0.75);
  }

  @Test
  void pfooL_lastIntervalTakenFractionally_andShortestFirstForBytes() {
    // A B C A B C D, capacity 1: three intervals of length 3, budget 7: two whole, one third.
    var trace = Trace.of(new int[] {A, B, C, A, B, C, D}, new int[] {1, 1, 1, 1});
    double[][] bound = PfooL.bounds(trace, new long[] {1, 100});
    assertThat(bound[0][0]).isCloseTo((7 - 7.0 / 3) / 7, within(1e-12));
    assertThat(bound[1][0]).isCloseTo(4.0 / 7, within(1e-12)); // everything reusable fits
    // Bytes: a big object's short interval beats a small object's long one; objects: the reverse.
    // A(size 4) at 0 and 1 (length 1, space-time 4); B(size 1) at 2 and 5 (length 3, 3).
    var sized = Trace.of(new int[] {A, A, B, C, D, B}, new int[] {4, 1, 1, 1});
    double[][] b = PfooL.bounds(sized, new long[] {1}); // budget 1 × 6
    assertThat(b[0][0]).isCloseTo(1 - (4 + 2.0 / 3) / 12, within(1e-12)); // 12 bytes asked
    assertThat(b[0][1]).isCloseTo(1 - (1 + 3.0 / 4) / 6, within(1e-12));
  }

  @Test
  void pfooL_intervalsEndingInTheWarmUp_saveNothing() {
    // Counted from request 2: A's interval 0→1 ends in the warm-up, B's 2→3 counts.
    var trace = new Trace(new int[] {A, A, B, B}, new int[] {1, 1}, 2, 2, 2);
    double[][] bound = PfooL.bounds(trace, new long[] {1});
    assertThat(bound[0][0]).isEqualTo(0.5); // of B B, the second is the one hit
  }

  @Test
  void oracle_keepsTheHigherRateObject() {
    // Capacity 1 object; A has a higher rate than B: B is never stored in A's place.
    RateOracle rates = (object, index) -> object == A ? 2 : 1;
    var oracle = new OracleRate(1, 2, rates, 1_000);
    int[] requests = {A, B, A, B, A};
    var out = new StringBuilder();
    for (int i = 0; i < requests.length; i++) {
      out.append(oracle.access(requests[i], 1, i) ? 'H' : 'm');
    }
    assertThat(out.toString()).isEqualTo("mmHmH");
  }

  @Test
  void edgePolicy_staysWithinBudgetAndBeatsLruOnAZipfTraceWithOneHitWonders() {
    var rng = new SplittableRandom(11);
    int objects = 5_000;
    int[] sizes = new int[objects];
    Arrays.fill(sizes, 1_000);
    int[] requests = new int[60_000];
    int nextNew = 1_000;
    for (int i = 0; i < requests.length; i++) {
      // Half the requests Zipf-ish over 1,000 popular objects, half one-hit wonders.
      requests[i] =
          i % 2 == 0 ? (int) Math.min(999, Math.pow(rng.nextDouble(), 3) * 1_000) : nextNew++;
      if (nextNew == objects) {
        nextNew = 1_000;
      }
    }
    var trace = Trace.of(requests, sizes);
    var edge = new EdgePolicy(100_000);
    double edgeMiss = CachePolicySimulator.replay(edge, 100_000, trace).byteMiss();
    double lruMiss =
        CachePolicySimulator.replay(new Lru(100_000, objects), 100_000, trace).byteMiss();
    assertThat(edge.usedBytes()).isLessThanOrEqualTo(100_000);
    assertThat(edgeMiss).isLessThan(lruMiss);
  }
}
