package org.reelbox.edge.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The small in-memory tier in front of the disk: playlists (which every player re-reads) and the
 * hottest segments, as {@link HotObject}s in direct buffers. A hit here never leaves the event loop
 * and never copies a byte.
 *
 * <p>A Caffeine cache weighed in bytes with {@code maximumWeight = memory.bytes}: its W-TinyLFU
 * admission keeps a segment only if it is asked for more often than the one it would displace, so a
 * scan of cold segments (a prefetch, one viewer's long tail) does not flush the hot set. The
 * removal listener drops the tier's reference to the buffer; responses still writing it hold their
 * own. Playlists are kept past their freshness so that they can be served stale when the origin
 * fails.
 */
final class MemoryTier {
  private final Cache<String, HotObject> cache;
  private final long maxObjectBytes;
  private final boolean enabled;

  MemoryTier(long budgetBytes, long maxObjectBytes) {
    this.enabled = budgetBytes > 0;
    this.maxObjectBytes = Math.min(maxObjectBytes, budgetBytes);
    this.cache =
        Caffeine.newBuilder()
            .executor(Runnable::run)
            .maximumWeight(Math.max(budgetBytes, 1))
            .<String, HotObject>weigher((k, v) -> v.size() + 128)
            .<String, HotObject>removalListener(
                (k, v, cause) -> {
                  if (v != null) {
                    v.release();
                  }
                })
            .build();
  }

  /** The object under {@code key}, fresh or not, or null. */
  HotObject get(String key) {
    return enabled ? cache.getIfPresent(key) : null;
  }

  /**
   * Offers an object; the tier takes its own reference if it keeps it (the caller keeps its own).
   */
  void offer(String key, HotObject object) {
    if (!enabled || object.size() > maxObjectBytes || !object.retain()) {
      return;
    }
    cache.put(key, object);
  }

  void invalidate(String key) {
    cache.invalidate(key);
  }

  /** Removes every key starting with {@code prefix}; returns how many. */
  int invalidatePrefix(String prefix) {
    int[] n = new int[1];
    cache
        .asMap()
        .keySet()
        .removeIf(
            k -> {
              if (k.startsWith(prefix)) {
                n[0]++;
                return true;
              }
              return false;
            });
    return n[0];
  }

  boolean contains(String key) {
    return enabled && cache.asMap().containsKey(key);
  }

  /** Bytes held now (bodies plus a small per-entry overhead). */
  long weightedBytes() {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  long entries() {
    return cache.estimatedSize();
  }

  void close() {
    cache.invalidateAll();
    cache.cleanUp();
  }
}
