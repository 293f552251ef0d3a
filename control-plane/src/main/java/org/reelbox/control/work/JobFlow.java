package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.PackageInput;
import org.reelbox.common.work.PackageOutput;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskType;
import org.reelbox.control.pipeline.ExpandedPlan;
import org.reelbox.control.pipeline.Fanout;
import org.reelbox.control.pipeline.NodeTypes;
import org.reelbox.control.pipeline.Plan;
import org.reelbox.control.pipeline.PlannedNode;
import org.reelbox.control.pipeline.Rendition;
import org.reelbox.control.pipeline.Task;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoTransition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's life (docs/transcoding.md §1): creates a job from an uploaded video, and advances it on
 * each completion event. Every step is idempotent, so that an event processed twice (a crash
 * between doing the work and marking the event) changes nothing the second time: tasks are inserted
 * only when absent, a task is queued only from WAITING, job and video states move by
 * compare-and-set, and deleting temp objects twice deletes nothing more.
 *
 * <h2>Progressive publishing</h2>
 *
 * Encode tasks are claimed cheapest rendition first ({@link NewTask#claimRank}, pixels × frames per
 * second), so one rendition is complete long before the others. As soon as every encode of some
 * rendition has succeeded, and so have the sink's other inputs (audio, thumbnails), an <em>early
 * package</em> task is inserted, queued at once: the sink's id plus {@link #EARLY_SUFFIX}, the same
 * {@code package} type, its {@code PackageInput} listing only the complete renditions. It writes
 * the master playlist with those renditions, and the video API shows the video as playable while it
 * is still {@code PROCESSING}. The sink (the final package) is made to depend on it as well, so it
 * always runs after it and rewrites the tree with every rendition; the packager is deterministic,
 * so the published rendition's segments and playlists get the same bytes again and players
 * mid-stream see no change, only a longer master playlist.
 *
 * <p>An encrypted job publishes early too: the early package draws the video's AES-128 key and the
 * final one encrypts with the same key (the worker reads {@code keys/{v}/0.key} back before it
 * packages), and since the IVs are the media sequence numbers the published segments keep their
 * bytes. There is no early package when the ladder has one rendition, or when the sink is no longer
 * {@code WAITING} (every input finished together). The planner's output does not change: the early
 * package exists only in the task table.
 */
public final class JobFlow {
  /** The early package's id is its sink's id followed by this (`package/early`). */
  public static final String EARLY_SUFFIX = "/early";

  private static final Logger log = LoggerFactory.getLogger(JobFlow.class);

  private final JobStore jobs;
  private final ProfileCatalog profiles;
  private final TaskInputs inputs;
  private final MetadataStore store;
  private final BlobStore blobs;
  private final Clock clock;
  private final Runnable tasksQueued;
  private final PublishListener published;

  /**
   * @param store the notifying, caching metadata store: video state changes go through it, so the
   *     cache and the event streams see them
   * @param tasksQueued called after tasks became ready, to wake long-polling claims
   */
  public JobFlow(
      JobStore jobs,
      ProfileCatalog profiles,
      TaskInputs inputs,
      MetadataStore store,
      BlobStore blobs,
      Clock clock,
      Runnable tasksQueued) {
    this(jobs, profiles, inputs, store, blobs, clock, tasksQueued, PublishListener.NONE);
  }

  /**
   * @param published told each time a job's video is marked READY (see {@link PublishListener})
   */
  public JobFlow(
      JobStore jobs,
      ProfileCatalog profiles,
      TaskInputs inputs,
      MetadataStore store,
      BlobStore blobs,
      Clock clock,
      Runnable tasksQueued,
      PublishListener published) {
    this.published = requireNonNull(published, "published");
    this.jobs = requireNonNull(jobs, "jobs");
    this.profiles = requireNonNull(profiles, "profiles");
    this.inputs = requireNonNull(inputs, "inputs");
    this.store = requireNonNull(store, "store");
    this.blobs = requireNonNull(blobs, "blobs");
    this.clock = requireNonNull(clock, "clock");
    this.tasksQueued = requireNonNull(tasksQueued, "tasksQueued");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Creates the job of an UPLOADED video with its first task queued; does nothing when the video
   * has a job already. A video whose profile or options no longer plan (the profile was removed)
   * fails at once.
   */
  public void createJob(Video video) {
    Plan plan;
    try {
      plan = profiles.plan(video.profile(), PlanOptionsJson.read(video.planOptions()));
    } catch (RuntimeException e) {
      log.warn("video {}: cannot plan its job: {}", video.id(), e.getMessage());
      store.transitionVideo(
          VideoTransition.failed(video.id(), "INTERNAL", "cannot plan: " + e.getMessage()));
      return;
    }
    List<PlannedNode> nodes = plan.nodes();
    PlannedNode first = nodes.get(0);
    String input = json(inputs.onceInput(video.id().value(), first, plan.profile().audio(), null));
    JobStore.Created created =
        jobs.createJob(
            video,
            new NewTask(first.id(), 0, taskType(first), first.stage(), List.of(), input),
            now());
    if (created.created()) {
      log.info("video {}: job {} created ({})", video.id(), created.jobId(), video.profile());
      tasksQueued.run();
    }
  }

  /**
   * Processes one completion event; safe to repeat.
   *
   * @return the job's video, or empty when the job is gone
   */
  public Optional<VideoId> process(CompletionEvent event) {
    Optional<Job> found = jobs.job(event.jobId());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Job job = found.get();
    switch (event.kind()) {
      case JOB_CREATED -> {
        if (job.state() == JobState.RUNNING) {
          store.transitionVideo(VideoTransition.processing(job.videoId()));
        }
      }
      case TASK_SUCCEEDED -> succeeded(job, event.taskId());
      case TASK_FAILED -> failed(job);
    }
    return Optional.of(job.videoId());
  }

  private void succeeded(Job job, String taskId) {
    if (job.state() == JobState.FAILED) {
      return;
    }
    JobContext ctx = new JobContext(job);
    if (job.state() == JobState.SUCCEEDED) {
      finish(ctx);
      return;
    }
    if (ctx.isEarlyPackage(taskId)) {
      log.info("video {}: published early ({})", job.videoId(), taskId);
      queueReadyDependents(ctx, taskId);
      return;
    }
    PlannedNode node = ctx.node(taskId);
    if (node.type().name().equals(NodeTypes.INSPECT)) {
      insertSourceTasks(ctx);
    } else if (node.type().producesChunks()) {
      insertExpandedTasks(ctx);
    }
    if (node.type().isSink()) {
      jobs.succeedJob(job.id(), now());
      finish(ctx);
      return;
    }
    queueReadyDependents(ctx, taskId);
    if (ctx.hasExpansion()) {
      maybePublishEarly(ctx);
    }
  }

  private void queueReadyDependents(JobContext ctx, String taskId) {
    int queued = 0;
    for (String dependent : jobs.readyDependents(ctx.job.id(), taskId)) {
      if (jobs.queue(ctx.job.id(), dependent, json(ctx.input(dependent)), now())) {
        queued++;
      }
    }
    if (queued > 0) {
      tasksQueued.run();
    }
  }

  // Progressive publishing (class comment): inserts the early package once some rendition is
  // complete and the sink's other inputs are done. Safe to repeat: the early task is inserted
  // only when absent and only while the sink is WAITING, in one transaction.
  private void maybePublishEarly(JobContext ctx) {
    PlannedNode sink = ctx.sink();
    ExpandedPlan expanded = ctx.expanded();
    if (!publishesEarly(expanded.ladder().size())) {
      return;
    }
    String earlyId = sink.id() + EARLY_SUFFIX;
    Map<String, TaskState> states = jobs.taskStates(ctx.job.id());
    if (states.containsKey(earlyId) || states.get(sink.id()) != TaskState.WAITING) {
      return;
    }
    Task sinkTask = expanded.task(sink.id()).orElseThrow();
    Map<String, List<String>> encodes = new LinkedHashMap<>();
    expanded.ladder().forEach(r -> encodes.put(r.name(), new ArrayList<>()));
    List<String> others = new ArrayList<>();
    for (String dep : sinkTask.dependsOn()) {
      Task d = expanded.task(dep).orElseThrow();
      if (d.rendition().isPresent()) {
        encodes.get(d.rendition().get().name()).add(dep);
      } else if (states.get(dep) != TaskState.SUCCEEDED) {
        return; // audio or thumbnails still running
      } else {
        others.add(dep);
      }
    }
    Set<String> complete = new HashSet<>();
    encodes.forEach(
        (name, ids) -> {
          if (ids.stream().allMatch(id -> states.get(id) == TaskState.SUCCEEDED)) {
            complete.add(name);
          }
        });
    if (complete.isEmpty() || complete.size() == encodes.size()) {
      return; // nothing to publish yet, or the final package is about to run anyway
    }
    List<String> deps = new ArrayList<>(others);
    encodes.forEach(
        (name, ids) -> {
          if (complete.contains(name)) {
            deps.addAll(ids);
          }
        });
    Map<String, String> outputs = new LinkedHashMap<>();
    jobs.dependencyOutputs(ctx.job.id(), sink.id())
        .forEach(
            (id, out) -> {
              if (deps.contains(id)) {
                outputs.put(id, out);
              }
            });
    PackageInput input =
        inputs.packageInput(
            ctx.job.videoId().value(),
            sinkTask,
            expanded,
            ctx.plan.profile().audio(),
            outputs,
            r -> complete.contains(r.name()));
    NewTask early =
        new NewTask(
            earlyId,
            expanded.tasks().indexOf(sinkTask),
            TaskType.PACKAGE,
            sinkTask.stage(),
            deps,
            json(input));
    if (jobs.insertTaskBefore(ctx.job.id(), early, sink.id(), now())) {
      log.info(
          "video {}: {} complete, publishing early ({})",
          ctx.job.videoId(),
          input.renditions().stream().map(r -> r.rendition().name()).toList(),
          earlyId);
      tasksQueued.run();
    }
  }

  // After inspect: every once-node that needs nothing downstream of a chunk producer (split,
  // audio, thumbnail in the default profile); their ids and inputs need only the source.
  private void insertSourceTasks(JobContext ctx) {
    List<PlannedNode> nodes = ctx.plan.nodes();
    Set<String> early = new HashSet<>();
    List<NewTask> add = new ArrayList<>();
    Map<String, TaskState> states = jobs.taskStates(ctx.job.id());
    for (int i = 0; i < nodes.size(); i++) {
      PlannedNode n = nodes.get(i);
      if (n.type().fanout() != Fanout.ONCE || n.type().isSink()) {
        continue;
      }
      if (n.stage() == 0) {
        early.add(n.id());
        continue;
      }
      if (!early.containsAll(n.inputs())) {
        continue;
      }
      early.add(n.id());
      boolean ready = n.inputs().stream().allMatch(in -> states.get(in) == TaskState.SUCCEEDED);
      String input = ready ? json(ctx.input(n.id())) : null;
      add.add(new NewTask(n.id(), i, taskType(n), n.stage(), n.inputs(), input));
    }
    if (jobs.insertTasks(ctx.job.id(), add, now()) > 0) {
      tasksQueued.run();
    }
  }

  // After split: the expansion gives every task; insert those not there yet.
  private void insertExpandedTasks(JobContext ctx) {
    ExpandedPlan expanded = ctx.expanded();
    Map<String, TaskState> states = jobs.taskStates(ctx.job.id());
    List<NewTask> add = new ArrayList<>();
    List<Task> tasks = expanded.tasks();
    boolean early = publishesEarly(expanded.ladder().size());
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      if (states.containsKey(t.id())) {
        continue;
      }
      boolean ready = t.dependsOn().stream().allMatch(d -> states.get(d) == TaskState.SUCCEEDED);
      String input = ready ? json(ctx.input(t.id())) : null;
      add.add(
          new NewTask(
              t.id(),
              i,
              TaskType.ofNodeType(t.type().name()).orElseThrow(),
              t.stage(),
              t.dependsOn(),
              input,
              claimRank(t),
              fuseKey(t, expanded.ladder(), early)));
    }
    int inserted = jobs.insertTasks(ctx.job.id(), add, now());
    log.info(
        "video {}: {} chunks → {} more tasks", ctx.job.videoId(), expanded.chunkCount(), inserted);
    tasksQueued.run();
  }

  /**
   * Encode tasks: the rendition's pixels × frames per second, so the cheapest rendition's chunks
   * are claimed first (progressive publishing); 0 for the rest.
   */
  static long claimRank(Task t) {
    if (!t.type().name().equals(NodeTypes.ENCODE) || t.rendition().isEmpty()) {
      return 0;
    }
    return rank(t.rendition().get());
  }

  private static long rank(Rendition r) {
    return (long) r.width()
        * r.height()
        * r.frameRate().numerator()
        / Math.max(1, r.frameRate().denominator());
  }

  /**
   * Whether a job publishes early (class comment): its ladder has at least two renditions. An
   * encrypted job does too: the final package encrypts with the key the early one published (the
   * worker reads {@code keys/{v}/0.key} back), so the segments players already fetched stay the
   * same bytes.
   *
   * @param renditions the expanded ladder's size
   */
  static boolean publishesEarly(int renditions) {
    return renditions >= 2;
  }

  /**
   * The fuse key of a task (docs/transcoding.md §8, "Fused claims"): encode tasks of the same chunk
   * share the key {@code encode/c0003} (the task id without its rendition), so a worker that fuses
   * claims them together and decodes the chunk once for all of them. Null (claimed alone) for every
   * other task, and for the cheapest rendition's encodes when the job publishes early: they are
   * claimed first, chunk by chunk, so that rendition is complete early; fused with the dearer ones,
   * they would finish only when everything does. Renditions tied for the lowest rank all stay
   * alone, since they are claimed first together.
   *
   * @param ladder the expanded ladder
   * @param publishesEarly see {@link #publishesEarly}
   */
  static String fuseKey(Task t, List<Rendition> ladder, boolean publishesEarly) {
    if (!t.type().name().equals(NodeTypes.ENCODE)
        || t.chunk().isEmpty()
        || t.rendition().isEmpty()) {
      return null;
    }
    if (publishesEarly) {
      long cheapest = ladder.stream().mapToLong(JobFlow::rank).min().orElse(Long.MAX_VALUE);
      if (rank(t.rendition().get()) <= cheapest) {
        return null;
      }
    }
    return Task.id(t.nodeId(), t.chunk().getAsInt(), null);
  }

  private void finish(JobContext ctx) {
    Long durationMs = null;
    Optional<String> packaged = ctx.outputOfSink();
    if (packaged.isPresent()) {
      durationMs = TaskInputs.read(packaged.get(), PackageOutput.class).durationMillis();
    } else if (ctx.mediaInfo() != null) {
      durationMs = ctx.mediaInfo().durationMillis();
    }
    store.transitionVideo(VideoTransition.ready(ctx.job.videoId(), durationMs));
    // After the transition and on every repeat of the event (whatever the transition's outcome),
    // so that a crash between the two is healed when the event is processed again.
    try {
      published.published(ctx.job.videoId());
    } catch (Exception e) {
      log.error("video {}: publishing its subtitles and thumbnail failed", ctx.job.videoId(), e);
    }
    deleteTemp(ctx.job);
  }

  private void failed(Job job) {
    Optional<TaskRecord> task = jobs.failedTask(job.id());
    String code = task.map(TaskRecord::errorCode).orElse("INTERNAL");
    String message = task.map(t -> t.taskId() + ": " + t.errorMessage()).orElse("the job failed");
    if (job.state() == JobState.FAILED && job.errorCode() != null) {
      code = job.errorCode();
      message = job.errorMessage();
    }
    failJob(job, code, message);
  }

  /** Fails a job, its video, and cancels what is left of it; safe to repeat. */
  public void failJob(Job job, String code, String message) {
    if (job.state() == JobState.SUCCEEDED) {
      return;
    }
    if (jobs.failJob(job.id(), code, message, now())) {
      log.warn("video {}: job {} failed with {}: {}", job.videoId(), job.id(), code, message);
    }
    store.transitionVideo(VideoTransition.failed(job.videoId(), code, message));
    deleteTemp(job);
  }

  private void deleteTemp(Job job) {
    try {
      blobs.deletePrefix(BlobLayout.tempPrefix(job.videoId().value()));
    } catch (IOException e) {
      // Left for an operator or a later sweep: the video's state is what matters.
      log.warn("video {}: cannot delete its temp objects: {}", job.videoId(), e.toString());
    }
  }

  private static TaskType taskType(PlannedNode node) {
    return TaskType.ofNodeType(node.type().name())
        .orElseThrow(
            () -> new IllegalStateException("node type " + node.type().name() + " is no task"));
  }

  private static String json(Object input) {
    return TaskAssignment.tree(input).toString();
  }

  /** What one event's processing knows about its job: the plan, and outputs read when needed. */
  private final class JobContext {
    final Job job;
    final Plan plan;
    private MediaInfo mediaInfo;
    private ExpandedPlan expanded;
    private SplitOutput split;

    JobContext(Job job) {
      this.job = job;
      this.plan = profiles.plan(job.profile(), PlanOptionsJson.read(job.planOptions()));
    }

    boolean isEarlyPackage(String taskId) {
      return taskId.equals(sink().id() + EARLY_SUFFIX);
    }

    PlannedNode sink() {
      return plan.nodes().stream()
          .filter(n -> n.type().isSink())
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("the plan has no sink"));
    }

    /** Whether the chunk producer has succeeded, so that the plan can be expanded. */
    boolean hasExpansion() {
      if (expanded != null) {
        return true;
      }
      return mediaInfo() != null
          && plan.nodes().stream()
              .filter(n -> n.type().producesChunks())
              .findFirst()
              .flatMap(n -> jobs.output(job.id(), n.id()))
              .isPresent();
    }

    PlannedNode node(String taskId) {
      int slash = taskId.indexOf('/');
      String nodeId = slash < 0 ? taskId : taskId.substring(0, slash);
      return plan.node(nodeId)
          .orElseThrow(() -> new IllegalStateException("task " + taskId + " is not in the plan"));
    }

    MediaInfo mediaInfo() {
      if (mediaInfo == null) {
        mediaInfo =
            plan.nodes().stream()
                .filter(n -> n.type().name().equals(NodeTypes.INSPECT))
                .findFirst()
                .flatMap(n -> jobs.output(job.id(), n.id()))
                .map(json -> TaskInputs.read(json, MediaInfo.class))
                .orElse(null);
      }
      return mediaInfo;
    }

    SplitOutput split() {
      if (split == null) {
        PlannedNode producer =
            plan.nodes().stream()
                .filter(n -> n.type().producesChunks())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the plan has no chunk producer"));
        split =
            TaskInputs.read(
                jobs.output(job.id(), producer.id())
                    .orElseThrow(() -> new IllegalStateException("split has no output")),
                SplitOutput.class);
      }
      return split;
    }

    ExpandedPlan expanded() {
      if (expanded == null) {
        expanded = plan.expand(TaskInputs.sourceInfo(mediaInfo()), split().chunks().size());
      }
      return expanded;
    }

    Optional<String> outputOfSink() {
      return plan.nodes().stream()
          .filter(n -> n.type().isSink())
          .findFirst()
          .flatMap(n -> jobs.output(job.id(), n.id()));
    }

    /** The input of a task whose dependencies have all succeeded. */
    Object input(String taskId) {
      PlannedNode n = node(taskId);
      String videoId = job.videoId().value();
      if (n.type().fanout() == Fanout.ONCE && !n.type().isSink() && !n.type().acceptsFilters()) {
        return inputs.onceInput(videoId, n, plan.profile().audio(), mediaInfo());
      }
      Task t =
          expanded()
              .task(taskId)
              .orElseThrow(() -> new IllegalStateException("no task " + taskId + " in the plan"));
      if (n.type().name().equals(NodeTypes.ENCODE)) {
        return inputs.encodeInput(videoId, t, expanded(), split(), keyframeSeconds());
      }
      if (n.type().name().equals(NodeTypes.PACKAGE)) {
        return inputs.packageInput(
            videoId,
            t,
            expanded(),
            plan.profile().audio(),
            jobs.dependencyOutputs(job.id(), taskId));
      }
      throw new IllegalStateException("no input is known for node type " + n.type().name());
    }

    // The encoder forces keyframes at segment boundaries: the sink's segment length.
    int keyframeSeconds() {
      return plan.nodes().stream()
          .filter(x -> x.type().isSink())
          .findFirst()
          .map(x -> TaskInputs.intParam(x.params(), "segmentSeconds"))
          .orElse(4);
    }
  }
}
