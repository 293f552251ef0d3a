package org.reelbox.benchmarks.cachepolicy;

import java.util.Arrays;

/**
 * Least recently used, bounded in bytes; every miss is admitted (objects larger than the cache are
 * not).
 */
public final class Lru implements Policy {
  private final long capacityBytes;
  private final int[] newer;
  private final int[] older;
  private final int[] size;
  private final boolean[] cached;
  private int head = -1; // most recent
  private int tail = -1; // least recent
  private long used;

  public Lru(long capacityBytes, int objects) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacityBytes must be positive: " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
    newer = new int[objects];
    older = new int[objects];
    size = new int[objects];
    cached = new boolean[objects];
    Arrays.fill(newer, -1);
    Arrays.fill(older, -1);
  }

  @Override
  public boolean access(int object, int sizeBytes) {
    if (touch(object)) {
      return true;
    }
    admit(object, sizeBytes);
    return false;
  }

  /** A hit makes the object the most recent; false when it is not cached. */
  boolean touch(int object) {
    if (!cached[object]) {
      return false;
    }
    unlink(object);
    pushHead(object);
    return true;
  }

  /**
   * Inserts a missed object as the most recent one, evicting from the tail until it fits; an object
   * larger than the whole cache is not stored.
   */
  void admit(int object, int sizeBytes) {
    if (sizeBytes > capacityBytes) {
      return;
    }
    while (used + sizeBytes > capacityBytes) {
      evict(tail);
    }
    cached[object] = true;
    size[object] = sizeBytes;
    used += sizeBytes;
    pushHead(object);
  }

  private void evict(int object) {
    unlink(object);
    cached[object] = false;
    used -= size[object];
  }

  private void pushHead(int object) {
    older[object] = head;
    newer[object] = -1;
    if (head >= 0) {
      newer[head] = object;
    }
    head = object;
    if (tail < 0) {
      tail = object;
    }
  }

  private void unlink(int object) {
    int n = newer[object];
    int o = older[object];
    if (n >= 0) {
      older[n] = o;
    } else {
      head = o;
    }
    if (o >= 0) {
      newer[o] = n;
    } else {
      tail = n;
    }
    newer[object] = -1;
    older[object] = -1;
  }

  @Override
  public long usedBytes() {
    return used;
  }
}
