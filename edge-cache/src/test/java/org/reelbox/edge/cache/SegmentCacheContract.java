package org.reelbox.edge.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link SegmentCache} must do. After each test the budget invariant is checked once
 * more.
 */
public abstract class SegmentCacheContract {
  protected static final ObjectMetadata TS =
      new ObjectMetadata("video/mp2t", "\"e1\"", Instant.parse("2026-01-02T03:04:05Z"));

  @TempDir protected Path dir;
  private final List<SegmentCache> opened = new ArrayList<>();
  private final List<SegmentCacheSettings> settingsOf = new ArrayList<>();

  protected abstract SegmentCache open(Path dir, SegmentCacheSettings settings) throws IOException;

  protected final SegmentCache openTracked(SegmentCacheSettings settings) throws IOException {
    SegmentCache cache = open(dir, settings);
    opened.add(cache);
    settingsOf.add(settings);
    return cache;
  }

  @AfterEach
  void budgetHeldAndClose() {
    for (int i = 0; i < opened.size(); i++) {
      SegmentCache cache = opened.get(i);
      try {
        assertThat(cache.stats().bytesOnDisk())
            .isLessThanOrEqualTo(settingsOf.get(i).diskBudgetBytes());
      } catch (IllegalStateException closed) {
        // closed by the test
      }
      try {
        cache.close();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Deterministic content for a key. */
  protected static byte[] bodyOf(String key, int size) {
    byte[] body = new byte[size];
    new Random(key.hashCode()).nextBytes(body);
    return body;
  }

  protected static boolean put(SegmentCache cache, String key, byte[] body) throws IOException {
    return cache.put(key, TS, new ByteArrayInputStream(body), body.length);
  }

  @Test
  void put_thenGet_returnsBodyAndMetadata() throws IOException {
    SegmentCache cache = openTracked(SegmentCacheSettings.of(4 << 20));
    byte[] body = bodyOf("v1/720p/0.ts", 100_000);

    assertThat(put(cache, "v1/720p/0.ts", body)).isTrue();
    CachedObject object = cache.get("v1/720p/0.ts").orElseThrow();

    assertThat(object.toByteArray()).isEqualTo(body);
    assertThat(object.openStream().readAllBytes()).isEqualTo(body);
    assertThat(object.body().remaining()).isEqualTo(body.length);
    assertThat(object.sizeBytes()).isEqualTo(body.length);
    assertThat(object.metadata()).isEqualTo(TS);
    assertThat(cache.get("v1/720p/1.ts")).isEmpty();
    CacheStats stats = cache.stats();
    assertThat(stats.hits()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(1);
    assertThat(stats.entries()).isEqualTo(1);
    assertThat(stats.bytesOnDisk()).isGreaterThan(body.length);
  }

  @Test
  void contains_seesStoredKeys_withoutCountingAHitOrMiss() throws IOException {
    SegmentCache cache = openTracked(SegmentCacheSettings.of(4 << 20));
    assertThat(put(cache, "v1/720p/0.ts", bodyOf("v1/720p/0.ts", 1000))).isTrue();
    CacheStats before = cache.stats();
    assertThat(cache.contains("v1/720p/0.ts")).isTrue();
    assertThat(cache.contains("v1/720p/1.ts")).isFalse();
    assertThat(cache.stats().hits()).isEqualTo(before.hits());
    assertThat(cache.stats().misses()).isEqualTo(before.misses());
    cache.invalidate("v1/720p/0.ts");
    assertThat(cache.contains("v1/720p/0.ts")).isFalse();
  }

  @Test
  void put_smallAndEmptyBodies_roundTrip() throws IOException {
    SegmentCache cache = openTracked(SegmentCacheSettings.of(4 << 20));
    var playlist = new ObjectMetadata("application/vnd.apple.mpegurl", null, null);
    byte[] text = "#EXTM3U\n#EXT-X-VERSION:3\n".getBytes();

    assertThat(cache.put("v1/master.m3u8", playlist, new ByteArrayInputStream(text), text.length))
        .isTrue();
    assertThat(cache.put("v1/empty", playlist, InputStream.nullInputStream(), 0)).isTrue();

    assertThat(cache.get("v1/master.m3u8").orElseThrow().toByteArray()).isEqualTo(text);
    assertThat(cache.get("v1/master.m3u8").orElseThrow().metadata()).isEqualTo(playlist);
    assertThat(cache.get("v1/empty").orElseThrow().sizeBytes()).isZero();
  }

  @Test
  void put_bodyThrowsMidway_storesNothing() throws IOException {
    SegmentCache cache = openTracked(SegmentCacheSettings.of(4 << 20));
    InputStream failing =
        new InputStream() {
          int served;

          @Override
          public int read() throws IOException {
            if (served++ >= 50_000) {
              throw new IOException("origin connection reset");
            }
            return 7;
          }
        };

    assertThatThrownBy(() -> cache.put("v1/720p/0.ts", TS, failing, 100_000))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("reset");

    assertThat(cache.get("v1/720p/0.ts")).isEmpty();
    assertThat(cache.stats().entries()).isZero();
    assertThat(cache.stats().bytesOnDisk()).isZero();
  }

  @Test
  void put_bodyShorterOrLongerThanSize_storesNothing() throws IOException {
    SegmentCache cache = openTracked(SegmentCacheSettings.of(4 << 20));
    byte[] body = bodyOf("k", 10_000);

    assertThatThrownBy(() -> cache.put("v1/a.ts", TS, new ByteArrayInputStream(body), 10_001))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> cache.put("v1/b.ts", TS, new ByteArrayInputStream(body), 9_999))
        .isInstanceOf(IOException.class);

    assertThat(cache.get("v1/a.ts")).isEmpty();
    assertThat(cache.get("v1/b.ts")).isEmpty();
    assertThat(cache.stats().bytesOnDisk()).isZero();
  }

  @Test
  void put_largerThanMaxObject_isDeclined() throws IOException {
    SegmentCache cache =
        openTracked(new SegmentCacheSettings(1 << 20, 0, 0, /* maxObjectBytes= */ 1000));

    assertThat(put(cache, "v1/big.ts", bodyOf("big", 1001))).isFalse();

    assertThat(cache.get("v1/big.ts")).isEmpty();
    assertThat(cache.stats().rejections()).isEqualTo(1);
  }

  @Test
  void put_sameKeyTwice_keepsFirstCopy() throws IOException {
    SegmentCache cache = openTracked(SegmentCacheSettings.of(4 << 20));
    byte[] first = bodyOf("first", 5000);

    put(cache, "v1/720p/0.ts", first);
    assertThat(put(cache, "v1/720p/0.ts", bodyOf("second", 6000))).isTrue();

    assertThat(cache.get("v1/720p/0.ts").orElseThrow().toByteArray()).isEqualTo(first);
    assertThat(cache.stats().entries()).isEqualTo(1);
  }

  @Test
  void invalidate_removesEntryAndItsBytes() throws IOException {
    SegmentCache cache = openTracked(SegmentCacheSettings.of(4 << 20));
    put(cache, "v1/720p/0.ts", bodyOf("a", 20_000));

    cache.invalidate("v1/720p/0.ts");

    assertThat(cache.get("v1/720p/0.ts")).isEmpty();
    assertThat(cache.stats().entries()).isZero();
    assertThat(cache.stats().bytesOnDisk()).isZero();
    assertThat(put(cache, "v1/720p/0.ts", bodyOf("b", 30_000))).isTrue();
    assertThat(cache.get("v1/720p/0.ts").orElseThrow().toByteArray())
        .isEqualTo(bodyOf("b", 30_000));
  }

  @Test
  void invalidateVideo_removesThatVideoOnly() throws IOException {
    SegmentCache cache = openTracked(SegmentCacheSettings.of(8 << 20));
    List<String> v1 =
        List.of("v1/master.m3u8", "v1/720p/index.m3u8", "v1/720p/0.ts", "v1/360p/3.ts");
    List<String> others = List.of("v10/720p/0.ts", "v2/720p/0.ts", "v2/master.m3u8");
    for (String key : v1) {
      put(cache, key, bodyOf(key, 8000));
    }
    for (String key : others) {
      put(cache, key, bodyOf(key, 8000));
    }

    assertThat(cache.invalidateVideo("v1")).isEqualTo(v1.size());

    for (String key : v1) {
      assertThat(cache.get(key)).as(key).isEmpty();
    }
    for (String key : others) {
      assertThat(cache.get(key)).as(key).isPresent();
    }
    assertThat(cache.stats().entries()).isEqualTo(others.size());
    assertThatThrownBy(() -> cache.invalidateVideo("v1/720p"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentGetsAndPuts_sameKeys_budgetHoldsAndBodiesAreIntact() throws Exception {
    long budget = 1 << 20;
    SegmentCache cache =
        openTracked(new SegmentCacheSettings(budget, 128 << 10, 16 << 10, 1 << 20));
    int threads = 4;
    int keys = 150;
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong maxSeen = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      Future<?> watcher =
          pool.submit(
              () -> {
                while (!done.get()) {
                  maxSeen.accumulateAndGet(cache.stats().bytesOnDisk(), Math::max);
                  Thread.yield();
                }
              });
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        workers.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  for (int i = 0; i < 2500; i++) {
                    String key =
                        "v" + random.nextInt(5) + "/720p/" + random.nextInt(keys / 5) + ".ts";
                    int size = 4096 + Math.floorMod(key.hashCode(), 60 << 10);
                    if (random.nextInt(50) == 0) {
                      cache.invalidate(key);
                      continue;
                    }
                    var hit = cache.get(key);
                    if (hit.isPresent()) {
                      assertThat(Arrays.equals(hit.get().toByteArray(), bodyOf(key, size)))
                          .as(key)
                          .isTrue();
                    } else {
                      put(cache, key, bodyOf(key, size));
                    }
                    assertThat(cache.stats().bytesOnDisk()).isLessThanOrEqualTo(budget);
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
      done.set(true);
      watcher.get(10, TimeUnit.SECONDS);
    } finally {
      done.set(true);
      pool.shutdownNow();
    }

    assertThat(maxSeen.get()).isLessThanOrEqualTo(budget);
    CacheStats stats = cache.stats();
    assertThat(stats.hits()).isPositive();
    assertThat(stats.bytesOnDisk()).isLessThanOrEqualTo(budget);
    assertThat(stats.corruptions()).isZero();
  }
}
