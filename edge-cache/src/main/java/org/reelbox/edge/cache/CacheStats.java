package org.reelbox.edge.cache;

/**
 * A snapshot of a {@link SegmentCache}'s counters, all since the cache was opened except {@code
 * entries} and {@code bytesOnDisk}, which describe what is stored now.
 *
 * @param hits gets answered from the cache (either tier)
 * @param memoryHits the part of {@code hits} answered by the in-memory tier
 * @param misses gets not answered, corrupt entries included
 * @param hitBytes body bytes returned by hits
 * @param evictions stored entries the policy removed to make room
 * @param rejections puts the policy declined (admission lost, too large, no room)
 * @param corruptions stored entries whose body failed its checksum and were dropped
 * @param entries entries stored now
 * @param bytesOnDisk bytes accounted to stored entries now (bodies, metadata, keys); never above
 *     the budget
 */
public record CacheStats(
    long hits,
    long memoryHits,
    long misses,
    long hitBytes,
    long evictions,
    long rejections,
    long corruptions,
    long entries,
    long bytesOnDisk) {

  /** Hits over requests, 0 when there were none. */
  public double hitRatio() {
    long requests = hits + misses;
    return requests == 0 ? 0 : (double) hits / requests;
  }
}
