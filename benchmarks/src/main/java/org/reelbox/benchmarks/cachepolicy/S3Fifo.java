package org.reelbox.benchmarks.cachepolicy;

/**
 * S3-FIFO (Yang, Zhang, Qiu, Yue, Rashmi, SOSP 2023), bounded in bytes, as in the paper and
 * libCacheSim's defaults: a small FIFO S of 10% of the bytes, a main FIFO M, and a ghost FIFO G of
 * keys only, bounded to 90% of the bytes. A hit increments a counter capped at 3. A miss goes to M
 * if its key is in G, else to S. Evicting from S (while S holds more than its 10%): the tail moves
 * to M if it was hit since insertion (counter ≥ 1, reset on the move), else it is evicted and its
 * key enters G. Evicting from M: a tail with a counter above 0 is reinserted with the counter
 * decremented (2-bit CLOCK), else evicted.
 */
public final class S3Fifo implements Policy {
  private static final double SMALL_SHARE = 0.10;
  private static final double GHOST_SHARE = 0.90;
  private static final byte IN_NONE = 0;
  private static final byte IN_SMALL = 1;
  private static final byte IN_MAIN = 2;

  private final long capacityBytes;
  private final long smallBytesTarget;
  private final long ghostBytesLimit;
  private final byte[] where;
  private final byte[] freq;
  private final int[] size;
  private final int[] ghostSeq; // the ghost entry's sequence number, 0 when not in the ghost
  private final IntQueue small = new IntQueue();
  private final IntQueue main = new IntQueue();
  private final IntQueue ghostObjects = new IntQueue();
  private final IntQueue ghostSeqs = new IntQueue();
  private long used;
  private long smallBytes;
  private long ghostBytes;
  private int seq;

  public S3Fifo(long capacityBytes, int objects) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacityBytes must be positive: " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
    this.smallBytesTarget = (long) (capacityBytes * SMALL_SHARE);
    this.ghostBytesLimit = (long) (capacityBytes * GHOST_SHARE);
    where = new byte[objects];
    freq = new byte[objects];
    size = new int[objects];
    ghostSeq = new int[objects];
  }

  @Override
  public boolean access(int object, int sizeBytes) {
    if (where[object] != IN_NONE) {
      if (freq[object] < 3) {
        freq[object]++;
      }
      return true;
    }
    if (sizeBytes > capacityBytes) {
      return false;
    }
    size[object] = sizeBytes;
    while (used + sizeBytes > capacityBytes) {
      evict();
    }
    freq[object] = 0;
    used += sizeBytes;
    if (ghostSeq[object] != 0) {
      ghostSeq[object] = 0;
      ghostBytes -= sizeBytes;
      where[object] = IN_MAIN;
      main.add(object);
    } else {
      where[object] = IN_SMALL;
      small.add(object);
      smallBytes += sizeBytes;
    }
    return false;
  }

  private void evict() {
    if (smallBytes > smallBytesTarget || main.isEmpty()) {
      evictSmall();
    } else {
      evictMain();
    }
  }

  private void evictSmall() {
    while (!small.isEmpty()) {
      int t = small.poll();
      smallBytes -= size[t];
      if (freq[t] >= 1) {
        freq[t] = 0;
        where[t] = IN_MAIN;
        main.add(t);
      } else {
        where[t] = IN_NONE;
        used -= size[t];
        remember(t);
        return;
      }
    }
    evictMain();
  }

  private void evictMain() {
    while (true) {
      int t = main.poll();
      if (freq[t] > 0) {
        freq[t]--;
        main.add(t);
      } else {
        where[t] = IN_NONE;
        used -= size[t];
        return;
      }
    }
  }

  private void remember(int object) {
    seq = seq == Integer.MAX_VALUE ? 1 : seq + 1;
    ghostSeq[object] = seq;
    ghostObjects.add(object);
    ghostSeqs.add(seq);
    ghostBytes += size[object];
    while (ghostBytes > ghostBytesLimit && !ghostObjects.isEmpty()) {
      int o = ghostObjects.poll();
      int s = ghostSeqs.poll();
      if (ghostSeq[o] == s) { // still this entry, not readmitted (and not a newer entry)
        ghostSeq[o] = 0;
        ghostBytes -= size[o];
      }
    }
  }

  @Override
  public long usedBytes() {
    return used;
  }

  /** A growable ring buffer of ints. */
  static final class IntQueue {
    private int[] items = new int[1024];
    private int head;
    private int size;

    void add(int value) {
      if (size == items.length) {
        int[] grown = new int[items.length * 2];
        for (int i = 0; i < size; i++) {
          grown[i] = items[(head + i) % items.length];
        }
        items = grown;
        head = 0;
      }
      items[(head + size) % items.length] = value;
      size++;
    }

    int poll() {
      int value = items[head];
      head = (head + 1) % items.length;
      size--;
      return value;
    }

    boolean isEmpty() {
      return size == 0;
    }
  }
}
