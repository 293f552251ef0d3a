package org.reelbox.benchmarks.cachepolicy;

import java.util.Arrays;

/**
 * Belady's rule for variable sizes with bypass: an offline but <em>feasible</em> policy (it never
 * holds more than the capacity), so its miss ratio is an upper bound on OPT's. On a miss it stores
 * the object unless the object is never asked for again, then evicts the cached objects whose next
 * request is furthest away until the cache fits (which may be the newcomer itself: a bypass). For
 * byte miss ratio this is the natural greedy: a byte kept until its next request saves one byte of
 * origin traffic whatever the object's size, so the bytes to drop first are those needed last. With
 * variable sizes it is not optimal (it ignores how objects pack), hence the lower bound beside it
 * ({@link PfooL}).
 */
public final class Belady {
  private final long capacityBytes;
  private final int[] heap; // max-heap of cached objects by next request
  private final int[] position; // object -> heap index, -1 when not cached
  private final int[] nextOf;
  private final int[] size;
  private int count;
  private long used;

  public Belady(long capacityBytes, int objects) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacityBytes must be positive: " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
    heap = new int[objects];
    position = new int[objects];
    nextOf = new int[objects];
    size = new int[objects];
    Arrays.fill(position, -1);
  }

  /**
   * One request.
   *
   * @param nextUse index of the next request for this object, {@link Trace#NEVER} if none
   * @return whether it was a hit
   */
  public boolean access(int object, int sizeBytes, int nextUse) {
    int p = position[object];
    if (p >= 0) {
      nextOf[object] = nextUse; // later than before: it can only move up
      siftUp(p);
      return true;
    }
    if (nextUse == Trace.NEVER || sizeBytes > capacityBytes) {
      return false;
    }
    nextOf[object] = nextUse;
    size[object] = sizeBytes;
    heap[count] = object;
    position[object] = count;
    count++;
    siftUp(count - 1);
    used += sizeBytes;
    while (used > capacityBytes) {
      int victim = heap[0];
      removeTop();
      used -= size[victim];
    }
    return false;
  }

  public long usedBytes() {
    return used;
  }

  private void removeTop() {
    int victim = heap[0];
    position[victim] = -1;
    count--;
    if (count > 0) {
      heap[0] = heap[count];
      position[heap[0]] = 0;
      siftDown(0);
    }
  }

  private void siftUp(int i) {
    int o = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      int po = heap[parent];
      if (nextOf[po] >= nextOf[o]) {
        break;
      }
      heap[i] = po;
      position[po] = i;
      i = parent;
    }
    heap[i] = o;
    position[o] = i;
  }

  private void siftDown(int i) {
    int o = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= count) {
        break;
      }
      if (child + 1 < count && nextOf[heap[child + 1]] > nextOf[heap[child]]) {
        child++;
      }
      int co = heap[child];
      if (nextOf[co] <= nextOf[o]) {
        break;
      }
      heap[i] = co;
      position[co] = i;
      i = child;
    }
    heap[i] = o;
    position[o] = i;
  }
}
