package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.reelbox.control.store.MetadataStoreException;
import org.reelbox.control.store.VideoId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of the completion queue: one thread that takes unprocessed events in order, lets
 * {@link JobFlow} act on each, and only then marks it processed. Delivery is therefore at least
 * once (a crash between the two processes the event again after the restart), which {@link JobFlow}
 * makes harmless.
 *
 * <p>It polls the table every {@code pollInterval}, and is woken at once by {@link #wake()} after
 * an insert through this process. A database failure leaves the event in the queue for the next
 * round; any other failure while processing an event (a bug, a profile that no longer plans) fails
 * the event's job with {@code INTERNAL} rather than retrying it forever.
 */
public final class CompletionHandler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CompletionHandler.class);
  private static final int BATCH = 100;

  private final JobStore jobs;
  private final JobFlow flow;
  private final Clock clock;
  private final Duration pollInterval;
  private final TaskListener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Condition roundDone = lock.newCondition();
  private boolean woken;
  // Drain rounds of the handler's thread, started and finished (guarded by lock): a caller that
  // committed an event waits for a round that started after it (awaitNextRound).
  private long roundsStarted;
  private long roundsFinished;
  private volatile boolean closed;
  private final Thread thread;

  /**
   * @param listener told about the job's video after a task's outcome was processed (the job grew
   *     tasks, queued dependents, finished or failed)
   */
  public CompletionHandler(
      JobStore jobs, JobFlow flow, Clock clock, Duration pollInterval, TaskListener listener) {
    this.listener = requireNonNull(listener, "listener");
    this.jobs = requireNonNull(jobs, "jobs");
    this.flow = requireNonNull(flow, "flow");
    this.clock = requireNonNull(clock, "clock");
    this.pollInterval = requireNonNull(pollInterval, "pollInterval");
    this.thread = new Thread(this::loop, "reelbox-completion-handler");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Tells the handler that events were queued. */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Processes every pending event now, on the calling thread (tests; and the role's start, before
   * the thread).
   *
   * @return how many events were processed
   */
  public int drain() {
    int total = 0;
    while (true) {
      List<CompletionEvent> events = jobs.pendingEvents(BATCH);
      if (events.isEmpty()) {
        return total;
      }
      for (CompletionEvent e : events) {
        processOne(e);
        total++;
      }
    }
  }

  /** Processes one event and marks it, the handler's unit of work; public for tests. */
  public synchronized void processOne(CompletionEvent event) {
    Optional<VideoId> video = Optional.empty();
    try {
      video = flow.process(event);
    } catch (MetadataStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error(
          "completion event {} ({} {}): failing its job",
          event.id(),
          event.kind(),
          event.taskId(),
          e);
      jobs.job(event.jobId())
          .ifPresent(
              job -> flow.failJob(job, "INTERNAL", "the control plane could not advance the job"));
    }
    jobs.markProcessed(event.id(), clock.instant().truncatedTo(ChronoUnit.MICROS));
    // JOB_CREATED only queued the first task, which a stream's opening read shows; the claim that
    // follows tells the listener.
    if (event.kind() != CompletionEvent.Kind.JOB_CREATED) {
      video.ifPresent(listener::taskChanged);
    }
  }

  /**
   * Wakes the handler and waits until a round of processing that started after this call has
   * finished, so that every event committed before the call has been acted on (its dependents
   * queued, an early package inserted), or until {@code timeout}. A worker's report is answered
   * after this: its next claim then sees what the report made ready, rather than racing the handler
   * and taking an older, lower-priority task (the early package would wait for a slot behind a
   * whole encode).
   *
   * @return false when the timeout passed first or the handler's thread is not running
   */
  public boolean awaitNextRound(Duration timeout) {
    if (!thread.isAlive() || closed) {
      wake();
      return false;
    }
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      long target = roundsStarted + 1;
      woken = true;
      changed.signalAll();
      while (roundsFinished < target) {
        if (nanos <= 0 || closed) {
          return false;
        }
        nanos = roundDone.awaitNanos(nanos);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (!closed) {
      long round;
      lock.lock();
      try {
        round = ++roundsStarted;
        woken = false;
      } finally {
        lock.unlock();
      }
      try {
        drain();
      } catch (MetadataStoreException e) {
        log.warn("completion handler: {}; retrying", e.getMessage());
      } catch (RuntimeException e) {
        log.error("completion handler failed; retrying", e);
      }
      lock.lock();
      try {
        roundsFinished = round;
        roundDone.signalAll();
        if (!woken && !closed) {
          changed.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        woken = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    wake();
    lock.lock();
    try {
      roundDone.signalAll(); // callers of awaitNextRound return at once
    } finally {
      lock.unlock();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
