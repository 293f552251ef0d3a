package org.reelbox.benchmarks.cachepolicy;

import java.util.Arrays;

/**
 * An online policy with an unfair advantage: it knows each object's expected request rate from the
 * trace model ({@link RateOracle}: the video's current attention × the chance that a session
 * reaches the segment × the rendition's share), but not the actual future requests. For byte miss
 * ratio a cached byte saves traffic in proportion to its object's rate whatever the size, so it
 * keeps the objects of highest rate: a miss is stored only if it outranks the lowest-rate objects
 * it would displace. Priorities are refreshed on each hit and all of them every {@code refresh}
 * requests (newness fades). It says how far a frequency-based policy could get on this trace with
 * perfect popularity estimates, which is what separates the online policies from the offline band.
 */
public final class OracleRate {
  private final long capacityBytes;
  private final RateOracle oracle;
  private final int[] heap; // min-heap of cached objects by priority
  private final int[] position;
  private final double[] priority;
  private final int[] size;
  private final int refresh;
  private int count;
  private long used;

  public OracleRate(long capacityBytes, int objects, RateOracle oracle, int refresh) {
    this.capacityBytes = capacityBytes;
    this.oracle = oracle;
    this.refresh = refresh;
    heap = new int[objects];
    position = new int[objects];
    priority = new double[objects];
    size = new int[objects];
    Arrays.fill(position, -1);
  }

  public boolean access(int object, int sizeBytes, int index) {
    if (index % refresh == 0) {
      for (int i = 0; i < count; i++) {
        priority[heap[i]] = oracle.rate(heap[i], index);
      }
      for (int i = count / 2 - 1; i >= 0; i--) {
        siftDown(i);
      }
    }
    double p = oracle.rate(object, index);
    int at = position[object];
    if (at >= 0) {
      priority[object] = p;
      siftDown(at);
      siftUp(position[object]);
      return true;
    }
    if (sizeBytes > capacityBytes) {
      return false;
    }
    // Displace only objects of lower rate; otherwise do not store the newcomer.
    long freed = capacityBytes - used;
    if (freed < sizeBytes) {
      // Check before evicting: would the lowest-rate objects make enough room?
      // (The heap is not sorted, so pop and push back the ones we keep.)
      int[] popped = new int[16];
      int n = 0;
      while (freed < sizeBytes && count > 0 && priority[heap[0]] < p) {
        int victim = heap[0];
        removeTop();
        if (n == popped.length) {
          popped = Arrays.copyOf(popped, n * 2);
        }
        popped[n++] = victim;
        freed += size[victim];
      }
      if (freed < sizeBytes) {
        for (int i = 0; i < n; i++) {
          insert(popped[i]);
        }
        return false;
      }
      for (int i = 0; i < n; i++) {
        used -= size[popped[i]];
      }
    }
    priority[object] = p;
    size[object] = sizeBytes;
    insert(object);
    used += sizeBytes;
    return false;
  }

  public long usedBytes() {
    return used;
  }

  private void insert(int object) {
    heap[count] = object;
    position[object] = count;
    count++;
    siftUp(count - 1);
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
      if (priority[po] <= priority[o]) {
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
      if (child + 1 < count && priority[heap[child + 1]] < priority[heap[child]]) {
        child++;
      }
      int co = heap[child];
      if (priority[co] >= priority[o]) {
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
