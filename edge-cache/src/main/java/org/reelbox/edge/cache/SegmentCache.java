package org.reelbox.edge.cache;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The edge box's object store: the part below the HTTP handler. Keys are cache keys with the
 * playback token already stripped, e.g. {@code {videoId}/{rendition}/{seq}.ts}, {@code
 * {videoId}/master.m3u8}.
 *
 * <p>Contracts every implementation keeps:
 *
 * <ul>
 *   <li>An object is never served unless its body matches the checksum taken when it was stored; a
 *       corrupt entry is dropped and reported as a miss.
 *   <li>The bytes accounted to stored entries (bodies and metadata) never exceed the configured
 *       budget, not even for a moment under concurrent puts.
 *   <li>A put whose body fails or ends early stores nothing.
 *   <li>Objects are immutable (VOD): a put for a key that is already stored keeps the stored copy.
 * </ul>
 *
 * <p>All methods are thread-safe. After {@link #close()} every method throws {@link
 * IllegalStateException}.
 */
public interface SegmentCache extends Closeable {

  /**
   * Returns the object stored under {@code key}, or empty on a miss. Counts a hit or a miss, and
   * tells the admission policy that the key was asked for.
   */
  Optional<CachedObject> get(String key);

  /**
   * Offers an object to the cache. The policy may decline it (too large, or less valuable than what
   * it would displace); a declined put may return without reading {@code body}. When the policy
   * takes it, exactly {@code sizeBytes} bytes are read from {@code body}, which must then be at its
   * end.
   *
   * @return true if {@code key} is stored when the call returns (by this call or an earlier one)
   * @throws IOException if {@code body} fails, ends before {@code sizeBytes} or runs past it, or
   *     the store cannot be written; nothing is stored then
   */
  boolean put(String key, ObjectMetadata metadata, InputStream body, long sizeBytes)
      throws IOException;

  /**
   * Whether {@code key} is stored now, without reading its body and without counting a hit or a
   * miss or informing the policy (prefetch asks this before it fetches).
   */
  boolean contains(String key);

  /** Removes {@code key} if it is stored. */
  void invalidate(String key);

  /**
   * Removes every key that starts with {@code prefix}.
   *
   * @return the number of keys removed
   */
  int invalidatePrefix(String prefix);

  /** Purges one video: every key under {@code videoId + "/"}, and nothing of another video. */
  default int invalidateVideo(String videoId) {
    if (videoId == null || videoId.isEmpty() || videoId.contains("/")) {
      throw new IllegalArgumentException("videoId must be a non-empty path segment: " + videoId);
    }
    return invalidatePrefix(videoId + "/");
  }

  /** A snapshot of the counters. */
  CacheStats stats();

  /** Opens a cache in a directory; the directory's previous content is kept (a warm restart). */
  @FunctionalInterface
  interface Factory {
    SegmentCache open(Path dir, SegmentCacheSettings settings) throws IOException;
  }
}
