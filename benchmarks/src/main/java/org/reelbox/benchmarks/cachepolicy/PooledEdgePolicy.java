package org.reelbox.benchmarks.cachepolicy;

import com.github.benmanes.caffeine.cache.Cache;
import org.reelbox.edge.cache.CachePolicy;

/**
 * An experiment on the edge's policy: the same {@link CachePolicy} index, with keys whose hash code
 * is shared by {@code bucket} consecutive segments of one rendition of one video. Caffeine's
 * frequency sketch counts by hash code, so a segment is admitted on the popularity of its
 * neighbourhood: the first request for segment 12 of a video whose segments 8–11 were asked for
 * often already looks popular. Keys stay distinct (equality is by object), so the map is exact;
 * only the sketch pools. Not adopted by the edge (see docs/edge-cache.md, "Policy: trace
 * simulation").
 */
public final class PooledEdgePolicy implements Policy {
  private final Cache<Key, Integer> index;
  private final Trace trace;
  private final int bucket;
  private final boolean poolRenditions;

  static final class Key implements Comparable<Key> {
    final int id;
    final int hash;

    Key(int id, int hash) {
      this.id = id;
      this.hash = hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.id == id;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public int compareTo(Key o) {
      return Integer.compare(id, o.id);
    }
  }

  public PooledEdgePolicy(long capacityBytes, Trace trace, int bucket, boolean poolRenditions) {
    this.trace = trace;
    this.bucket = bucket;
    this.poolRenditions = poolRenditions;
    index = CachePolicy.newIndex(capacityBytes, (Key key, Integer size) -> size, (k, v, c) -> {});
  }

  @Override
  public boolean access(int object, int sizeBytes) {
    int r = poolRenditions ? 0 : trace.renditionOf(object);
    long h = ((long) trace.videoOf(object) * 4 + r) * 1_000_003L + trace.segmentOf(object) / bucket;
    h *= 0x9E3779B97F4A7C15L;
    Key key = new Key(object, (int) (h ^ (h >>> 32)));
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
