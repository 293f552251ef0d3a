package org.reelbox.edge.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachePolicyTest {
  private static Cache<String, Integer> index(long budget, List<String> removed) {
    return CachePolicy.newIndex(
        budget, (String key, Integer size) -> size, (k, v, cause) -> removed.add(k + ":" + cause));
  }

  /** Offers a missed key the way RocksSegmentCache does. */
  private static boolean request(Cache<String, Integer> index, String key, int size) {
    if (index.getIfPresent(key) != null) {
      return true;
    }
    index.asMap().putIfAbsent(key, size);
    index.cleanUp();
    return false;
  }

  @Test
  void newIndex_badArguments_rejected() {
    assertThatThrownBy(() -> index(0, new ArrayList<>()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> CachePolicy.<String, Integer>newIndex(10, null, (k, v, c) -> {}))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void newIndex_weightsOverBudget_evictedAtCleanUpOnTheCallingThread() {
    var removed = new ArrayList<String>();
    var index = index(1_000, removed);
    for (int i = 0; i < 50; i++) {
      request(index, "v/720p/" + i + ".ts", 100);
      // Maintenance ran on this thread: the weight is back under the budget after every offer.
      assertThat(index.policy().eviction().orElseThrow().weightedSize().orElseThrow())
          .isLessThanOrEqualTo(1_000);
    }
    assertThat(removed).isNotEmpty().allMatch(r -> r.endsWith(":" + RemovalCause.SIZE));
  }

  @Test
  void newIndex_scanOfOneHitWonders_keepsTheFrequentKeys() {
    var index = index(10_000, new ArrayList<>());
    for (int round = 0; round < 20; round++) {
      for (int k = 0; k < 5; k++) {
        request(index, "hot/" + k, 1_000);
      }
    }
    for (int i = 0; i < 2_000; i++) {
      request(index, "cold/" + i, 1_000);
    }
    int hotHits = 0;
    for (int k = 0; k < 5; k++) {
      hotHits += request(index, "hot/" + k, 1_000) ? 1 : 0;
    }
    // W-TinyLFU: the cold keys never beat the hot ones' frequency; an LRU would have none left.
    assertThat(hotHits).isEqualTo(5);
  }
}
