package org.reelbox.encoder.worker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.reelbox.common.work.ClaimRequest;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskFailure;
import org.reelbox.common.work.WorkProtocol;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.encoder.backend.TaskFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker loop: one thread per slot long-polls the control plane for a task, runs it while a
 * scheduler renews its lease, and reports the outcome.
 *
 * <ul>
 *   <li>A lost lease (409 {@code LEASE_LOST} on a renewal) cancels the task: the backend kills its
 *       process, nothing more is written or reported.
 *   <li>So does a lease that may have expired unheard: when no renewal got through for a whole
 *       lease length (counted from when the last successful call was sent, so never later than the
 *       control plane's own expiry), the control plane has queued the task again, and a worker that
 *       was cut off or stalled must not write outputs over the next attempt's (or after the job
 *       deleted its temp objects). {@code TaskControl.isCancelled()} turns true; the task is
 *       dropped unreported.
 *   <li>Reports are retried with back-off until the control plane acknowledges them or says the
 *       lease is lost: a control plane that restarts mid-task loses no result.
 *   <li>While the control plane is unreachable the slots back off (1 s doubling to 30 s, jittered)
 *       and try again; the worker never exits for that.
 *   <li>{@link #close()} stops claiming, cancels running tasks, reports them as {@code
 *       WORKER_SHUTDOWN} (recoverable: they run elsewhere) and leaves the worker queue.
 * </ul>
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration REPORT_GIVE_UP = Duration.ofMinutes(10);

  private final WorkClient client;
  private final TaskRunner runner;
  private final WorkerInfo identity;
  private final int claimWaitSeconds;
  private final int fuseLimit;
  private final MeterRegistry metrics;
  private final ScheduledExecutorService renewals =
      Executors.newSingleThreadScheduledExecutor(daemon("encoder-lease-renewal"));
  private final List<Thread> slots = new ArrayList<>();
  private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();
  private final AtomicInteger busy = new AtomicInteger();

  /** Slots waiting in a claim: the only ones {@link #close()} interrupts. */
  private final java.util.Set<Thread> claiming = ConcurrentHashMap.newKeySet();

  private volatile boolean stopping;

  Worker(
      WorkClient client,
      TaskRunner runner,
      WorkerInfo identity,
      int claimWaitSeconds,
      int fuseLimit,
      MeterRegistry metrics) {
    this.client = requireNonNull(client, "client");
    this.runner = requireNonNull(runner, "runner");
    this.identity = requireNonNull(identity, "identity");
    this.claimWaitSeconds = claimWaitSeconds;
    if (fuseLimit < 1 || fuseLimit > WorkProtocol.MAX_FUSE_LIMIT) {
      throw new IllegalArgumentException(
          "fuseLimit must be from 1 to " + WorkProtocol.MAX_FUSE_LIMIT + ", got " + fuseLimit);
    }
    this.fuseLimit = fuseLimit;
    this.metrics = requireNonNull(metrics, "metrics");
    metrics.gauge("reelbox_encoder_busy_slots", busy);
  }

  /** Starts one claiming thread per slot. */
  public void start() {
    for (int i = 0; i < identity.slots(); i++) {
      Thread slot = new Thread(this::slotLoop, "encoder-slot-" + i);
      slot.setDaemon(true);
      slots.add(slot);
      slot.start();
    }
    log.info(
        "worker {} started: {} slot(s), backend {}, hardware encoders {}",
        identity.workerId(),
        identity.slots(),
        identity.backend(),
        identity.hwEncoders().isEmpty() ? "none" : identity.hwEncoders());
  }

  /** How many tasks run now. */
  public int busySlots() {
    return busy.get();
  }

  private void slotLoop() {
    long backoffMillis = 0;
    long claimedAt = 0;
    while (!stopping) {
      try {
        Optional<TaskAssignment> task;
        claiming.add(Thread.currentThread());
        try {
          if (stopping) {
            return;
          }
          if (backoffMillis > 0) {
            Thread.sleep(
                backoffMillis + ThreadLocalRandom.current().nextLong(backoffMillis / 4 + 1));
          }
          task = client.claim(new ClaimRequest(info(), claimWaitSeconds, fuseLimit));
          claimedAt = System.nanoTime();
        } finally {
          claiming.remove(Thread.currentThread());
        }
        backoffMillis = 0;
        if (task.isPresent() && !stopping) {
          runTask(task.get(), claimedAt);
        } else if (task.isPresent()) {
          for (TaskAssignment member : task.get().group()) {
            reportQuietly(member, shutdownFailure());
          }
        }
      } catch (InterruptedException e) {
        if (stopping) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        backoffMillis =
            Math.min(MAX_BACKOFF.toMillis(), backoffMillis == 0 ? 1000 : backoffMillis * 2);
        if (!stopping) {
          log.warn("claim failed, retrying in about {} ms: {}", backoffMillis, e.toString());
        }
      }
    }
  }

  private WorkerInfo info() {
    return new WorkerInfo(
        identity.workerId(),
        identity.host(),
        identity.backend(),
        identity.cores(),
        identity.slots(),
        Math.max(0, identity.slots() - busy.get()),
        identity.hwEncoders(),
        identity.version());
  }

  /**
   * Runs a claimed task, or a fused group (the task and its companions: one process, one slot),
   * each member under its own lease: renewed on its own, reported on its own. A member whose lease
   * is lost is dropped unreported; when that stops the group's process, the other members report
   * the stop as a recoverable failure, so they go back to the queue at once rather than when their
   * leases run out.
   *
   * @param claimedAt {@link System#nanoTime()} when the assignment arrived: the leases run from
   *     (just before) then
   */
  private void runTask(TaskAssignment task, long claimedAt) {
    List<TaskAssignment> group = task.group();
    List<Running> controls = new ArrayList<>(group.size());
    List<ScheduledFuture<?>> renewalsOf = new ArrayList<>(group.size());
    for (TaskAssignment member : group) {
      Running control =
          new Running(
              member,
              Instant.now().plusSeconds(Math.max(1, member.timeoutSeconds())),
              claimedAt + TimeUnit.SECONDS.toNanos(member.leaseSeconds()));
      controls.add(control);
      running.put(member.leaseId(), control);
      long renewEvery = Math.max(1, member.leaseSeconds() / 3);
      renewalsOf.add(
          renewals.scheduleWithFixedDelay(
              () -> renew(control), renewEvery, renewEvery, TimeUnit.SECONDS));
    }
    busy.incrementAndGet();
    long started = System.nanoTime();
    String outcome = "succeeded";
    String ids = group.stream().map(TaskAssignment::taskId).collect(Collectors.joining(" + "));
    try {
      log.info(
          "task {} of video {} ({}, attempt {}) started",
          ids,
          task.videoId(),
          task.type().wireName(),
          task.attempt());
      List<JsonNode> outputs;
      try {
        outputs =
            group.size() == 1
                ? List.of(runner.run(task, controls.get(0)))
                : runner.runGroup(group, new GroupControl(controls));
      } catch (TaskFailedException e) {
        outcome = "failed";
        for (int i = 0; i < group.size(); i++) {
          TaskAssignment member = group.get(i);
          Running control = controls.get(i);
          if (control.leaseLost || control.leaseExpired) {
            log.info("task {} dropped: its lease was lost", member.taskId());
            if (group.size() == 1) {
              outcome = "lease_lost";
            }
            continue;
          }
          TaskFailure failure = control.cancelled && stopping ? shutdownFailure() : e.toFailure();
          log.info(
              "task {} of video {} failed: {} {}",
              member.taskId(),
              member.videoId(),
              failure.code(),
              failure.message());
          report(member, control, failure, null);
        }
        return;
      } catch (RuntimeException e) {
        outcome = "failed";
        log.error("task {} of video {} crashed", ids, task.videoId(), e);
        for (int i = 0; i < group.size(); i++) {
          report(
              group.get(i),
              controls.get(i),
              TaskFailure.of(FailureCode.INTERNAL, "worker error: " + e),
              null);
        }
        return;
      }
      renewalsOf.forEach(r -> r.cancel(false));
      for (int i = 0; i < group.size(); i++) {
        if (controls.get(i).leaseLost) {
          if (group.size() == 1) {
            outcome = "lease_lost";
          }
          continue;
        }
        report(group.get(i), controls.get(i), null, outputs.get(i));
      }
      log.info(
          "task {} of video {} done in {} ms",
          ids,
          task.videoId(),
          (System.nanoTime() - started) / 1_000_000);
    } finally {
      renewalsOf.forEach(r -> r.cancel(false));
      group.forEach(member -> running.remove(member.leaseId()));
      busy.decrementAndGet();
      Timer timer =
          Timer.builder("reelbox_encoder_task_seconds")
              .tag("type", task.type().wireName())
              .tag("outcome", outcome)
              .register(metrics);
      long took = System.nanoTime() - started;
      group.forEach(member -> timer.record(took, TimeUnit.NANOSECONDS));
    }
  }

  private void renew(Running control) {
    if (control.leaseLost) {
      return;
    }
    try {
      long sent = System.nanoTime();
      int seconds = client.renew(control.task.leaseId());
      control.extendLease(sent + TimeUnit.SECONDS.toNanos(seconds));
    } catch (LeaseLostException e) {
      log.warn("task {}: lease lost, stopping it", control.task.taskId());
      control.leaseLost = true;
      control.cancelled = true;
    } catch (IOException | RuntimeException e) {
      // Keep running: the next renewal may get through before the lease runs out, and if it
      // does not, the report is refused and the task runs elsewhere.
      log.warn("task {}: lease renewal failed: {}", control.task.taskId(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reports success ({@code output}) or {@code failure}, retrying until acknowledged. */
  private void report(TaskAssignment task, Running control, TaskFailure failure, JsonNode output) {
    long backoffMillis = 500;
    Instant giveUp = Instant.now().plus(REPORT_GIVE_UP);
    while (true) {
      try {
        if (failure == null) {
          client.complete(task.leaseId(), output);
        } else {
          client.fail(task.leaseId(), failure);
        }
        return;
      } catch (LeaseLostException e) {
        log.info("task {}: report refused, the lease was lost", task.taskId());
        return;
      } catch (WorkClient.WorkCallException e) {
        if (e.permanent()) {
          log.error("task {}: report rejected: {}", task.taskId(), e.getMessage());
          if (failure == null) {
            // The output was refused as malformed: say so, so the job does not wait on a lease.
            failure = TaskFailure.of(FailureCode.INTERNAL, "output rejected: " + e.getMessage());
            continue;
          }
          return;
        }
        log.warn("task {}: report failed, retrying: {}", task.taskId(), e.getMessage());
      } catch (IOException e) {
        log.warn("task {}: report failed, retrying: {}", task.taskId(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (Instant.now().isAfter(giveUp) || (stopping && control != null && control.cancelled)) {
        log.warn("task {}: giving up reporting; its lease will expire", task.taskId());
        return;
      }
      try {
        Thread.sleep(backoffMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
    }
  }

  private void reportQuietly(TaskAssignment task, TaskFailure failure) {
    try {
      client.fail(task.leaseId(), failure);
    } catch (IOException | LeaseLostException | RuntimeException e) {
      // Its lease expires and it runs elsewhere.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static TaskFailure shutdownFailure() {
    return TaskFailure.of(FailureCode.WORKER_SHUTDOWN, "the worker is shutting down");
  }

  /**
   * Stops: no more claims; running tasks are cancelled and reported as {@code WORKER_SHUTDOWN};
   * then the worker leaves the worker queue. Waits up to 20 s for the slots.
   */
  @Override
  public void close() {
    stopping = true;
    for (Running control : running.values()) {
      control.cancelled = true;
    }
    // A slot running a task is not interrupted: the task notices the cancellation through its
    // TaskControl and the slot reports it. A slot waiting in a claim (or backing off) is.
    for (Thread slot : slots) {
      if (claiming.contains(slot) || running.isEmpty()) {
        slot.interrupt();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (Thread slot : slots) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          slot.join(Math.max(1, left / 1_000_000));
        }
        if (slot.isAlive()) {
          slot.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    renewals.shutdownNow();
    try {
      client.leave(identity.workerId());
    } catch (IOException | RuntimeException e) {
      log.debug("leaving the worker queue failed: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("worker {} stopped", identity.workerId());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The control of a fused group's one process: cancelled as soon as any member is (a lost lease
   * stops the process: its output would be written under a lease that is gone), ending at the
   * earliest member's deadline.
   */
  private static final class GroupControl implements org.reelbox.encoder.backend.TaskControl {
    private final List<Running> members;
    private final Instant deadline;

    GroupControl(List<Running> members) {
      this.members = List.copyOf(members);
      this.deadline = members.stream().map(m -> m.deadline).min(Instant::compareTo).orElseThrow();
    }

    @Override
    public Instant deadline() {
      return deadline;
    }

    @Override
    public boolean isCancelled() {
      boolean any = false;
      for (Running m : members) {
        any |= m.isCancelled(); // every member's expiry is checked, not just the first
      }
      return any;
    }

    @Override
    public void checkNotCancelled() throws TaskFailedException {
      for (Running m : members) {
        m.checkNotCancelled();
      }
    }
  }

  /** The {@link org.reelbox.encoder.backend.TaskControl} of one running task. */
  private final class Running implements org.reelbox.encoder.backend.TaskControl {
    final TaskAssignment task;
    final Instant deadline;
    volatile boolean cancelled;

    /** The control plane answered {@code LEASE_LOST}. */
    volatile boolean leaseLost;

    /** No renewal got through for a lease length: the lease may be gone (see the class doc). */
    volatile boolean leaseExpired;

    /** {@link System#nanoTime()} at which the lease ends unless renewed, as far as we know. */
    private volatile long leaseEndsAt;

    Running(TaskAssignment task, Instant deadline, long leaseEndsAt) {
      this.task = task;
      this.deadline = deadline;
      this.leaseEndsAt = leaseEndsAt;
    }

    synchronized void extendLease(long endsAt) {
      if (endsAt - leaseEndsAt > 0) {
        leaseEndsAt = endsAt;
      }
    }

    @Override
    public Instant deadline() {
      return deadline;
    }

    @Override
    public boolean isCancelled() {
      if (!cancelled && System.nanoTime() - leaseEndsAt > 0) {
        leaseExpired = true;
        cancelled = true;
        log.warn(
            "task {}: no lease renewal got through for {} s; stopping it, writing nothing more",
            task.taskId(),
            task.leaseSeconds());
      }
      return cancelled;
    }

    @Override
    public void checkNotCancelled() throws TaskFailedException {
      if (isCancelled()) {
        throw leaseLost || leaseExpired
            ? new TaskFailedException(FailureCode.WORKER_SHUTDOWN, "the lease was lost")
            : new TaskFailedException(FailureCode.WORKER_SHUTDOWN, "the worker is shutting down");
      }
      if (Instant.now().isAfter(deadline)) {
        throw new TaskFailedException(
            FailureCode.TIMEOUT, "the task ran past its limit of " + task.timeoutSeconds() + " s");
      }
    }
  }
}
