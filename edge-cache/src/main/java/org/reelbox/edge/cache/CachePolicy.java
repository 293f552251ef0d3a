package org.reelbox.edge.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalListener;
import com.github.benmanes.caffeine.cache.Weigher;

/**
 * The edge's admission and eviction policy, in one place: the disk index of {@code
 * RocksSegmentCache} is built here, and so is the cache the trace simulator ({@code
 * benchmarks/cache-policy}) replays traces against, so that what the simulator measures is what the
 * edge runs.
 *
 * <p>The policy is Caffeine's W-TinyLFU (Einziger, Friedman, Manes, "TinyLFU: A Highly Efficient
 * Cache Admission Policy", ACM ToS 2017) bounded by weight: {@code maximumWeight} is the byte
 * budget and the weigher gives each entry's accounted bytes. A small LRU window takes every new
 * entry; an entry leaving the window enters the main (segmented LRU) region only if a CountMin
 * sketch says it was asked for more often than the main region's victim. Caffeine sizes the window
 * itself (a hill climber on the hit ratio).
 *
 * <p>Maintenance, and so the removal listener, runs on the calling thread ({@code
 * executor(Runnable::run)}): nothing runs in the background, and a replay is deterministic up to
 * Caffeine's one random choice (a 1-in-128 admission of a candidate that is as frequent as its
 * victim once both are hot, its defence against hash flooding).
 *
 * <p>A caller feeds every request through {@code getIfPresent} (hits and misses both train the
 * sketch) and offers a missed object with {@code put}/{@code putIfAbsent} followed by {@code
 * cleanUp()}, which makes the admission decision before the caller writes anything.
 */
public final class CachePolicy {
  private CachePolicy() {}

  /**
   * A new policy index.
   *
   * @param budgetBytes the most bytes the entries' weights may add up to
   * @param weigher an entry's accounted bytes
   * @param listener told of every entry the policy lets go (evicted, rejected, replaced, removed)
   */
  public static <K, V> Cache<K, V> newIndex(
      long budgetBytes, Weigher<? super K, ? super V> weigher, RemovalListener<K, V> listener) {
    if (budgetBytes <= 0) {
      throw new IllegalArgumentException("budgetBytes must be positive: " + budgetBytes);
    }
    requireNonNull(weigher, "weigher");
    requireNonNull(listener, "listener");
    return Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumWeight(budgetBytes)
        .weigher(weigher)
        .removalListener(listener)
        .build();
  }
}
