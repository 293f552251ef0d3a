package org.reelbox.edge.cache.internal;

import org.reelbox.edge.cache.ObjectMetadata;

/**
 * One key's entry in the policy index. It is created {@code PENDING}, becomes {@code WRITTEN} once
 * its body is in RocksDB, and {@code REMOVED} when the index lets go of it. Both transitions happen
 * while holding the entry's monitor, so the writer and the removal listener agree on whether the
 * RocksDB records exist and who deletes them.
 */
final class IndexEntry {
  final long generation;
  final long sizeBytes;
  final int crc32c;
  final ObjectMetadata metadata;
  final byte[] metaValue;
  final int weight;

  // Guarded by this; volatile so that readers can test it without the monitor.
  private volatile boolean written;
  private boolean removed;

  IndexEntry(
      long generation,
      long sizeBytes,
      int crc32c,
      ObjectMetadata metadata,
      byte[] metaValue,
      long weight) {
    this.generation = generation;
    this.sizeBytes = sizeBytes;
    this.crc32c = crc32c;
    this.metadata = metadata;
    this.metaValue = metaValue;
    this.weight = Math.toIntExact(weight);
  }

  boolean isWritten() {
    return written;
  }

  /** Called with the monitor held. */
  boolean isRemoved() {
    return removed;
  }

  /** Called with the monitor held. */
  void markWritten() {
    written = true;
  }

  /**
   * Called with the monitor held.
   *
   * @return whether the entry was written, i.e. whether its records must now be deleted
   */
  boolean markRemoved() {
    removed = true;
    return written;
  }
}
