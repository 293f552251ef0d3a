package org.reelbox.ingest.internal;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body, read as a blocking {@link InputStream} by a worker thread while Vert.x delivers
 * it on the event loop: the bridge between the two threading models, with backpressure.
 *
 * <p><b>Backpressure.</b> Buffers delivered by the event loop queue up here; once more than {@value
 * #HIGH_WATER_BYTES} bytes wait, the request is paused, and the reader resumes it once it has taken
 * the queue below {@value #LOW_WATER_BYTES}. Heap use per request is bounded by the high water mark
 * whatever the body's size, and a slow disk or S3 slows the client down instead of filling memory.
 *
 * <p><b>Failures.</b> When the connection breaks mid-body, the bytes that arrived before are still
 * read out, then {@link #read} throws: an interrupted PATCH keeps what it delivered. {@link #abort}
 * (a newer request took the upload over, the role is stopping) throws at once instead.
 *
 * <p><b>Copies.</b> Vert.x hands each piece of the body over as a heap buffer (its own copy of
 * Netty's pooled one). {@link #read(ByteBuffer)} moves queued pieces straight into the caller's
 * buffer, as many as fit: with a direct buffer that is the only copy before the file's write, where
 * {@link #read(byte[], int, int)} into an array costs one more (array, then the JDK's own copy into
 * a direct buffer for the system call).
 *
 * <p>Created on the event loop, with the request paused; the reader calls {@link #start()} when it
 * is ready for the bytes.
 */
final class RequestBodyStream extends InputStream implements ReadableByteChannel {
  // Wide enough that the event loop rarely pauses a fast client (each pause/resume is a thread
  // hop and a stall of the TCP window); still a small, fixed amount of heap per upload.
  static final int HIGH_WATER_BYTES = 4 * 1024 * 1024;
  static final int LOW_WATER_BYTES = 2 * 1024 * 1024;

  /** Thrown by {@link #read} after {@link #abort}. */
  static final class AbortedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean superseded;

    AbortedException(String message, boolean superseded) {
      super(message);
      this.superseded = superseded;
    }

    /** Whether a newer request for the same upload took over. */
    boolean superseded() {
      return superseded;
    }
  }

  private final HttpServerRequest request;
  private final Context context;
  private final long stallTimeoutNanos;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean paused = true;
  private boolean started;
  private boolean ended;
  private IOException failure;
  private AbortedException aborted;
  private Buffer current;
  private int position;
  private long delivered;

  /** Whether the reader is blocked in {@link #awaitData}: only then does new data need a signal. */
  private boolean readerWaiting;

  private RequestBodyStream(HttpServerRequest request, Context context, Duration stallTimeout) {
    this.request = request;
    this.context = context;
    this.stallTimeoutNanos = stallTimeout.toNanos();
  }

  /**
   * Takes over the body of a paused request. Call on the request's event loop.
   *
   * @param stallTimeout how long {@link #read} waits for data before it gives up
   */
  static RequestBodyStream attach(
      HttpServerRequest request, Context context, Duration stallTimeout) {
    RequestBodyStream stream =
        new RequestBodyStream(
            requireNonNull(request, "request"),
            requireNonNull(context, "context"),
            requireNonNull(stallTimeout, "stallTimeout"));
    request.handler(stream::onData);
    request.exceptionHandler(stream::onError);
    request.endHandler(v -> stream.onEnd());
    if (request.isEnded()) {
      stream.onEnd();
    }
    return stream;
  }

  /** Lets the body flow. Any thread. */
  void start() {
    lock.lock();
    try {
      if (started) {
        return;
      }
      started = true;
      paused = false;
    } finally {
      lock.unlock();
    }
    context.runOnContext(v -> request.resume());
  }

  private void onData(Buffer buffer) {
    lock.lock();
    try {
      if (aborted != null) {
        return; // nobody will read it
      }
      queue.add(buffer);
      queuedBytes += buffer.length();
      if (!paused && queuedBytes >= HIGH_WATER_BYTES) {
        paused = true;
        request.pause();
      }
      if (readerWaiting) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private void onEnd() {
    lock.lock();
    try {
      ended = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onError(Throwable t) {
    lock.lock();
    try {
      if (!ended && failure == null) {
        failure = new IOException("request body interrupted: " + t, t);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Makes {@link #read} throw from now on, dropping what is queued. Any thread. */
  void abort(String reason, boolean superseded) {
    lock.lock();
    try {
      if (aborted == null) {
        aborted = new AbortedException(reason, superseded);
        queue.clear();
        queuedBytes = 0;
        current = null;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    lock.lock();
    try {
      if (!awaitData()) {
        return -1;
      }
      int n = Math.min(len, current.length() - position);
      current.getBytes(position, position + n, b, off);
      position += n;
      queuedBytes -= n;
      delivered += n;
      if (position == current.length()) {
        current = null;
      }
      if (paused && started && queuedBytes <= LOW_WATER_BYTES) {
        paused = false;
        context.runOnContext(v -> request.resume());
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves the bytes that are queued now into {@code dst}, as many as fit, waiting only until there
   * is at least one: one call drains several of Vert.x's pieces, so that the caller can write them
   * with one system call.
   *
   * @return the number of bytes moved, or -1 at the end of the body
   */
  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!dst.hasRemaining()) {
      return 0;
    }
    int moved = 0;
    lock.lock();
    try {
      if (!awaitData()) {
        return -1;
      }
      do {
        int n = Math.min(dst.remaining(), current.length() - position);
        dst.put(((BufferInternal) current).getByteBuf().nioBuffer(position, n));
        position += n;
        moved += n;
        if (position == current.length()) {
          current = null;
        }
      } while (dst.hasRemaining() && (current != null || nextQueued()));
      queuedBytes -= moved;
      delivered += moved;
      if (paused && started && queuedBytes <= LOW_WATER_BYTES) {
        paused = false;
        context.runOnContext(v -> request.resume());
      }
      return moved;
    } finally {
      lock.unlock();
    }
  }

  /** With the lock held: makes the next non-empty queued buffer current, if there is one. */
  private boolean nextQueued() {
    while (aborted == null && !queue.isEmpty()) {
      current = queue.poll();
      position = 0;
      if (current.length() > 0) {
        return true;
      }
      current = null;
    }
    return false;
  }

  /** Always open; {@link #abort} is how a body is stopped. */
  @Override
  public boolean isOpen() {
    return true;
  }

  /** With the lock held: waits until a buffer is current (true) or the body ended (false). */
  private boolean awaitData() throws IOException {
    long deadline = System.nanoTime() + stallTimeoutNanos;
    while (true) {
      if (aborted != null) {
        throw aborted;
      }
      if (current != null) {
        return true;
      }
      current = queue.poll();
      position = 0;
      if (current != null) {
        if (current.length() == 0) {
          current = null;
        }
        continue;
      }
      if (failure != null) {
        throw failure;
      }
      if (ended) {
        return false;
      }
      if (!started) {
        throw new IllegalStateException("read before start()");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException(
            "no request data for " + TimeUnit.NANOSECONDS.toSeconds(stallTimeoutNanos) + " s");
      }
      try {
        readerWaiting = true;
        changed.awaitNanos(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for request data");
      } finally {
        readerWaiting = false;
      }
    }
  }

  /**
   * Whether the body has bytes beyond those read, waiting for them if need be. False when it ended,
   * failed or was aborted.
   */
  boolean hasMore() {
    lock.lock();
    try {
      return awaitData();
    } catch (IOException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Whether every byte of the body was read and the body ended. */
  boolean fullyConsumed() {
    lock.lock();
    try {
      return ended && aborted == null && current == null && queue.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** How many bytes the reader took. */
  long delivered() {
    lock.lock();
    try {
      return delivered;
    } finally {
      lock.unlock();
    }
  }
}
