package org.reelbox.edge.cache;

/**
 * Sizes of a {@link SegmentCache}. {@link #of(long)} gives the defaults: a 64 MiB memory tier
 * holding objects of up to 256 KiB (playlists, small segments), and objects of up to 64 MiB (or the
 * budget, if smaller) on disk.
 *
 * @param diskBudgetBytes the most bytes stored entries may account for (bodies, metadata, keys)
 * @param memoryTierBytes the in-memory tier's budget; 0 turns the tier off
 * @param memoryTierMaxObjectBytes the largest body the memory tier holds
 * @param maxObjectBytes the largest body the cache stores at all
 */
public record SegmentCacheSettings(
    long diskBudgetBytes,
    long memoryTierBytes,
    long memoryTierMaxObjectBytes,
    long maxObjectBytes) {
  public static final long DEFAULT_MEMORY_TIER_BYTES = 64L << 20;
  public static final long DEFAULT_MEMORY_TIER_MAX_OBJECT_BYTES = 256L << 10;
  public static final long DEFAULT_MAX_OBJECT_BYTES = 64L << 20;

  public SegmentCacheSettings {
    if (diskBudgetBytes <= 0) {
      throw new IllegalArgumentException("diskBudgetBytes must be positive: " + diskBudgetBytes);
    }
    if (memoryTierBytes < 0) {
      throw new IllegalArgumentException("memoryTierBytes must be >= 0: " + memoryTierBytes);
    }
    if (memoryTierMaxObjectBytes < 0) {
      throw new IllegalArgumentException(
          "memoryTierMaxObjectBytes must be >= 0: " + memoryTierMaxObjectBytes);
    }
    // Caffeine weighs entries with an int.
    if (maxObjectBytes <= 0 || maxObjectBytes > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(
          "maxObjectBytes must be in 1.." + Integer.MAX_VALUE / 2 + ": " + maxObjectBytes);
    }
  }

  public static SegmentCacheSettings of(long diskBudgetBytes) {
    return new SegmentCacheSettings(
        diskBudgetBytes,
        DEFAULT_MEMORY_TIER_BYTES,
        DEFAULT_MEMORY_TIER_MAX_OBJECT_BYTES,
        Math.min(DEFAULT_MAX_OBJECT_BYTES, diskBudgetBytes));
  }

  public SegmentCacheSettings withMemoryTier(long bytes, long maxObjectBytes) {
    return new SegmentCacheSettings(diskBudgetBytes, bytes, maxObjectBytes, maxObjectBytes());
  }

  public SegmentCacheSettings withMaxObjectBytes(long bytes) {
    return new SegmentCacheSettings(
        diskBudgetBytes, memoryTierBytes, memoryTierMaxObjectBytes, bytes);
  }
}
