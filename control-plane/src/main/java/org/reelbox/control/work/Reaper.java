package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.reelbox.control.config.WorkConfig;
import org.reelbox.control.store.VideoId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic sweep: expired leases back to the queue (or failed at the attempt limit), silent
 * workers out of the worker queue, and the queue gauges refreshed.
 */
public final class Reaper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private final TaskQueue tasks;
  private final WorkerQueue workers;
  private final WorkMetrics metrics;
  private final WorkConfig config;
  private final Clock clock;
  private final Runnable changed;
  private final TaskListener listener;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "reelbox-work-reaper");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param changed called when a sweep put tasks back or failed some (wakes claims and the
   *     completion handler)
   * @param listener told about the video of every lease that expired
   */
  public Reaper(
      TaskQueue tasks,
      WorkerQueue workers,
      WorkMetrics metrics,
      WorkConfig config,
      Clock clock,
      Runnable changed,
      TaskListener listener) {
    this.tasks = requireNonNull(tasks, "tasks");
    this.workers = requireNonNull(workers, "workers");
    this.metrics = requireNonNull(metrics, "metrics");
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
    this.changed = requireNonNull(changed, "changed");
    this.listener = requireNonNull(listener, "listener");
  }

  public void start() {
    executor.scheduleWithFixedDelay(
        this::runSafely,
        config.reaperIntervalMillis(),
        config.reaperIntervalMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("work reaper: {}", e.toString());
    }
  }

  /** One sweep; public for tests. */
  public void sweep() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<VideoId> expired = tasks.expireLeases(now);
    if (!expired.isEmpty()) {
      changed.run();
      expired.stream().distinct().forEach(listener::taskChanged);
    }
    int dropped = workers.expire(now.minusSeconds(config.workerTimeoutSeconds()));
    if (dropped > 0) {
      log.info("dropped {} silent workers from the worker queue", dropped);
    }
    metrics.sample();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
