package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.reelbox.common.json.Json;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.work.AudioOutput;
import org.reelbox.common.work.EncodeOutput;
import org.reelbox.common.work.LeaseRenewal;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.PackageOutput;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskFailure;
import org.reelbox.common.work.TaskType;
import org.reelbox.common.work.ThumbnailOutput;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.control.config.WorkConfig;
import org.reelbox.control.pipeline.PlannedNode;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.Sql;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resource manager (DESIGN.md, "The transcoding DAG"; docs/transcoding.md): the durable queues,
 * the scheduler, the completion handler and the reaper, behind the operations the work API and the
 * video API need. Blocking (JDBC): call it from worker threads, never from an event loop.
 */
public final class ResourceManager implements AutoCloseable {
  /** The longest a worker's report waits for the completion handler to act on it. */
  private static final Duration REPORT_SETTLE = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(ResourceManager.class);

  private final WorkConfig config;
  private final Clock clock;
  private final TaskQueue tasks;
  private final WorkerQueue workers;
  private final JobStore jobs;
  private final JobFlow flow;
  private final CompletionHandler handler;
  private final Reaper reaper;
  private final WorkMetrics metrics;
  private final ClaimSignal signal = new ClaimSignal();
  private final ProfileCatalog profiles;
  private final TaskListener listener;

  public ResourceManager(
      DataSource dataSource,
      MetadataStore store,
      BlobStore blobs,
      ProfileCatalog profiles,
      WorkConfig config,
      MeterRegistry registry,
      Clock clock) {
    this(dataSource, store, blobs, profiles, config, registry, clock, TaskListener.NONE);
  }

  /**
   * @param listener told about every task state change of a job (claim, completion, failure, lease
   *     expiry, a worker leaving, the completion handler's steps); must not block
   */
  public ResourceManager(
      DataSource dataSource,
      MetadataStore store,
      BlobStore blobs,
      ProfileCatalog profiles,
      WorkConfig config,
      MeterRegistry registry,
      Clock clock,
      TaskListener listener) {
    this(
        dataSource,
        store,
        blobs,
        profiles,
        config,
        registry,
        clock,
        listener,
        PublishListener.NONE);
  }

  /**
   * @param listener told about every task state change of a job (claim, completion, failure, lease
   *     expiry, a worker leaving, the completion handler's steps); must not block
   * @param published told each time a job's video is marked READY (see {@link PublishListener})
   */
  public ResourceManager(
      DataSource dataSource,
      MetadataStore store,
      BlobStore blobs,
      ProfileCatalog profiles,
      WorkConfig config,
      MeterRegistry registry,
      Clock clock,
      TaskListener listener,
      PublishListener published) {
    requireNonNull(listener, "listener");
    // A listener's failure must never undo or hide a task transition that committed.
    this.listener =
        videoId -> {
          try {
            listener.taskChanged(videoId);
          } catch (RuntimeException e) {
            log.warn("task listener failed for video {}: {}", videoId, e.toString());
          }
        };
    this.profiles = requireNonNull(profiles, "profiles");
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
    Sql sql = new Sql(dataSource);
    this.tasks = new TaskQueue(sql, config);
    this.workers = new WorkerQueue(sql);
    this.jobs = new JobStore(sql);
    this.flow =
        new JobFlow(
            jobs,
            profiles,
            new TaskInputs(config.inputLimits()),
            store,
            blobs,
            clock,
            signal::fire,
            published);
    this.handler =
        new CompletionHandler(
            jobs,
            flow,
            clock,
            Duration.ofMillis(Math.max(100, config.reaperIntervalMillis())),
            this.listener);
    this.metrics = new WorkMetrics(registry, tasks, workers);
    this.reaper =
        new Reaper(
            tasks,
            workers,
            metrics,
            config,
            clock,
            () -> {
              signal.fire();
              handler.wake();
            },
            this.listener);
  }

