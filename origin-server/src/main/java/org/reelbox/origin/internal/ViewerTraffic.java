package org.reelbox.origin.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the origin served straight to viewers, since it started: the egress that a rented CDN would
 * otherwise have carried, and that the edge boxes exist to save. Requests from edge boxes (their
 * fills, recognised by their minted tokens) are not counted: those bytes reach viewers from the
 * box, which reports them itself. Thread-safe; read by {@link TrafficReporter}.
 */
public final class ViewerTraffic {
  private final LongAdder bytes = new LongAdder();
  private final LongAdder requests = new LongAdder();

  void countRequest() {
    requests.increment();
  }

  void countBytes(long n) {
    if (n > 0) {
      bytes.add(n);
    }
  }

  /** Body bytes sent to viewers. */
  public long bytesSent() {
    return bytes.sum();
  }

  /** Requests from viewers answered (any status). */
  public long requests() {
    return requests.sum();
  }
}
