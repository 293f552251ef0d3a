package org.reelbox.benchmarks.cachepolicy;

import com.github.benmanes.caffeine.cache.Cache;
import org.reelbox.edge.cache.CachePolicy;

/**
 * The edge's own policy: the index {@link CachePolicy} builds for {@code RocksSegmentCache}, driven
 * the way that class drives it. Every request is a {@code getIfPresent} (feeding the frequency
 * sketch); a miss is offered with {@code putIfAbsent} and {@code cleanUp()}, which admits or
 * rejects it at once. The weight is the segment's size; the edge adds its key, metadata and 64
 * bytes of record overhead (about 150 bytes, 0.01–0.03% of a segment), left out here so that every
 * policy gets the same byte budget.
 */
public final class EdgePolicy implements Policy {
  private final Cache<Integer, Integer> index;

  public EdgePolicy(long capacityBytes) {
    index =
        CachePolicy.newIndex(capacityBytes, (Integer key, Integer size) -> size, (k, v, c) -> {});
  }

  @Override
  public boolean access(int object, int sizeBytes) {
    Integer key = object;
    if (index.getIfPresent(key) != null) {
      return true;
    }
    index.asMap().putIfAbsent(key, sizeBytes);
    index.cleanUp();
    return false;
  }

  @Override
  public long usedBytes() {
    return index.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }
}
