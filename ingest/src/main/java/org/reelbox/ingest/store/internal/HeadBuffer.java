package org.reelbox.ingest.store.internal;

import java.util.Arrays;
import org.reelbox.ingest.store.UploadInfo;

/** Keeps {@link UploadInfo#head()} up to date while a store appends bytes. Not thread-safe. */
final class HeadBuffer {
  private byte[] head;

  HeadBuffer(byte[] head) {
    this.head = head;
  }

  /** Notes that {@code n} bytes of {@code b} were stored at upload position {@code position}. */
  void accept(long position, byte[] b, int off, int n) {
    if (position != head.length || head.length >= UploadInfo.HEAD_BYTES || n <= 0) {
      return;
    }
    int take = Math.min(n, UploadInfo.HEAD_BYTES - head.length);
    byte[] grown = Arrays.copyOf(head, head.length + take);
    System.arraycopy(b, off, grown, head.length, take);
    head = grown;
  }

  /**
   * Notes that the remaining bytes of {@code b} were stored at {@code position}; keeps its
   * position.
   */
  void accept(long position, java.nio.ByteBuffer b) {
    if (position != head.length || head.length >= UploadInfo.HEAD_BYTES || !b.hasRemaining()) {
      return;
    }
    int take = Math.min(b.remaining(), UploadInfo.HEAD_BYTES - head.length);
    byte[] grown = Arrays.copyOf(head, head.length + take);
    b.get(b.position(), grown, head.length, take);
    head = grown;
  }

  byte[] bytes() {
    return head;
  }
}