  /**
   * Recovers what a previous run left (pending completion events, uploaded videos without a job)
   * and starts the completion handler and the reaper.
   */
  public void start(MetadataStore store) {
    for (VideoId id : jobs.uploadedWithoutJob()) {
      store.findVideo(id).ifPresent(flow::createJob);
    }
    int recovered = handler.drain();
    if (recovered > 0) {
      log.info("processed {} completion events left by the previous run", recovered);
    }
    handler.start();
    reaper.start();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Wakes long-polling claims when tasks became ready. */
  public ClaimSignal signal() {
    return signal;
  }

  public WorkConfig config() {
    return config;
  }

  // ---- from the video and internal APIs

  /** An upload is complete: the video gets its job (once). */
  public void uploaded(Video video) {
    flow.createJob(video);
    handler.wake();
  }

  public Optional<JobProgress> progress(VideoId videoId) {
    return jobs.progress(videoId);
  }

  public List<TaskRecord> tasksOf(VideoId videoId) {
    return jobs.jobOfVideo(videoId).map(j -> jobs.tasks(j.id())).orElse(List.of());
  }

  public List<WorkerRecord> workers() {
    return workers.list();
  }

  // ---- read views for the admin API and the progress events

  /** A video's job, if it has one. */
  public Optional<Job> jobOf(VideoId videoId) {
    return jobs.jobOfVideo(videoId);
  }

  /** Jobs newest first, optionally only those in {@code state}; see {@link JobStore#list}. */
  public List<JobSummary> jobList(Optional<JobState> state, int offset, int limit) {
    return jobs.list(state, offset, limit);
  }

  /** The RUNNING jobs, split by whether a worker holds one of their tasks. */
  public JobStore.JobCounts jobCounts() {
    return jobs.jobCounts();
  }

  /** How many tasks are in {@code state} now. */
  public int taskCount(TaskState state) {
    return tasks.count(state);
  }

  /** Whether a worker last heard from at {@code lastSeenAt} counts as alive at {@code now}. */
  public boolean workerHealthy(Instant lastSeenAt, Instant now) {
    return Duration.between(lastSeenAt, now).getSeconds() < config.workerTimeoutSeconds();
  }

  /** The job of a video as its DAG: plan nodes and tasks; empty when it has no job. */
  public Optional<JobDetail> jobDetail(VideoId videoId) {
    return jobs.jobOfVideo(videoId)
        .map(job -> new JobDetail(job, planNodes(job), jobs.tasks(job.id())));
  }

  /** A job's plan nodes; none when its profile no longer plans (removed or changed). */
  private List<PlannedNode> planNodes(Job job) {
    try {
      return profiles.plan(job.profile(), PlanOptionsJson.read(job.planOptions())).nodes();
    } catch (RuntimeException e) {
      log.debug("job {}: its plan cannot be rebuilt: {}", job.id(), e.getMessage());
      return List.of();
    }
  }

  /**
   * How far a video's job is, stage by stage; empty when it has no job. Counts only (no task inputs
   * or outputs are read), so it stays cheap for a job of thousands of tasks.
   */
  public Optional<StagedProgress> stagedProgress(VideoId videoId) {
    Optional<Job> found = jobs.jobOfVideo(videoId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Job job = found.get();
    TreeMap<Integer, List<String>> nodes = new TreeMap<>();
    for (PlannedNode n : planNodes(job)) {
      nodes.computeIfAbsent(n.stage(), k -> new ArrayList<>()).add(n.id());
    }
    TreeMap<Integer, int[]> counts = new TreeMap<>(); // done, running, failed, total
    for (JobStore.StageCount c : jobs.stageCounts(job.id())) {
      nodes.computeIfAbsent(c.stage(), k -> new ArrayList<>());
      int[] k = counts.computeIfAbsent(c.stage(), x -> new int[4]);
      switch (c.state()) {
        case SUCCEEDED -> k[0] += c.count();
        case RUNNING -> k[1] += c.count();
        case FAILED -> k[2] += c.count();
        default -> {}
      }
      k[3] += c.count();
    }
    List<StageProgress> stages = new ArrayList<>();
    int done = 0;
    int total = 0;
    for (Map.Entry<Integer, List<String>> e : nodes.entrySet()) {
      int[] k = counts.getOrDefault(e.getKey(), new int[4]);
      stages.add(new StageProgress(e.getKey(), e.getValue(), k[0], k[1], k[2], k[3]));
      done += k[0];
      total += k[3];
    }
    return Optional.of(new StagedProgress(job.state(), done, total, stages));
  }

  // ---- the work protocol

  /** The claim's heartbeat: the worker's row in the worker queue. */
  public void heartbeat(WorkerInfo worker) {
    workers.heartbeat(worker, now());
  }

  /** One claim attempt: the best ready task for this worker, leased; empty when none is ready. */
  public Optional<TaskAssignment> tryClaim(WorkerInfo worker) {
    return tryClaim(worker, 1);
  }

  /**
   * One claim attempt that may take a fused group (docs/transcoding.md §8, "Fused claims"): the
   * best ready task for this worker and, when it may be fused, up to {@code fuseLimit − 1}
   * companions, each with a lease of its own; empty when none is ready.
   *
   * @param fuseLimit the most tasks the worker runs as one process, 1 to {@link
   *     org.reelbox.common.work.WorkProtocol#MAX_FUSE_LIMIT}
   */
  public Optional<TaskAssignment> tryClaim(WorkerInfo worker, int fuseLimit) {
    if (worker.freeSlots() <= 0) {
      return Optional.empty();
    }
    Optional<TaskQueue.Claimed> claimed = tasks.claim(worker, now(), fuseLimit);
    // A group is one job's: one change to tell about.
    claimed.ifPresent(c -> listener.taskChanged(c.task().videoId()));
    return claimed.map(
        c ->
            assignment(
                c.task(), c.companions().stream().map(t -> assignment(t, List.of())).toList()));
  }

  private TaskAssignment assignment(TaskRecord t, List<TaskAssignment> companions) {
    JsonNode input;
    try {
      input = Json.mapper().readTree(t.input());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("task " + t.taskId() + ": stored input is not JSON", e);
    }
    return new TaskAssignment(
        t.leaseId(),
        config.leaseSeconds(),
        Long.toString(t.jobId()),
        t.videoId().value(),
        t.taskId(),
        t.type(),
        t.attempt(),
        config.taskTimeoutSeconds(),
        input,
        companions);
  }

  /** Extends a lease; empty when it is not current. */
  public Optional<LeaseRenewal> renew(String leaseId) {
    return tasks.renew(leaseId, now())
        ? Optional.of(new LeaseRenewal(config.leaseSeconds()))
        : Optional.empty();
  }

  /**
   * Records a task's output.
   *
   * @throws IllegalArgumentException when the output is not the task type's output record
   */
  public TaskQueue.Completion complete(String leaseId, JsonNode output) {
    Optional<TaskRecord> task = tasks.byLease(leaseId);
    if (task.isEmpty()) {
      return TaskQueue.Completion.LEASE_LOST;
    }
    TaskRecord t = task.get();
    if (t.state() == TaskState.SUCCEEDED) {
      return TaskQueue.Completion.ALREADY_COMPLETED;
    }
    if (t.state() != TaskState.RUNNING) {
      return TaskQueue.Completion.LEASE_LOST;
    }
    checkOutput(t.type(), output);
    Instant now = now();
    TaskQueue.Completion result = tasks.complete(leaseId, output.toString(), now);
    if (result == TaskQueue.Completion.COMPLETED) {
      recordDuration(t, "succeeded", now);
      listener.taskChanged(t.videoId());
      // Answered once the handler has acted on it: the worker's next claim sees the tasks this
      // success made ready (CompletionHandler.awaitNextRound).
      handler.awaitNextRound(REPORT_SETTLE);
    }
    return result;
  }

  /** Records a worker's failure report; false when the lease is not current. */
  public boolean fail(String leaseId, TaskFailure failure) {
    Optional<TaskRecord> task = tasks.byLease(leaseId);
    Instant now = now();
    TaskQueue.Failure result = tasks.fail(leaseId, failure, now);
    if (result == TaskQueue.Failure.LEASE_LOST) {
      return false;
    }
    String outcome = result == TaskQueue.Failure.RELEASED ? "released" : "failed";
    task.ifPresent(
        t -> {
          recordDuration(t, outcome, now);
          listener.taskChanged(t.videoId());
        });
    if (result == TaskQueue.Failure.FAILED) {
      handler.awaitNextRound(REPORT_SETTLE);
    } else if (result == TaskQueue.Failure.RELEASED || result == TaskQueue.Failure.REROUTED) {
      signal.fire();
    }
    return true;
  }

  /**
   * A worker leaves: its running tasks go back to the queue at once.
   *
   * @return false when the worker was not in the worker queue
   */
  public boolean leave(String workerId) {
    List<VideoId> affected = tasks.runningVideosOf(workerId);
    int released = tasks.releaseWorker(workerId, now());
    if (released > 0) {
      affected.forEach(listener::taskChanged);
    }
    boolean known = workers.remove(workerId);
    if (released > 0) {
      log.info("worker {} left; {} tasks back in the queue", workerId, released);
      signal.fire();
    }
    return known || released > 0;
  }

  private void recordDuration(TaskRecord t, String outcome, Instant now) {
    if (t.startedAt() != null) {
      metrics.taskFinished(t.type(), outcome, Duration.between(t.startedAt(), now));
    }
  }

  /** The output record of each task type. */
  public static Class<?> outputType(TaskType type) {
    return switch (type) {
      case INSPECT -> MediaInfo.class;
      case SPLIT -> SplitOutput.class;
      case ENCODE -> EncodeOutput.class;
      case AUDIO -> AudioOutput.class;
      case THUMBNAIL -> ThumbnailOutput.class;
      case PACKAGE -> PackageOutput.class;
    };
  }

  private static void checkOutput(TaskType type, JsonNode output) {
    Object parsed;
    try {
      parsed = Json.mapper().treeToValue(output, outputType(type));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String detail =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException(
          "output is not a valid "
              + outputType(type).getSimpleName()
              + " for a "
              + type.wireName()
              + " task: "
              + detail,
          e);
    }
    if (parsed == null) {
      throw new IllegalArgumentException("output must be a JSON object");
    }
    if (parsed instanceof SplitOutput split) {
      for (int i = 0; i < split.chunks().size(); i++) {
        if (split.chunks().get(i).index() != i) {
          throw new IllegalArgumentException(
              "output: chunks["
                  + i
                  + "].index must be "
                  + i
                  + ", got "
                  + split.chunks().get(i).index());
        }
      }
    }
    if (parsed instanceof MediaInfo info
        && (info.video().displayWidth() < 2
            || info.video().displayHeight() < 2
            || info.video().frameRateNum() <= 0
            || info.video().frameRateDen() <= 0)) {
      throw new IllegalArgumentException(
          "output: video.displayWidth, displayHeight, frameRateNum and frameRateDen must be"
              + " positive");
    }
  }

  /** Processes pending completion events now (tests). */
  public int drainEvents() {
    return handler.drain();
  }

  JobStore jobs() {
    return jobs;
  }

  CompletionHandler handler() {
    return handler;
  }

  /** One reaper sweep now (tests). */
  public void sweep() {
    reaper.sweep();
  }

  @Override
  public void close() {
    reaper.close();
    handler.close();
  }
}
