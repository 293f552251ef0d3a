package org.reelbox.benchmarks.cachepolicy;

import static java.util.Objects.requireNonNull;

/**
 * A replayable request sequence: object ids dense from 0 (in order of first request) and each
 * object's size. Requests before {@link #countFrom()} warm the caches up and are not counted.
 */
public final class Trace {
  /** {@link #nextUse()} value of a request whose object is never asked for again. */
  public static final int NEVER = Integer.MAX_VALUE;

  private final int[] requests;
  private final int[] sizes;
  private final int countFrom;
  private final long catalogBytes;
  private final long catalogObjects;
  private final int[] videoOf;
  private final int[] segmentOf;
  private final byte[] renditionOf;
  private int[] nextUse;

  /**
   * @param requests object id of each request, ids in {@code 0..sizes.length-1}
   * @param sizes bytes of each object
   * @param countFrom index of the first counted request
   * @param catalogBytes bytes of the whole catalog (every segment of every rendition), requested or
   *     not; cache sizes are fractions of it
   * @param catalogObjects objects in the whole catalog
   */
  public Trace(int[] requests, int[] sizes, int countFrom, long catalogBytes, long catalogObjects) {
    this(requests, sizes, countFrom, catalogBytes, catalogObjects, null, null, null);
  }

  /**
   * A trace that also knows what each object is (what the edge reads from the key's path): the
   * video, the rendition and the segment number.
   */
  public Trace(
      int[] requests,
      int[] sizes,
      int countFrom,
      long catalogBytes,
      long catalogObjects,
      int[] videoOf,
      int[] segmentOf,
      byte[] renditionOf) {
    this.requests = requireNonNull(requests, "requests");
    this.sizes = requireNonNull(sizes, "sizes");
    if (countFrom < 0 || countFrom > requests.length) {
      throw new IllegalArgumentException("countFrom out of range: " + countFrom);
    }
    for (int id : requests) {
      if (id < 0 || id >= sizes.length) {
        throw new IllegalArgumentException("object id out of range: " + id);
      }
    }
    for (int size : sizes) {
      if (size <= 0) {
        throw new IllegalArgumentException("object sizes must be positive: " + size);
      }
    }
    if (videoOf != null
        && (videoOf.length != sizes.length
            || segmentOf.length != sizes.length
            || renditionOf.length != sizes.length)) {
      throw new IllegalArgumentException("object metadata must cover every object");
    }
    this.videoOf = videoOf;
    this.segmentOf = segmentOf;
    this.renditionOf = renditionOf;
    this.countFrom = countFrom;
    this.catalogBytes = catalogBytes;
    this.catalogObjects = catalogObjects;
  }

  /** A trace whose catalog is exactly the objects it requests, counted from the first request. */
  public static Trace of(int[] requests, int[] sizes) {
    long bytes = 0;
    for (int size : sizes) {
      bytes += size;
    }
    return new Trace(requests, sizes, 0, bytes, sizes.length);
  }

  public int length() {
    return requests.length;
  }

  public int objectAt(int index) {
    return requests[index];
  }

  public int sizeOf(int object) {
    return sizes[object];
  }

  /** Whether {@link #videoOf}, {@link #segmentOf} and {@link #renditionOf} are known. */
  public boolean hasSegmentInfo() {
    return videoOf != null;
  }

  public int videoOf(int object) {
    return videoOf[object];
  }

  public int segmentOf(int object) {
    return segmentOf[object];
  }

  public int renditionOf(int object) {
    return renditionOf[object];
  }

  public int objects() {
    return sizes.length;
  }

  public int countFrom() {
    return countFrom;
  }

  public long catalogBytes() {
    return catalogBytes;
  }

  public long catalogObjects() {
    return catalogObjects;
  }

  /** Sum of the sizes of the counted requests. */
  public long countedBytes() {
    long bytes = 0;
    for (int i = countFrom; i < requests.length; i++) {
      bytes += sizes[requests[i]];
    }
    return bytes;
  }

  /** Bytes of the distinct objects the trace requests (its footprint). */
  public long footprintBytes() {
    long bytes = 0;
    for (int size : sizes) {
      bytes += size;
    }
    return bytes;
  }

  /**
   * For each request, the index of the next request for the same object, or {@link #NEVER}.
   * Computed once and shared (read-only) by the offline policies.
   */
  public synchronized int[] nextUse() {
    if (nextUse == null) {
      int[] next = new int[requests.length];
      int[] seen = new int[sizes.length];
      java.util.Arrays.fill(seen, NEVER);
      for (int i = requests.length - 1; i >= 0; i--) {
        next[i] = seen[requests[i]];
        seen[requests[i]] = i;
      }
      nextUse = next;
    }
    return nextUse;
  }
}
