package org.reelbox.benchmarks.cachepolicy;

/**
 * LRU that stores an object on its second request, like nginx's {@code proxy_cache_min_uses 2}: the
 * first miss only records the key in a bounded history (nginx's keys zone), a miss on a key still
 * in the history is stored. The history is a FIFO of {@code historyKeys} keys; a key leaves it when
 * it is stored or when it is the oldest and a new key needs the room.
 */
public final class LruSecondHit implements Policy {
  private final Lru lru;
  private final int[] ring; // object ids, -1 for a free or vacated slot
  private final int[] slotOf; // object -> its ring slot + 1, 0 when it is not in the history
  private int next;

  public LruSecondHit(long capacityBytes, int objects, int historyKeys) {
    if (historyKeys < 1) {
      throw new IllegalArgumentException("historyKeys must be >= 1: " + historyKeys);
    }
    lru = new Lru(capacityBytes, objects);
    ring = new int[historyKeys];
    java.util.Arrays.fill(ring, -1);
    slotOf = new int[objects];
  }

  @Override
  public boolean access(int object, int sizeBytes) {
    if (lru.touch(object)) {
      return true;
    }
    int slot = slotOf[object] - 1;
    if (slot >= 0) {
      ring[slot] = -1;
      slotOf[object] = 0;
      lru.admit(object, sizeBytes);
    } else {
      int oldest = ring[next];
      if (oldest >= 0) {
        slotOf[oldest] = 0;
      }
      ring[next] = object;
      slotOf[object] = next + 1;
      next = (next + 1) % ring.length;
    }
    return false;
  }

  @Override
  public long usedBytes() {
    return lru.usedBytes();
  }
}
