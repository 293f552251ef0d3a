package org.reelbox.benchmarks.cachepolicy;

import java.util.Arrays;

/**
 * SIEVE (Zhang, Yang, Yue, Vigfusson, Rashmi, NSDI 2024), bounded in bytes. One FIFO queue, a
 * visited bit per object and a hand. A hit only sets the bit. A miss inserts at the head; to make
 * room the hand walks from where it stopped towards the head (wrapping to the tail), clearing
 * visited bits, and evicts the first unvisited object it meets. Survivors stay where they are, so
 * new objects are evicted quickly unless they are asked for again.
 */
public final class Sieve implements Policy {
  private final long capacityBytes;
  private final int[] newer;
  private final int[] older;
  private final int[] size;
  private final boolean[] cached;
  private final boolean[] visited;
  private int head = -1; // newest
  private int tail = -1; // oldest
  private int hand = -1;
  private long used;

  public Sieve(long capacityBytes, int objects) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacityBytes must be positive: " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
    newer = new int[objects];
    older = new int[objects];
    size = new int[objects];
    cached = new boolean[objects];
    visited = new boolean[objects];
    Arrays.fill(newer, -1);
    Arrays.fill(older, -1);
  }

  @Override
  public boolean access(int object, int sizeBytes) {
    if (cached[object]) {
      visited[object] = true;
      return true;
    }
    if (sizeBytes > capacityBytes) {
      return false;
    }
    while (used + sizeBytes > capacityBytes) {
      evict();
    }
    cached[object] = true;
    visited[object] = false;
    size[object] = sizeBytes;
    used += sizeBytes;
    older[object] = head;
    newer[object] = -1;
    if (head >= 0) {
      newer[head] = object;
    }
    head = object;
    if (tail < 0) {
      tail = object;
    }
    return false;
  }

  private void evict() {
    int o = hand >= 0 ? hand : tail;
    while (visited[o]) {
      visited[o] = false;
      o = newer[o] >= 0 ? newer[o] : tail;
    }
    hand = newer[o]; // -1 at the head: the next eviction starts again from the tail
    int n = newer[o];
    int p = older[o];
    if (n >= 0) {
      older[n] = p;
    } else {
      head = p;
    }
    if (p >= 0) {
      newer[p] = n;
    } else {
      tail = n;
    }
    cached[o] = false;
    used -= size[o];
  }

  @Override
  public long usedBytes() {
    return used;
  }
}
