package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.reelbox.common.work.TaskType;

/**
 * The resource manager's meters: queue depth, running tasks and workers (gauges sampled by the
 * reaper, so that a scrape never queries the database), and task durations by type.
 */
public final class WorkMetrics {
  private final MeterRegistry registry;
  private final TaskQueue tasks;
  private final WorkerQueue workers;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong running = new AtomicLong();
  private final AtomicLong workerCount = new AtomicLong();

  public WorkMetrics(MeterRegistry registry, TaskQueue tasks, WorkerQueue workers) {
    this.registry = requireNonNull(registry, "registry");
    this.tasks = requireNonNull(tasks, "tasks");
    this.workers = requireNonNull(workers, "workers");
    registry.gauge("reelbox.work.queue.depth", queued);
    registry.gauge("reelbox.work.tasks.running", running);
    registry.gauge("reelbox.work.workers", workerCount);
  }

  /** Refreshes the gauges from the database. */
  public void sample() {
    queued.set(tasks.count(TaskState.QUEUED));
    running.set(tasks.count(TaskState.RUNNING));
    workerCount.set(workers.list().size());
  }

  /** Records how long a task ran, from its claim to its completion. */
  public void taskFinished(TaskType type, String outcome, Duration duration) {
    Timer.builder("reelbox.work.task.duration")
        .description("time from claim to report, by task type and outcome")
        .tag("type", type.wireName())
        .tag("outcome", outcome)
        .register(registry)
        .record(duration);
  }
}
