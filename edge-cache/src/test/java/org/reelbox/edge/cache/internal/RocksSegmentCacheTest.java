package org.reelbox.edge.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reelbox.edge.cache.CacheStats;
import org.reelbox.edge.cache.SegmentCache;
import org.reelbox.edge.cache.SegmentCacheContract;
import org.reelbox.edge.cache.SegmentCacheSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class RocksSegmentCacheTest extends SegmentCacheContract {
  private static final Logger log = LoggerFactory.getLogger(RocksSegmentCacheTest.class);
  private static final SegmentCacheSettings NO_MEMORY_TIER =
      new SegmentCacheSettings(8 << 20, 0, 0, 1 << 20);

  @Override
  protected SegmentCache open(Path dir, SegmentCacheSettings settings) throws IOException {
    return RocksSegmentCache.open(dir, settings);
  }

  @Test
  void reopen_sameDir_keepsEntriesAndAccounting() throws IOException {
    CacheStats before;
    try (var cache = RocksSegmentCache.open(dir, SegmentCacheSettings.of(4 << 20))) {
      for (int i = 0; i < 20; i++) {
        put(cache, "v1/720p/" + i + ".ts", bodyOf("v1/720p/" + i + ".ts", 3000 + i * 1000));
      }
      put(cache, "v1/master.m3u8", "#EXTM3U\n".getBytes());
      before = cache.stats();
    }

    try (var cache = RocksSegmentCache.open(dir, SegmentCacheSettings.of(4 << 20))) {
      assertThat(cache.stats().entries()).isEqualTo(before.entries()).isEqualTo(21);
      assertThat(cache.stats().bytesOnDisk()).isEqualTo(before.bytesOnDisk());
      for (int i = 0; i < 20; i++) {
        String key = "v1/720p/" + i + ".ts";
        assertThat(cache.get(key).orElseThrow().toByteArray())
            .isEqualTo(bodyOf(key, 3000 + i * 1000));
      }
      assertThat(cache.get("v1/master.m3u8").orElseThrow().toByteArray())
          .isEqualTo("#EXTM3U\n".getBytes());
      // New generations do not collide with the reopened ones.
      long oldGeneration = cache.generationOf("v1/720p/0.ts");
      put(cache, "v2/720p/0.ts", bodyOf("x", 5000));
      assertThat(cache.generationOf("v2/720p/0.ts")).isGreaterThan(oldGeneration);
    }
  }

  @Test
  void reopen_smallerBudget_dropsWhatDoesNotFit() throws IOException {
    try (var cache = RocksSegmentCache.open(dir, SegmentCacheSettings.of(4 << 20))) {
      for (int i = 0; i < 40; i++) {
        put(cache, "v1/720p/" + i + ".ts", bodyOf("k" + i, 50_000));
      }
      assertThat(cache.stats().entries()).isEqualTo(40);
    }

    long smaller = 1 << 20;
    try (var cache = RocksSegmentCache.open(dir, SegmentCacheSettings.of(smaller))) {
      assertThat(cache.stats().bytesOnDisk()).isLessThanOrEqualTo(smaller);
      assertThat(cache.stats().entries()).isBetween(1L, 20L);
    }
    try (var cache = RocksSegmentCache.open(dir, SegmentCacheSettings.of(4 << 20))) {
      assertThat(cache.stats().entries()).isBetween(1L, 20L);
    }
  }

  @Test
  void get_corruptBody_isMissAndEntryIsDropped() throws Exception {
    String key = "v1/720p/7.ts";
    try (var cache = RocksSegmentCache.open(dir, NO_MEMORY_TIER)) {
      byte[] body = bodyOf(key, 40_000);
      put(cache, key, body);
      byte[] garbage = body.clone();
      garbage[12_345] ^= 0x40; // one flipped bit, same length
      cache.db().put(cache.bodiesHandle(), EntryCodec.dbKey(key, cache.generationOf(key)), garbage);

      assertThat(cache.get(key)).isEmpty();

      CacheStats stats = cache.stats();
      assertThat(stats.corruptions()).isEqualTo(1);
      assertThat(stats.misses()).isEqualTo(1);
      assertThat(stats.hits()).isZero();
      assertThat(stats.entries()).isZero();
      assertThat(stats.bytesOnDisk()).isZero();
      assertThat(cache.get(key)).isEmpty();
      // Stored again, it is served again.
      assertThat(put(cache, key, body)).isTrue();
      assertThat(cache.get(key).orElseThrow().toByteArray()).isEqualTo(body);
    }
  }

  @Test
  void get_truncatedBodyAfterRestart_isMissAndEntryIsGoneOnDisk() throws Exception {
    String key = "v1/720p/8.ts";
    long generation;
    try (var cache = RocksSegmentCache.open(dir, NO_MEMORY_TIER)) {
      put(cache, key, bodyOf(key, 40_000));
      generation = cache.generationOf(key);
      cache.db().put(cache.bodiesHandle(), EntryCodec.dbKey(key, generation), new byte[100]);
    }

    try (var cache = RocksSegmentCache.open(dir, NO_MEMORY_TIER)) {
      assertThat(cache.stats().entries()).isEqualTo(1);
      assertThat(cache.get(key)).isEmpty();
      assertThat(cache.stats().corruptions()).isEqualTo(1);
      assertThat(cache.db().get(cache.bodiesHandle(), EntryCodec.dbKey(key, generation))).isNull();
    }
    try (var cache = RocksSegmentCache.open(dir, NO_MEMORY_TIER)) {
      assertThat(cache.stats().entries()).isZero();
    }
  }

  /**
   * A Zipf(0.8) workload over a catalog about eight times the budget: the budget holds after every
   * put, and W-TinyLFU beats a byte-bounded LRU on the same request sequence.
   */
  @Test
  void zipfWorkload_largerThanBudget_budgetHoldsAndBeatsLru() throws IOException {
    long budget = 8 << 20;
    int objects = 2000;
    int requests = 20_000;
    Random random = new Random(42);
    int[] sizes = new int[objects];
    for (int i = 0; i < objects; i++) {
      sizes[i] = (4 << 10) + random.nextInt(60 << 10);
    }
    double[] cdf = zipfCdf(objects, 0.8);
    int[] trace = new int[requests];
    for (int i = 0; i < requests; i++) {
      trace[i] = sample(cdf, random.nextDouble());
    }

    long bytes = 0;
    long byteHits = 0;
    var settings = new SegmentCacheSettings(budget, 0, 0, 1 << 20);
    long started = System.nanoTime();
    try (var cache = RocksSegmentCache.open(dir, settings)) {
      for (int rank : trace) {
        // Ranks are spread over video ids so that popularity is not the key order.
        String key = "v" + (rank * 7919 % objects) + "/720p/0.ts";
        bytes += sizes[rank];
        var hit = cache.get(key);
        if (hit.isPresent()) {
          byteHits += sizes[rank];
          assertThat(hit.get().sizeBytes()).isEqualTo(sizes[rank]);
        } else {
          put(cache, key, bodyOf(key, sizes[rank]));
          assertThat(cache.stats().bytesOnDisk()).isLessThanOrEqualTo(budget);
        }
      }
      CacheStats stats = cache.stats();
      Lru lru = new Lru(budget);
      for (int rank : trace) {
        lru.request(rank, sizes[rank]);
      }
      log.info(
          "Zipf 0.8, {} objects, {} requests, budget {} B: W-TinyLFU hit ratio {} (byte {}),"
              + " LRU hit ratio {} (byte {}); evictions {}, rejections {}, accounted {} B,"
              + " RocksDB live SST + blob files {} B; {} ms",
          objects,
          requests,
          budget,
          String.format("%.3f", stats.hitRatio()),
          String.format("%.3f", (double) byteHits / bytes),
          String.format("%.3f", lru.hitRatio()),
          String.format("%.3f", lru.byteHitRatio()),
          stats.evictions(),
          stats.rejections(),
          stats.bytesOnDisk(),
          cache.physicalBytes(),
          (System.nanoTime() - started) / 1_000_000);
      assertThat(stats.hits() + stats.misses()).isEqualTo(requests);
      assertThat(stats.hitRatio()).isGreaterThan(lru.hitRatio());
    }
  }

  private static double[] zipfCdf(int n, double alpha) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1 / Math.pow(i + 1, alpha);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  private static int sample(double[] cdf, double u) {
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The baseline: LRU bounded by body bytes, admitting everything. */
  private static final class Lru {
    private final long budget;
    private final LinkedHashMap<Integer, Integer> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long used;
    private long hits;
    private long requests;
    private long byteHits;
    private long bytes;

    Lru(long budget) {
      this.budget = budget;
    }

    void request(int key, int size) {
      requests++;
      bytes += size;
      if (entries.get(key) != null) {
        hits++;
        byteHits += size;
        return;
      }
      entries.put(key, size);
      used += size;
      var it = entries.entrySet().iterator();
      while (used > budget) {
        Map.Entry<Integer, Integer> eldest = it.next();
        used -= eldest.getValue();
        it.remove();
      }
    }

    double hitRatio() {
      return (double) hits / requests;
    }

    double byteHitRatio() {
      return (double) byteHits / bytes;
    }
  }
}
