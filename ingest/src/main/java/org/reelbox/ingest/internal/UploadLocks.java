package org.reelbox.ingest.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One lock per upload, so that the calls on an upload never overlap (the {@link
 * org.reelbox.ingest.store.UploadStore} contract), in the style of tusd's locker.
 *
 * <p><b>Taking over.</b> A client whose connection broke resumes with a new PATCH while the server
 * may not have noticed the break yet: the old request still holds the lock, waiting for bytes that
 * will never come. Rather than make the client wait for the idle timeout, a request may ask the
 * holder to let go: the holder's {@code onSuperseded} aborts its body, the holder stores what it
 * has and releases the lock, and the newcomer proceeds (and usually answers 409, since the offset
 * moved). Background work (completion retries, the sweeper) cannot be taken over.
 */
final class UploadLocks {
  private final Map<String, Holder> holders = new HashMap<>();

  private static final class Holder {
    final Runnable onSuperseded;
    boolean superseded;

    Holder(Runnable onSuperseded) {
      this.onSuperseded = onSuperseded;
    }
  }

  /** A held lock; closing it releases the lock. */
  final class Lease implements AutoCloseable {
    private final String id;
    private final Holder holder;

    private Lease(String id, Holder holder) {
      this.id = id;
      this.holder = holder;
    }

    @Override
    public void close() {
      release(id, holder);
    }
  }

  /**
   * Takes the lock of upload {@code id}, waiting up to {@code wait}.
   *
   * @param onSuperseded run when a later request takes over; null when this holder cannot be
   * @param takeOver whether to ask the current holder to let go
   * @return the lease, or null when the lock stayed taken for the whole wait
   */
  synchronized Lease acquire(String id, Runnable onSuperseded, boolean takeOver, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (holders.containsKey(id)) {
      Holder current = holders.get(id);
      if (takeOver && !current.superseded && current.onSuperseded != null) {
        current.superseded = true;
        current.onSuperseded.run();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    Holder mine = new Holder(onSuperseded);
    holders.put(id, mine);
    return new Lease(id, mine);
  }

  /** Takes the lock if it is free; null otherwise. */
  synchronized Lease tryAcquire(String id) {
    if (holders.containsKey(id)) {
      return null;
    }
    Holder mine = new Holder(null);
    holders.put(id, mine);
    return new Lease(id, mine);
  }

  private synchronized void release(String id, Holder holder) {
    if (holders.get(id) == holder) {
      holders.remove(id);
    }
    notifyAll();
  }
}
