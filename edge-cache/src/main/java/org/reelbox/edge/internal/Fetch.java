package org.reelbox.edge.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.edge.cache.ObjectMetadata;

/**
 * One origin fetch of one object, shared by every request that waits for it (request coalescing).
 *
 * <p>The origin's answer is written into one direct buffer of exactly {@code Content-Length} bytes
 * allocated when the headers arrive; {@code received} says how much of it is filled. A waiting
 * request takes {@link #retainedSlice} views of the filled part as it grows and writes them to its
 * socket: every client shares the same memory, nothing is copied per client, and a slow client only
 * holds references. When the fetch is done the same buffer becomes the memory tier's copy and the
 * source of the disk write.
 *
 * <p>Lifetime: the fetch starts with one holder (the {@link Fetcher}, which releases it after
 * storing); each waiting request {@link #attach}es and {@link #detach}es. The buffer is released
 * when the fetch is over and no holder is left, so a slice is never taken from freed memory.
 *
 * <p>Thread-safety: the producer (the HTTP client's threads) and the waiters (event loops) meet
 * under this object's monitor; listeners are called outside it.
 */
final class Fetch {
  /** What the origin's response headers said. */
  record Head(long contentLength, ObjectMetadata metadata, String cacheControl) {}

  /** Told about every change (headers, bytes, end, failure); called on any thread. */
  interface Listener {
    void onChange();
  }

  /** A consistent view of the fetch at one moment. */
  record Snapshot(Head head, long received, boolean done, ApiException failure) {}

  private final String key;
  private final boolean store;
  private final List<Listener> listeners = new ArrayList<>();
  private final CompletableFuture<Boolean> finished = new CompletableFuture<>();

  private Head head;
  private ByteBuf body;
  private long received;
  private boolean done;
  private ApiException failure;
  private boolean purged;
  private int holders = 1;
  private boolean released;
  private volatile long lastProgressNanos = System.nanoTime();

  /**
   * @param key the cache key
   * @param store whether the result is stored (false for keys, which are never cached)
   */
  Fetch(String key, boolean store) {
    this.key = requireNonNull(key, "key");
    this.store = store;
  }

  String key() {
    return key;
  }

  boolean store() {
    return store;
  }

  /** Completes with true when the whole body arrived, false when the fetch failed. */
  CompletableFuture<Boolean> finished() {
    return finished;
  }

  long lastProgressNanos() {
    return lastProgressNanos;
  }

  // ---- producer side ----

  /** The origin answered 200 with a body of {@code head.contentLength()} bytes. */
  void onHead(Head head) {
    List<Listener> toTell;
    synchronized (this) {
      if (isTerminal() || this.head != null) {
        return;
      }
      this.head = requireNonNull(head, "head");
      int size = (int) head.contentLength();
      this.body = ByteBufAllocator.DEFAULT.directBuffer(Math.max(size, 1), Math.max(size, 1));
      lastProgressNanos = System.nanoTime();
      if (size == 0) {
        done = true;
      }
      toTell = List.copyOf(listeners);
    }
    tell(toTell);
    if (head.contentLength() == 0) {
      finished.complete(true);
    }
  }

  /**
   * Appends body bytes. Returns false when the fetch no longer wants bytes (failed, purged, or the
   * origin sent more than it announced), so the producer stops reading.
   */
  boolean onData(ByteBuffer data) {
    List<Listener> toTell;
    synchronized (this) {
      if (isTerminal() || head == null) {
        return false;
      }
      int n = data.remaining();
      if (received + n > head.contentLength()) {
        failLocked(
            new ApiException(ErrorCode.BAD_GATEWAY, "the origin sent more than Content-Length"));
        toTell = List.copyOf(listeners);
      } else {
        body.setBytes((int) received, data);
        received += n;
        lastProgressNanos = System.nanoTime();
        toTell = List.copyOf(listeners);
        toTell = n == 0 ? List.of() : toTell;
      }
    }
    tell(toTell);
    if (failureNow()) {
      finished.complete(false);
      return false;
    }
    return true;
  }

  /** The origin's body ended; a body shorter than announced is a failure (nothing is stored). */
  void onEnd() {
    boolean ok;
    List<Listener> toTell;
    synchronized (this) {
      if (isTerminal()) {
        return;
      }
      if (head == null || received != head.contentLength()) {
        failLocked(new ApiException(ErrorCode.BAD_GATEWAY, "the origin's answer ended early"));
        ok = false;
      } else {
        body.writerIndex((int) received);
        done = true;
        ok = true;
      }
      toTell = List.copyOf(listeners);
    }
    // Finished first: the fetcher puts the object into the memory tier before any waiter writes
    // its last bytes, so a client's next request finds it there.
    finished.complete(ok);
    tell(toTell);
  }

  /**
   * The fetch failed; waiters without headers get {@code error}, the others a closed connection.
   */
  void fail(ApiException error) {
    List<Listener> toTell;
    synchronized (this) {
      if (isTerminal()) {
        return;
      }
      failLocked(error);
      toTell = List.copyOf(listeners);
    }
    tell(toTell);
    finished.complete(false);
  }

  private void failLocked(ApiException error) {
    failure = requireNonNull(error, "error");
    maybeRelease();
  }

  private synchronized boolean failureNow() {
    return failure != null;
  }

  /** A purge ran while this fetch was in flight: serve the waiters, store nothing. */
  synchronized void markPurged() {
    purged = true;
  }

  synchronized boolean purged() {
    return purged;
  }

  synchronized boolean isTerminal() {
    return done || failure != null;
  }

  synchronized boolean hasHead() {
    return head != null;
  }

  // ---- consumer side ----

  /** Registers a waiter; false when the fetch is gone (its body released): look elsewhere. */
  boolean attach(Listener listener) {
    synchronized (this) {
      if (released) {
        return false;
      }
      holders++;
      listeners.add(listener);
    }
    listener.onChange();
    return true;
  }

  /** Unregisters a waiter (or, with null, the owner's hold). */
  synchronized void detach(Listener listener) {
    if (listener != null && !listeners.remove(listener)) {
      return;
    }
    holders--;
    maybeRelease();
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(head, received, done, failure);
  }

  /** A retained view of body bytes {@code [from, from + length)}; they must have been received. */
  synchronized ByteBuf retainedSlice(long from, long length) {
    if (released || from + length > received) {
      throw new IllegalStateException("no such bytes in fetch of " + key);
    }
    return body.retainedSlice((int) from, (int) length);
  }

  /** A retained duplicate of the whole body once done, for the memory tier and the disk write. */
  synchronized ByteBuf retainedBody() {
    if (!done || released) {
      throw new IllegalStateException("fetch of " + key + " is not done");
    }
    return body.retainedSlice(0, (int) received);
  }

  private void maybeRelease() {
    if (holders <= 0 && (done || failure != null) && !released) {
      released = true;
      if (body != null) {
        body.release();
        body = null;
      }
    }
  }

  private static void tell(List<Listener> toTell) {
    for (Listener l : toTell) {
      l.onChange();
    }
  }
}
