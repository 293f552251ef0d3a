package org.reelbox.control.store.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.time.Duration;
import java.util.Optional;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.TransitionResult;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoPatch;
import org.reelbox.control.store.VideoTransition;

/**
 * A {@link MetadataStore} that answers {@link #findVideo} from a Caffeine cache, for the play path
 * where every viewer of a video asks for the same row. Everything else goes straight to the
 * delegate().
 *
 * <p><b>Consistency.</b> Every write through this store that can change a video ({@link
 * #updateVideoMetadata}, {@link #transitionVideo}) invalidates the entry after the delegate
 * returns, whatever the outcome. The hard case is a read that missed, loaded the old row, and would
 * put it into the cache just after the invalidation, where it would stay until it expires. Both the
 * load and the invalidation are therefore {@code asMap()} computations on the key, which {@link
 * java.util.concurrent.ConcurrentMap} makes atomic: they run one after the other, so either the
 * invalidation removes what the load stored, or the load starts after the write committed and reads
 * the new row. ({@code Cache.invalidate} would not do: Caffeine leaves its effect on an entry being
 * loaded undefined.) Writes that bypass this store (another control plane on the same PostgreSQL, a
 * hand edit) are bounded by {@code expireAfterWrite} instead.
 *
 * <p><b>Negative results are not cached.</b> A miss for an unknown id costs one indexed lookup;
 * caching it would let anyone who requests random ids fill the cache with absences and push the
 * popular videos out, and would need {@link #createVideo} to invalidate as well.
 */
public final class CachingMetadataStore extends ForwardingMetadataStore {
  /** How long a cached video may live without a write through this store: the staleness bound. */
  public static final Duration DEFAULT_EXPIRE_AFTER_WRITE = Duration.ofMinutes(5);

  private final Cache<VideoId, Video> videos;

  /**
   * A cache of at most {@code maxEntries} videos (ControlPlaneConfig.videoCacheMaxEntries) with the
   * {@linkplain #DEFAULT_EXPIRE_AFTER_WRITE default expiry}.
   */
  public CachingMetadataStore(MetadataStore delegate, int maxEntries) {
    this(delegate, maxEntries, DEFAULT_EXPIRE_AFTER_WRITE);
  }

  /**
   * @param maxEntries the most videos kept, 1 or more
   * @param expireAfterWrite how long an entry lives, positive
   */
  public CachingMetadataStore(MetadataStore delegate, int maxEntries, Duration expireAfterWrite) {
    super(delegate);
    requireNonNull(expireAfterWrite, "expireAfterWrite");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    if (expireAfterWrite.isNegative() || expireAfterWrite.isZero()) {
      throw new IllegalArgumentException(
          "expireAfterWrite must be positive, got " + expireAfterWrite);
    }
    this.videos =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfterWrite(expireAfterWrite)
            .recordStats()
            .build();
  }

  /** Hits, misses and evictions, for metrics. */
  public CacheStats videoCacheStats() {
    return videos.stats();
  }

  @Override
  public Optional<Video> findVideo(VideoId videoId) {
    requireNonNull(videoId, "videoId");
    Video hit = videos.getIfPresent(videoId);
    if (hit != null) {
      return Optional.of(hit);
    }
    // A null from the loader stores nothing: that is how absences stay uncached.
    return Optional.ofNullable(
        videos.asMap().computeIfAbsent(videoId, id -> delegate().findVideo(id).orElse(null)));
  }

  @Override
  public Optional<Video> updateVideoMetadata(VideoId videoId, VideoPatch patch) {
    try {
      return delegate().updateVideoMetadata(videoId, patch);
    } finally {
      // Even when the delegate threw: the write may have committed before the failure.
      if (videoId != null) {
        invalidate(videoId);
      }
    }
  }

  @Override
  public TransitionResult transitionVideo(VideoTransition transition) {
    try {
      return delegate().transitionVideo(transition);
    } finally {
      if (transition != null) {
        invalidate(transition.videoId());
      }
    }
  }

  private void invalidate(VideoId videoId) {
    // A compute, not Cache.invalidate: see "Consistency" above.
    videos.asMap().compute(videoId, (id, cached) -> null);
  }
}
