package org.reelbox.control.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.storage.FileBlobStore;
import org.reelbox.common.testing.MutableClock;
import org.reelbox.common.work.EncodeInput;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.PackageInput;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskFailure;
import org.reelbox.common.work.TaskType;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.control.config.WorkConfig;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoState;
import org.reelbox.control.store.VideoTransition;
import org.reelbox.control.store.internal.JdbcMetadataStore;

/**
 * The resource manager's queues, scheduler and job flow on a real database (H2 and PostgreSQL
 * subclasses), with a manual clock and without threads: events are drained and the reaper swept by
 * the test.
 */
public abstract class WorkQueueContract {
  static final String HASH = "$2a$04$abcdefghijklmnopqrstuuJ7mGk1yDkC0pW6wq0v0Hk3jO6Cq5F8W";
  static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir Path blobDir;
  protected final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  protected MetadataStore store;
  protected ResourceManager rm;
  protected WorkConfig config = new WorkConfig(30, 3, 2, 60, 90, 3600, 1000, null);

  /** A data source on an empty, migrated database. */
  protected abstract DataSource dataSource() throws Exception;

  protected void release() throws Exception {}

  private DataSource dataSource;

  @BeforeEach
  void open() throws Exception {
    DataSource ds = dataSource();
    dataSource = ds;
    store = new JdbcMetadataStore(ds, clock);
    rm =
        new ResourceManager(
            ds,
            store,
            new FileBlobStore(blobDir),
            ProfileCatalog.load(""),
            config,
            new SimpleMeterRegistry(),
            clock,
            TaskListener.NONE,
            published::add);
  }

  /** The videos the completion handler told the publish listener about, in order. */
  private final List<VideoId> published = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    release();
  }

  private int users;

  Video uploadedVideo(User owner) {
    Video v = store.createVideo(NewVideo.titled(owner.id(), "v"));
    Video up = store.transitionVideo(VideoTransition.uploaded(v.id(), 1000, SHA)).video();
    rm.uploaded(up);
    rm.drainEvents();
    return up;
  }

  /** An uploaded video whose job encodes only {@code renditions}. */
  Video uploadedVideoWithRenditions(User owner, String... renditions) {
    String list = String.join("\",\"", renditions);
    Video v =
        store.createVideo(
            NewVideo.builder(owner.id(), "v")
                .planOptions("{\"renditions\":[\"" + list + "\"]}")
                .build());
    Video up = store.transitionVideo(VideoTransition.uploaded(v.id(), 1000, SHA)).video();
    rm.uploaded(up);
    rm.drainEvents();
    return up;
  }

  User creator() {
    return store.createUser("creator" + (++users), UserRole.CREATOR, HASH);
  }

  TaskAssignment claim(WorkerInfo w) {
    return rm.tryClaim(w).orElseThrow(() -> new AssertionError("nothing to claim"));
  }

  /** Claims and completes tasks of {@code type} until none is ready. */
  void runAll(WorkerInfo w) {
    Optional<TaskAssignment> a;
    while ((a = rm.tryClaim(w)).isPresent()) {
      assertThat(rm.complete(a.get().leaseId(), Outputs.outputFor(a.get())))
          .isEqualTo(TaskQueue.Completion.COMPLETED);
      rm.drainEvents();
    }
  }

  @Test
  void readViews_jobListCountsStagedProgressAndTaskListener() throws Exception {
    List<VideoId> told = new ArrayList<>();
    ResourceManager listened =
        new ResourceManager(
            dataSource,
            store,
            new FileBlobStore(blobDir),
            ProfileCatalog.load(""),
            config,
            new SimpleMeterRegistry(),
            clock,
            told::add);
    rm = listened;
    User owner = creator();
    Video first = uploadedVideo(owner);
    clock.advance(Duration.ofSeconds(1));
    Video second = uploadedVideo(owner);
    assertThat(rm.jobCounts()).isEqualTo(new JobStore.JobCounts(0, 2));
    assertThat(rm.taskCount(TaskState.QUEUED)).isEqualTo(2);

    // Newest first, with the owner's name and counts; pages and the state filter.
    List<JobSummary> all = rm.jobList(Optional.empty(), 0, 10);
    assertThat(all).extracting(JobSummary::videoId).containsExactly(second.id(), first.id());
    assertThat(all.get(0).owner()).isEqualTo(owner.username());
    assertThat(all.get(0).title()).isEqualTo("v");
    assertThat(all.get(0).tasksTotal()).isEqualTo(1);
    assertThat(all.get(0).finishedAt()).isNull();
    assertThat(rm.jobList(Optional.empty(), 1, 1))
        .extracting(JobSummary::videoId)
        .containsExactly(first.id());
    assertThat(rm.jobList(Optional.of(JobState.SUCCEEDED), 0, 10)).isEmpty();

    // A claim tells the listener and shows in the counts and the staged progress.
    TaskAssignment inspect = claim(Outputs.cpuWorker("w1"));
    VideoId claimed = new VideoId(inspect.videoId());
    assertThat(told).containsExactly(claimed);
    assertThat(rm.jobCounts()).isEqualTo(new JobStore.JobCounts(1, 1));
    StagedProgress p = rm.stagedProgress(claimed).orElseThrow();
    assertThat(p.jobState()).isEqualTo(JobState.RUNNING);
    assertThat(p.tasksTotal()).isEqualTo(1);
    assertThat(p.stages().get(0)).isEqualTo(new StageProgress(0, List.of("inspect"), 0, 1, 0, 1));
    assertThat(p.stages().get(1).nodes()).contains("split", "audio", "thumbnail");
    assertThat(p.stages().get(1).total()).isZero();

    // A completion, then the completion handler's step (split, audio, thumbnail made): both tell.
    rm.complete(inspect.leaseId(), Outputs.outputFor(inspect));
    rm.drainEvents();
    assertThat(told).containsExactly(claimed, claimed, claimed);
    p = rm.stagedProgress(claimed).orElseThrow();
    assertThat(p.tasksDone()).isEqualTo(1);
    assertThat(p.tasksTotal()).isEqualTo(4);
    assertThat(p.stages().get(1).total()).isEqualTo(3);

    // A lease that expires tells it too.
    TaskAssignment next = claim(Outputs.cpuWorker("w1"));
    told.clear();
    clock.advance(Duration.ofSeconds(config.leaseSeconds() + 1));
    rm.sweep();
    assertThat(told).containsExactly(new VideoId(next.videoId()));

    // The DAG view maps each task to its plan node.
    JobDetail detail = rm.jobDetail(claimed).orElseThrow();
    assertThat(detail.nodes()).extracting(n -> n.id()).contains("inspect", "encode", "package");
    assertThat(detail.tasks()).extracting(t -> JobDetail.nodeOf(t.taskId())).contains("inspect");
    assertThat(rm.jobDetail(VideoId.of("ZZZZZZZZZZZ"))).isEmpty();
  }

  @Test
  void withTheHandlerRunning_aReportIsAnsweredAfterWhatItMadeReadyIsQueued() {
    rm.start(store);
    try {
      Video v = uploadedVideo(creator());
      WorkerInfo w = Outputs.cpuWorker("w1");
      // No drainEvents anywhere: each claim right after a report must find what the report
      // made ready (the handler's thread acted on it before complete() returned).
      List<String> order = new ArrayList<>();
      Optional<TaskAssignment> a;
      while ((a = rm.tryClaim(w)).isPresent()) {
        order.add(a.get().taskId());
        assertThat(rm.complete(a.get().leaseId(), Outputs.outputFor(a.get())))
            .isEqualTo(TaskQueue.Completion.COMPLETED);
      }
      assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
      assertThat(order).hasSize(38);
      // The early package came right after the cheapest rendition's last chunk, before any
      // other encode: the claim did not race the handler's insert.
      int early = order.indexOf("package" + JobFlow.EARLY_SUFFIX);
      assertThat(order.get(early - 1)).endsWith("/240p");
      assertThat(order.subList(0, early)).noneMatch(id -> id.endsWith("/360p"));
    } finally {
      rm.close();
    }
  }

  @Test
  void fullJob_workerCompletesEveryTask_videoReadyAndInputsBuiltFromOutputs() {
    Video v = uploadedVideo(creator());
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.PROCESSING);

    WorkerInfo w = Outputs.cpuWorker("w1");
    List<TaskAssignment> seen = new ArrayList<>();
    Optional<TaskAssignment> a;
    while ((a = rm.tryClaim(w)).isPresent()) {
      seen.add(a.get());
      rm.complete(a.get().leaseId(), Outputs.outputFor(a.get()));
      rm.drainEvents();
    }

    // 1 inspect + split, audio, thumbnail + 8 chunks x 4 renditions + early package + package
    assertThat(seen).hasSize(38);
    assertThat(seen.get(0).type()).isEqualTo(TaskType.INSPECT);
    assertThat(seen.get(seen.size() - 1).type()).isEqualTo(TaskType.PACKAGE);
    EncodeInput enc =
        seen.stream()
            .filter(x -> x.taskId().equals("encode/c0003/720p"))
            .findFirst()
            .orElseThrow()
            .input(EncodeInput.class);
    assertThat(enc.chunk().index()).isEqualTo(3);
    assertThat(enc.rendition().profile()).isEqualTo("high");
    assertThat(enc.rendition().level()).isEqualTo("3.1");
    assertThat(enc.rendition().frameStep()).isEqualTo(1);
    assertThat(enc.keyframeSeconds()).isEqualTo(4);
    assertThat(enc.preset()).isEqualTo("veryfast");
    assertThat(enc.outputKey()).isEqualTo("temp/" + v.id() + "/enc/720p/c0003.ts");
    PackageInput pkg = seen.get(seen.size() - 1).input(PackageInput.class);
    assertThat(pkg.renditions()).hasSize(4);
    assertThat(pkg.renditions().get(0).chunks()).hasSize(8);
    assertThat(pkg.audio().key()).isNotNull();
    assertThat(pkg.thumbnails()).hasSize(1);

    Video ready = store.findVideo(v.id()).orElseThrow();
    assertThat(ready.state()).isEqualTo(VideoState.READY);
    assertThat(ready.durationMs()).isEqualTo(30_000L);
    // The hook for the control plane's own additions (subtitles, a late thumbnail) ran once READY.
    assertThat(published).containsExactly(v.id());
    assertThat(rm.progress(v.id()).orElseThrow().tasksDone()).isEqualTo(38);
  }

  // Progressive publishing (JobFlow): every chunk of the cheapest rendition first, then an early
  // package with just that rendition (and audio, thumbnails), then the other renditions, cheapest
  // first, then the final package with every rendition, after the early one.
  @Test
  void progressive_cheapestRenditionFirst_thenEarlyPackageWithJustThatRendition() {
    Video v = uploadedVideo(creator());
    WorkerInfo w = Outputs.cpuWorker("w");
    List<TaskAssignment> seen = new ArrayList<>();
    JobProgress afterEarly = null;
    VideoState stateAfterEarly = null;
    Optional<TaskAssignment> a;
    while ((a = rm.tryClaim(w)).isPresent()) {
      seen.add(a.get());
      rm.complete(a.get().leaseId(), Outputs.outputFor(a.get()));
      rm.drainEvents();
      if (a.get().taskId().equals("package/early")) {
        afterEarly = rm.progress(v.id()).orElseThrow();
        stateAfterEarly = store.findVideo(v.id()).orElseThrow().state();
      }
    }

    List<String> order = seen.stream().map(TaskAssignment::taskId).toList();
    List<String> encodeRenditions =
        order.stream()
            .filter(id -> id.startsWith("encode/"))
            .map(id -> id.substring(id.lastIndexOf('/') + 1))
            .toList();
    List<String> expected = new ArrayList<>();
    for (String r : List.of("240p", "360p", "480p", "720p")) {
      for (int c = 0; c < Outputs.CHUNKS; c++) {
        expected.add(r);
      }
    }
    assertThat(encodeRenditions).containsExactlyElementsOf(expected);
    int early = order.indexOf("package/early");
    assertThat(order.get(early - 1)).isEqualTo("encode/c0007/240p");
    assertThat(order.get(early + 1)).isEqualTo("encode/c0000/360p");
    assertThat(order).hasSize(38).endsWith("package");

    PackageInput earlyInput = seen.get(early).input(PackageInput.class);
    assertThat(earlyInput.renditions()).hasSize(1);
    assertThat(earlyInput.renditions().get(0).rendition().name()).isEqualTo("240p");
    assertThat(earlyInput.renditions().get(0).chunks()).hasSize(Outputs.CHUNKS);
    assertThat(earlyInput.audio().key()).isNotNull();
    assertThat(earlyInput.thumbnails()).hasSize(1);
    assertThat(earlyInput.segmentSeconds()).isEqualTo(4);
    PackageInput finalInput = seen.get(seen.size() - 1).input(PackageInput.class);
    assertThat(finalInput.renditions())
        .extracting(r -> r.rendition().name())
        .containsExactly("720p", "480p", "360p", "240p");
    // The early package's rendition is packaged again from the same chunks, in the same order.
    assertThat(finalInput.renditions().get(3)).isEqualTo(earlyInput.renditions().get(0));

    assertThat(stateAfterEarly).isEqualTo(VideoState.PROCESSING);
    assertThat(afterEarly.publishedRenditions()).containsExactly("240p");
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
  }

  @Test
  void progressive_eventsProcessedTwice_oneEarlyPackageAndTheFinalStillWaitsForIt() {
    Video v = uploadedVideo(creator());
    WorkerInfo w = Outputs.cpuWorker("w");
    JobStore jobs = jobs();
    List<CompletionEvent> events = new ArrayList<>();
    Optional<TaskAssignment> a;
    while ((a = rm.tryClaim(w)).isPresent()) {
      rm.complete(a.get().leaseId(), Outputs.outputFor(a.get()));
      events.addAll(jobs.pendingEvents(100));
      rm.drainEvents();
      if (a.get().taskId().equals("package/early")) {
        break;
      }
    }
    List<TaskRecord> once = rm.tasksOf(v.id());
    assertThat(once).extracting(TaskRecord::taskId).contains("package/early");

    for (CompletionEvent e : events) {
      handler().processOne(e);
    }

    assertThat(rm.tasksOf(v.id())).isEqualTo(once);
    TaskRecord sink =
        once.stream().filter(t -> t.taskId().equals("package")).findFirst().orElseThrow();
    assertThat(sink.state()).isEqualTo(TaskState.WAITING);
    runAll(w);
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
    assertThat(rm.tasksOf(v.id())).hasSize(38);
  }

  /** Replaces {@link #rm} with one whose default profile encrypts (AES-128): no early package. */
  private void useEncryptedProfile() throws Exception {
    Path profiles = blobDir.resolve("profiles");
    Files.createDirectories(profiles);
    Path shipped = Path.of("..", "conf", "pipelines", "default.yaml");
    Files.writeString(
        profiles.resolve("default.yaml"),
        Files.readString(shipped).replace("encryption: none", "encryption: aes-128"));
    rm =
        new ResourceManager(
            dataSource,
            store,
            new FileBlobStore(blobDir),
            ProfileCatalog.load(profiles.toString()),
            config,
            new SimpleMeterRegistry(),
            clock);
  }

  @Test
  void progressive_encrypted_earlyPackageToo_theFinalOneAfterIt() throws Exception {
    // The final package reuses the early one's AES-128 key (the worker reads it back), so an
    // encrypted video is published early like any other.
    useEncryptedProfile();
    Video v = uploadedVideo(creator());
    runAll(Outputs.cpuWorker("w"));
    List<TaskRecord> tasks = rm.tasksOf(v.id());
    assertThat(tasks).extracting(TaskRecord::taskId).contains("package/early");
    TaskRecord early =
        tasks.stream().filter(t -> t.taskId().equals("package/early")).findFirst().orElseThrow();
    TaskRecord last =
        tasks.stream().filter(t -> t.taskId().equals("package")).findFirst().orElseThrow();
    assertThat(last.startedAt()).isAfterOrEqualTo(early.finishedAt());
    assertThat(TaskInputs.read(early.input(), PackageInput.class).encryption())
        .isEqualTo(PackageInput.AES_128);
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
  }

  @Test
  void progressive_oneRendition_noEarlyPackage() {
    Video v = uploadedVideoWithRenditions(creator(), "360p");
    runAll(Outputs.cpuWorker("w"));
    assertThat(rm.tasksOf(v.id())).extracting(TaskRecord::taskId).doesNotContain("package/early");
    assertThat(rm.tasksOf(v.id())).hasSize(1 + 3 + Outputs.CHUNKS + 1);
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
  }

  @Test
  void uploaded_twice_oneJob() {
    User u = creator();
    Video v = uploadedVideo(u);
    rm.uploaded(store.findVideo(v.id()).orElseThrow());
    rm.drainEvents();
    assertThat(rm.tasksOf(v.id())).hasSize(1);
  }

  @Test
  void claim_concurrentClaimers_noTaskHandedOutTwice() throws Exception {
    User u = creator();
    for (int i = 0; i < 10; i++) {
      uploadedVideo(u);
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    Set<String> claimed = ConcurrentHashMap.newKeySet();
    List<String> all = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<String>>> futures = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      WorkerInfo w = Outputs.cpuWorker("w" + t);
      futures.add(
          pool.submit(
              () -> {
                go.await();
                List<String> mine = new ArrayList<>();
                Optional<TaskAssignment> a;
                while ((a = rm.tryClaim(w)).isPresent()) {
                  mine.add(a.get().jobId() + ":" + a.get().taskId());
                }
                return mine;
              }));
    }
    go.countDown();
    for (Future<List<String>> f : futures) {
      all.addAll(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    claimed.addAll(all);
    assertThat(all).hasSize(10).hasSameSizeAs(claimed);
  }

  @Test
  void claim_ordering_priorityThenStageThenFairShareThenAge() {
    User heavy = creator();
    User light = creator();
    Video a1 = uploadedVideo(heavy);
    Video a2 = uploadedVideo(heavy);
    Video b1 = uploadedVideo(light);
    WorkerInfo w = Outputs.cpuWorker("w");
    // heavy's first upload is the oldest: it goes first.
    assertThat(claim(w).videoId()).isEqualTo(a1.id().value());
    // heavy now runs one task, light none: light's upload beats heavy's older second one.
    assertThat(claim(w).videoId()).isEqualTo(b1.id().value());
    assertThat(claim(w).videoId()).isEqualTo(a2.id().value());
  }

  @Test
  void claim_earlierStageFirst() {
    User u = creator();
    Video old = uploadedVideo(u);
    WorkerInfo w = Outputs.cpuWorker("w");
    TaskAssignment inspect = claim(w);
    rm.complete(inspect.leaseId(), Outputs.outputFor(inspect));
    rm.drainEvents();
    Video young = uploadedVideo(creator());
    // old has split/audio/thumbnail (stage 1) ready; young's inspect (stage 0) goes first.
    assertThat(claim(w).videoId()).isEqualTo(young.id().value());
    assertThat(claim(w).videoId()).isEqualTo(old.id().value());
  }

  @Test
  void claim_hardwareWorkerTakesEncodesFirst_cpuWorkerTheRest() {
    User u = creator();
    uploadedVideo(u);
    WorkerInfo cpu = Outputs.cpuWorker("cpu");
    WorkerInfo gpu = Outputs.gpuWorker("gpu");
    for (TaskType step : List.of(TaskType.INSPECT, TaskType.SPLIT)) {
      TaskAssignment a = claim(cpu);
      assertThat(a.type()).isEqualTo(step);
      rm.complete(a.leaseId(), Outputs.outputFor(a));
      rm.drainEvents();
    }
    // audio, thumbnail and 32 encodes are ready now.
    assertThat(claim(gpu).type()).isEqualTo(TaskType.ENCODE);
    assertThat(claim(cpu).type()).isIn(TaskType.AUDIO, TaskType.THUMBNAIL);
    assertThat(claim(gpu).type()).isEqualTo(TaskType.ENCODE);
  }

  @Test
  void lease_expired_taskReassignedWithNewLeaseAndOldLeaseLost() {
    uploadedVideo(creator());
    WorkerInfo w1 = Outputs.cpuWorker("w1");
    TaskAssignment first = claim(w1);
    assertThat(rm.renew(first.leaseId())).isPresent();

    clock.advance(Duration.ofSeconds(31));
    rm.sweep();

    TaskAssignment second = claim(Outputs.cpuWorker("w2"));
    assertThat(second.taskId()).isEqualTo(first.taskId());
    assertThat(second.leaseId()).isNotEqualTo(first.leaseId());
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(rm.renew(first.leaseId())).isEmpty();
    assertThat(rm.complete(first.leaseId(), Outputs.outputFor(first)))
        .isEqualTo(TaskQueue.Completion.LEASE_LOST);
    assertThat(rm.fail(first.leaseId(), TaskFailure.of(FailureCode.INTERNAL, "late"))).isFalse();
    assertThat(rm.complete(second.leaseId(), Outputs.outputFor(second)))
        .isEqualTo(TaskQueue.Completion.COMPLETED);
    // A repeated completion with the winning lease is acknowledged.
    assertThat(rm.complete(second.leaseId(), Outputs.outputFor(second)))
        .isEqualTo(TaskQueue.Completion.ALREADY_COMPLETED);
  }

  @Test
  void recoverableFailure_backsOffThenRetries_untilTheLimitFailsTheVideo() {
    Video v = uploadedVideo(creator());
    WorkerInfo w = Outputs.cpuWorker("w");
    TaskAssignment a1 = claim(w);
    assertThat(rm.fail(a1.leaseId(), TaskFailure.of(FailureCode.ENCODER_FAILED, "boom"))).isTrue();
    assertThat(rm.tryClaim(w)).isEmpty(); // backing off for 2 s
    clock.advance(Duration.ofSeconds(2));
    TaskAssignment a2 = claim(w);
    assertThat(a2.attempt()).isEqualTo(2);
    rm.fail(a2.leaseId(), TaskFailure.of(FailureCode.ENCODER_FAILED, "boom"));
    clock.advance(Duration.ofSeconds(3));
    assertThat(rm.tryClaim(w)).isEmpty(); // 4 s the second time
    clock.advance(Duration.ofSeconds(1));
    TaskAssignment a3 = claim(w);
    assertThat(a3.attempt()).isEqualTo(3);
    rm.fail(a3.leaseId(), TaskFailure.of(FailureCode.ENCODER_FAILED, "boom 3"));
    rm.drainEvents();

    Video failed = store.findVideo(v.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(VideoState.FAILED);
    assertThat(failed.errorCode()).isEqualTo("ENCODER_FAILED");
    assertThat(failed.errorMessage()).contains("boom 3");
    assertThat(rm.tryClaim(w)).isEmpty();
  }

  @Test
  void nonRecoverableFailure_failsAtOnceAndCancelsTheRest() {
    Video v = uploadedVideo(creator());
    WorkerInfo w = Outputs.cpuWorker("w");
    TaskAssignment inspect = claim(w);
    rm.complete(inspect.leaseId(), Outputs.outputFor(inspect));
    rm.drainEvents();
    TaskAssignment split = claim(w);
    TaskAssignment other = claim(w);
    rm.fail(split.leaseId(), TaskFailure.of(FailureCode.CORRUPT_INPUT, "truncated"));
    rm.drainEvents();

    Video failed = store.findVideo(v.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(VideoState.FAILED);
    assertThat(failed.errorCode()).isEqualTo("CORRUPT_INPUT");
    assertThat(rm.tasksOf(v.id()))
        .extracting(TaskRecord::state)
        .containsExactlyInAnyOrder(
            TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED, TaskState.CANCELLED);
    assertThat(rm.renew(other.leaseId())).isEmpty();
    assertThat(rm.tryClaim(w)).isEmpty();
  }

  @Test
  void jcodecCannotReadTheSource_ffmpegWorkerAlive_jobMovesToFfmpegWorkers() {
    Video v = uploadedVideo(creator());
    WorkerInfo jcodec = Outputs.jcodecWorker("j");
    WorkerInfo ffmpeg = Outputs.cpuWorker("f");
    rm.heartbeat(ffmpeg);
    rm.heartbeat(jcodec);
    TaskAssignment inspect = claim(jcodec);
    assertThat(rm.fail(inspect.leaseId(), TaskFailure.of(FailureCode.UNSUPPORTED_CODEC, "hevc")))
        .isTrue();
    rm.drainEvents();

    assertThat(store.findVideo(v.id()).orElseThrow().state()).isNotEqualTo(VideoState.FAILED);
    assertThat(rm.tryClaim(jcodec)).as("the job is pinned to ffmpeg workers").isEmpty();
    TaskAssignment again = claim(ffmpeg);
    assertThat(again.taskId()).isEqualTo("inspect");
    assertThat(again.attempt()).as("a reroute does not count as an attempt").isEqualTo(1);
    rm.complete(again.leaseId(), Outputs.outputFor(again));
    rm.drainEvents();
    assertThat(rm.tryClaim(jcodec)).as("later tasks stay on ffmpeg").isEmpty();
    runAll(ffmpeg);
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
  }

  @Test
  void jcodecCannotReadTheSource_noFfmpegWorker_failsWithTheCode() {
    Video v = uploadedVideo(creator());
    WorkerInfo jcodec = Outputs.jcodecWorker("j");
    rm.heartbeat(jcodec);
    TaskAssignment inspect = claim(jcodec);
    rm.fail(inspect.leaseId(), TaskFailure.of(FailureCode.UNSUPPORTED_CODEC, "hevc"));
    rm.drainEvents();

    Video failed = store.findVideo(v.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(VideoState.FAILED);
    assertThat(failed.errorCode()).isEqualTo("UNSUPPORTED_CODEC");
  }

  @Test
  void completionEvent_processedTwice_changesNothing() {
    Video v = uploadedVideo(creator());
    WorkerInfo w = Outputs.cpuWorker("w");
    TaskAssignment inspect = claim(w);
    rm.complete(inspect.leaseId(), Outputs.outputFor(inspect));
    JobStore jobs = jobs();
    CompletionEvent event = jobs.pendingEvents(10).get(0);
    rm.drainEvents();
    List<TaskRecord> once = rm.tasksOf(v.id());
    handler().processOne(event);
    assertThat(rm.tasksOf(v.id())).isEqualTo(once);
    assertThat(once).hasSize(4);
  }

  @Test
  void workerLeaves_itsTasksGoBackAtOnceWithoutCountingAnAttempt() {
    uploadedVideo(creator());
    WorkerInfo w = Outputs.cpuWorker("w");
    rm.heartbeat(w);
    TaskAssignment a = claim(w);
    assertThat(rm.workers()).hasSize(1);
    assertThat(rm.leave("w")).isTrue();
    assertThat(rm.workers()).isEmpty();
    assertThat(rm.renew(a.leaseId())).isEmpty();
    TaskAssignment again = claim(Outputs.cpuWorker("w2"));
    assertThat(again.taskId()).isEqualTo(a.taskId());
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(rm.leave("nobody")).isFalse();
  }

  @Test
  void workerShutdownReport_onTheLastAttempt_queuedAtOnceWithoutCountingIt() {
    // Regression: WORKER_SHUTDOWN was an ordinary recoverable failure, so a worker stopped
    // gracefully (SIGTERM, a rolling upgrade) put its task behind a back-off and, on the last
    // allowed attempt, failed the whole job.
    Video v = uploadedVideo(creator());
    WorkerInfo w = Outputs.cpuWorker("w");
    TaskAssignment a = null;
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      a = claim(w);
      assertThat(a.attempt()).isEqualTo(attempt);
      if (attempt < config.maxAttempts()) {
        rm.fail(a.leaseId(), TaskFailure.of(FailureCode.ENCODER_FAILED, "boom"));
        clock.advance(Duration.ofSeconds(60));
      }
    }
    TaskAssignment last = a;
    assertThat(
            rm.fail(
                last.leaseId(),
                TaskFailure.of(FailureCode.WORKER_SHUTDOWN, "the worker is shutting down")))
        .isTrue();
    rm.drainEvents();

    // No back-off, same attempt number, the old lease fenced off, the video still processing.
    TaskAssignment again = claim(Outputs.cpuWorker("w2"));
    assertThat(again.taskId()).isEqualTo(last.taskId());
    assertThat(again.attempt()).isEqualTo(config.maxAttempts());
    assertThat(rm.renew(last.leaseId())).isEmpty();
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.PROCESSING);
    assertThat(rm.tasksOf(v.id()))
        .filteredOn(t -> t.taskId().equals(last.taskId()))
        .extracting(TaskRecord::errorCode)
        .containsExactly("WORKER_SHUTDOWN");
  }

  @Test
  void heartbeat_newWorkersSlotsClaimAtOnce_noneFails() throws Exception {
    // Regression: a worker's slots make their first claims together; each heartbeat found no row
    // and inserted one, the losers hit the primary key and their claims answered 503.
    int slots = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(slots);
    try {
      for (int n = 0; n < 10; n++) {
        WorkerInfo w = Outputs.cpuWorker("fresh-" + n);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(slots);
        List<java.util.concurrent.Future<?>> claims = new java.util.ArrayList<>();
        for (int i = 0; i < slots; i++) {
          claims.add(
              pool.submit(
                  () -> {
                    together.await();
                    rm.heartbeat(w);
                    return null;
                  }));
        }
        for (java.util.concurrent.Future<?> claim : claims) {
          claim.get(); // throws if a heartbeat failed
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(rm.workers()).hasSize(10);
  }

  @Test
  void silentWorker_droppedFromTheWorkerQueue() {
    rm.heartbeat(Outputs.cpuWorker("w"));
    clock.advance(Duration.ofSeconds(91));
    rm.sweep();
    assertThat(rm.workers()).isEmpty();
  }

  // ---- fused claims (TaskQueue class comment, docs/transcoding.md §8)

  /** Uploads a video and runs inspect, split, audio and thumbnail: 32 encodes are ready. */
  Video splitJob(User owner) {
    Video v = uploadedVideo(owner);
    WorkerInfo w = Outputs.cpuWorker("setup");
    for (TaskType step :
        List.of(TaskType.INSPECT, TaskType.SPLIT, TaskType.AUDIO, TaskType.THUMBNAIL)) {
      TaskAssignment a = claim(w);
      assertThat(a.type()).isEqualTo(step);
      assertThat(rm.complete(a.leaseId(), Outputs.outputFor(a)))
          .isEqualTo(TaskQueue.Completion.COMPLETED);
      rm.drainEvents();
    }
    return v;
  }

  TaskAssignment claim(WorkerInfo w, int fuseLimit) {
    return rm.tryClaim(w, fuseLimit).orElseThrow(() -> new AssertionError("nothing to claim"));
  }

  /** Claims with {@code fuseLimit} until nothing is ready, completing every task of each group. */
  List<TaskAssignment> runAllFused(WorkerInfo w, int fuseLimit) {
    List<TaskAssignment> claims = new ArrayList<>();
    Optional<TaskAssignment> a;
    while ((a = rm.tryClaim(w, fuseLimit)).isPresent()) {
      claims.add(a.get());
      for (TaskAssignment t : a.get().group()) {
        assertThat(rm.complete(t.leaseId(), Outputs.outputFor(t)))
            .as(t.taskId())
            .isEqualTo(TaskQueue.Completion.COMPLETED);
      }
      rm.drainEvents();
    }
    return claims;
  }

  private static List<String> ids(TaskAssignment a) {
    return a.group().stream().map(TaskAssignment::taskId).toList();
  }

  private TaskState stateOf(Video v, String taskId) {
    return rm.tasksOf(v.id()).stream()
        .filter(t -> t.taskId().equals(taskId))
        .findFirst()
        .orElseThrow()
        .state();
  }

  @Test
  void fusedClaim_limitOne_noCompanionsAndTheOrderOfToday() {
    Video v = uploadedVideo(creator());
    List<TaskAssignment> claims = runAllFused(Outputs.cpuWorker("w"), 1);

    assertThat(claims).hasSize(38).allSatisfy(a -> assertThat(a.companions()).isEmpty());
    List<String> encodes =
        claims.stream()
            .map(TaskAssignment::taskId)
            .filter(id -> id.startsWith("encode/"))
            .map(id -> id.substring(id.lastIndexOf('/') + 1))
            .toList();
    List<String> expected = new ArrayList<>();
    for (String r : List.of("240p", "360p", "480p", "720p")) {
      for (int c = 0; c < Outputs.CHUNKS; c++) {
        expected.add(r);
      }
    }
    assertThat(encodes).containsExactlyElementsOf(expected);
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
  }

  @Test
  void fusedClaim_cheapestRenditionAloneFirst_thenOneChunksOtherRenditionsTogether() {
    // One owner, so that fair share does not move to the other job while this one runs tasks.
    User owner = creator();
    Video v = splitJob(owner);
    Video other = splitJob(owner);
    WorkerInfo w = Outputs.cpuWorker("w");

    // Progressive publishing: the cheapest rendition's chunks one by one, then its early package.
    for (int c = 0; c < Outputs.CHUNKS; c++) {
      TaskAssignment a = claim(w, 8);
      assertThat(a.videoId()).isEqualTo(v.id().value());
      assertThat(ids(a)).containsExactly(String.format("encode/c%04d/240p", c));
      rm.complete(a.leaseId(), Outputs.outputFor(a));
      rm.drainEvents();
    }
    TaskAssignment early = claim(w, 8);
    assertThat(ids(early)).containsExactly("package/early");
    rm.complete(early.leaseId(), Outputs.outputFor(early));
    rm.drainEvents();
    assertThat(rm.progress(v.id()).orElseThrow().publishedRenditions()).containsExactly("240p");

    // Then every other rendition of chunk 0 in one claim, cheapest first, each its own lease.
    TaskAssignment group = claim(w, 8);
    assertThat(ids(group))
        .containsExactly("encode/c0000/360p", "encode/c0000/480p", "encode/c0000/720p");
    assertThat(group.group())
        .allSatisfy(
            t -> {
              assertThat(t.jobId()).isEqualTo(group.jobId());
              assertThat(t.videoId()).isEqualTo(v.id().value());
              assertThat(t.type()).isEqualTo(TaskType.ENCODE);
              assertThat(t.attempt()).isEqualTo(1);
              assertThat(t.leaseSeconds()).isEqualTo(config.leaseSeconds());
              assertThat(stateOf(v, t.taskId())).isEqualTo(TaskState.RUNNING);
            });
    assertThat(group.companions()).allSatisfy(c -> assertThat(c.companions()).isEmpty());
    assertThat(group.group().stream().map(TaskAssignment::leaseId).distinct()).hasSize(3);
    assertThat(group.companions().get(1).input(EncodeInput.class).outputKey())
        .isEqualTo("temp/" + v.id() + "/enc/720p/c0000.ts");

    // The limit bounds the group (cheapest first); the next group is the next chunk's, never
    // mixed with the task that the limit left behind.
    TaskAssignment two = claim(w, 2);
    assertThat(ids(two)).containsExactly("encode/c0001/360p", "encode/c0001/480p");
    assertThat(stateOf(v, "encode/c0001/720p")).isEqualTo(TaskState.QUEUED);
    TaskAssignment next = claim(w, 8);
    assertThat(ids(next))
        .containsExactly("encode/c0002/360p", "encode/c0002/480p", "encode/c0002/720p");
    // The other job's tasks were never companions: all still queued.
    assertThat(rm.tasksOf(other.id()))
        .filteredOn(t -> t.type() == TaskType.ENCODE)
        .extracting(TaskRecord::state)
        .containsOnly(TaskState.QUEUED);
  }

  @Test
  void fusedClaim_fullJobs_oneGroupPerChunk_videosReadyAsBefore() {
    Video a = uploadedVideo(creator());
    Video b = uploadedVideo(creator());
    List<TaskAssignment> claims = runAllFused(Outputs.cpuWorker("w"), 8);

    for (Video v : List.of(a, b)) {
      List<TaskAssignment> mine =
          claims.stream().filter(c -> c.videoId().equals(v.id().value())).toList();
      // inspect, split, audio, thumbnail, 8 × 240p, early package, 8 groups, package.
      assertThat(mine).hasSize(4 + 8 + 1 + 8 + 1);
      List<TaskAssignment> groups = mine.stream().filter(c -> !c.companions().isEmpty()).toList();
      assertThat(groups).hasSize(Outputs.CHUNKS);
      for (TaskAssignment g : groups) {
        String chunk = g.taskId().substring(0, "encode/c0000".length());
        assertThat(ids(g)).containsExactly(chunk + "/360p", chunk + "/480p", chunk + "/720p");
        assertThat(g.group()).allSatisfy(t -> assertThat(t.jobId()).isEqualTo(g.jobId()));
      }
      assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
      assertThat(rm.tasksOf(v.id()))
          .hasSize(38)
          .extracting(TaskRecord::state)
          .containsOnly(TaskState.SUCCEEDED);
      assertThat(rm.progress(v.id()).orElseThrow().tasksDone()).isEqualTo(38);
    }
  }

  @Test
  void fusedClaim_oneRendition_everyTaskAlone_noEarlyPackage() {
    // A job that cannot publish early has no preview rendition: with one rendition there is
    // nothing to fuse either, and each chunk's only encode is claimed alone.
    Video v = uploadedVideoWithRenditions(creator(), "360p");
    List<TaskAssignment> groups = runAllFused(Outputs.cpuWorker("w"), 8);
    assertThat(groups).allSatisfy(g -> assertThat(g.companions()).isEmpty());
    assertThat(rm.tasksOf(v.id())).extracting(TaskRecord::taskId).doesNotContain("package/early");
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
  }

  @Test
  void fusedClaim_encrypted_cheapestRenditionAloneFirst_thenChunkGroups() throws Exception {
    useEncryptedProfile();
    Video v = splitJob(creator());
    WorkerInfo w = Outputs.cpuWorker("w");
    List<TaskAssignment> groups = runAllFused(w, 8);
    // The 240p chunks alone, the early package, the other three renditions of each chunk
    // together, the final package.
    assertThat(groups).hasSize(Outputs.CHUNKS + 1 + Outputs.CHUNKS + 1);
    assertThat(groups.subList(0, Outputs.CHUNKS))
        .allSatisfy(
            g -> {
              assertThat(g.taskId()).endsWith("/240p");
              assertThat(g.companions()).isEmpty();
            });
    assertThat(groups.get(Outputs.CHUNKS).taskId()).isEqualTo("package/early");
    assertThat(groups.subList(Outputs.CHUNKS + 1, 2 * Outputs.CHUNKS + 1))
        .allSatisfy(g -> assertThat(g.group()).hasSize(3));
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
  }

  @Test
  void fusedClaim_eachLeaseRenewsCompletesFailsAndExpiresOnItsOwn() {
    Video v = splitJob(creator());
    WorkerInfo w = Outputs.cpuWorker("w");
    // The 240p chunks and the early package first, each alone.
    for (int i = 0; i < Outputs.CHUNKS + 1; i++) {
      TaskAssignment alone = claim(w, 8);
      assertThat(alone.companions()).isEmpty();
      rm.complete(alone.leaseId(), Outputs.outputFor(alone));
      rm.drainEvents();
    }
    assertThat(stateOf(v, "package/early")).isEqualTo(TaskState.SUCCEEDED);
    TaskAssignment group = claim(w, 8);
    assertThat(ids(group))
        .containsExactly("encode/c0000/360p", "encode/c0000/480p", "encode/c0000/720p");
    TaskAssignment p360 = group;
    TaskAssignment p480 = group.companions().get(0);
    TaskAssignment p720 = group.companions().get(1);

    clock.advance(Duration.ofSeconds(20));
    assertThat(rm.renew(p360.leaseId())).isPresent();
    assertThat(rm.renew(p480.leaseId())).isPresent();
    clock.advance(Duration.ofSeconds(11));
    rm.sweep();

    // Only the lease that was not renewed expired, and its task is queued again like any other.
    assertThat(stateOf(v, p720.taskId())).isEqualTo(TaskState.QUEUED);
    assertThat(rm.renew(p720.leaseId())).isEmpty();
    assertThat(rm.complete(p720.leaseId(), Outputs.outputFor(p720)))
        .isEqualTo(TaskQueue.Completion.LEASE_LOST);
    assertThat(rm.complete(p360.leaseId(), Outputs.outputFor(p360)))
        .isEqualTo(TaskQueue.Completion.COMPLETED);
    assertThat(rm.fail(p480.leaseId(), TaskFailure.of(FailureCode.ENCODER_FAILED, "boom")))
        .isTrue();
    rm.drainEvents();
    assertThat(stateOf(v, p360.taskId())).isEqualTo(TaskState.SUCCEEDED);
    assertThat(stateOf(v, p480.taskId())).isEqualTo(TaskState.QUEUED);

    // Both come back with a new lease and attempt 2; the job ends as before.
    clock.advance(Duration.ofSeconds(2));
    List<TaskAssignment> rest = runAllFused(w, 8);
    List<TaskAssignment> retried =
        rest.stream()
            .flatMap(g -> g.group().stream())
            .filter(t -> t.taskId().startsWith("encode/c0000/"))
            .toList();
    assertThat(retried)
        .extracting(TaskAssignment::taskId)
        .containsExactlyInAnyOrder(p480.taskId(), p720.taskId());
    assertThat(retried).allSatisfy(t -> assertThat(t.attempt()).isEqualTo(2));
    assertThat(store.findVideo(v.id()).orElseThrow().state()).isEqualTo(VideoState.READY);
  }

  @Test
  void fusedClaim_companionInBackOffOrRunning_notTaken() {
    Video v = splitJob(creator());
    // A hardware worker takes every encode alone (32 leases), nothing else being ready.
    WorkerInfo gpu = Outputs.gpuWorker("g");
    java.util.Map<String, TaskAssignment> held = new java.util.HashMap<>();
    Optional<TaskAssignment> a;
    while ((a = rm.tryClaim(gpu)).isPresent()) {
      held.put(a.get().taskId(), a.get());
    }
    assertThat(held).hasSize(4 * Outputs.CHUNKS);
    TaskFailure boom = TaskFailure.of(FailureCode.ENCODER_FAILED, "boom");
    // 240p, 360p and 720p of chunk 0 ready again in 2 s; 480p a second later.
    rm.fail(held.get("encode/c0000/240p").leaseId(), boom);
    rm.fail(held.get("encode/c0000/360p").leaseId(), boom);
    rm.fail(held.get("encode/c0000/720p").leaseId(), boom);
    clock.advance(Duration.ofSeconds(1));
    rm.fail(held.get("encode/c0000/480p").leaseId(), boom);
    clock.advance(Duration.ofSeconds(1));

    // The cheapest rendition never fuses; 480p is backing off; chunk 1 is running.
    assertThat(ids(claim(gpu, 8))).containsExactly("encode/c0000/240p");
    TaskAssignment group = claim(gpu, 8);
    assertThat(ids(group)).containsExactly("encode/c0000/360p", "encode/c0000/720p");
    assertThat(group.group()).allSatisfy(t -> assertThat(t.attempt()).isEqualTo(2));
    assertThat(rm.tryClaim(gpu, 8)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(ids(claim(gpu, 8))).containsExactly("encode/c0000/480p");
    assertThat(stateOf(v, "encode/c0000/480p")).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void fusedClaim_concurrentClaimers_noTaskHandedOutTwice() throws Exception {
    User u = creator();
    for (int i = 0; i < 3; i++) {
      splitJob(u);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<TaskAssignment>>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      WorkerInfo w = Outputs.cpuWorker("w" + t);
      futures.add(
          pool.submit(
              () -> {
                go.await();
                List<TaskAssignment> mine = new ArrayList<>();
                Optional<TaskAssignment> a;
                while ((a = rm.tryClaim(w, 8)).isPresent()) {
                  mine.add(a.get());
                }
                return mine;
              }));
    }
    go.countDown();
    List<TaskAssignment> groups = new ArrayList<>();
    for (Future<List<TaskAssignment>> f : futures) {
      groups.addAll(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();

    List<String> all =
        groups.stream()
            .flatMap(g -> g.group().stream())
            .map(t -> t.jobId() + ":" + t.taskId())
            .toList();
    assertThat(all).hasSize(3 * 4 * Outputs.CHUNKS).doesNotHaveDuplicates();
    for (TaskAssignment g : groups) {
      String chunk = g.taskId().substring(0, "encode/c0000".length());
      assertThat(g.group())
          .allSatisfy(
              t -> {
                assertThat(t.jobId()).isEqualTo(g.jobId());
                assertThat(t.taskId()).startsWith(chunk + "/");
              });
    }
  }

  private JobStore jobs() {
    return rm.jobs();
  }

  private CompletionHandler handler() {
    return rm.handler();
  }
}
