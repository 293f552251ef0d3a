package org.reelbox.encoder.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.storage.FileBlobStore;
import org.reelbox.common.work.AudioInput;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.common.work.ClaimRequest;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.InputLimits;
import org.reelbox.common.work.InspectInput;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.common.work.SplitInput;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskFailure;
import org.reelbox.common.work.TaskType;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.encoder.backend.EncoderBackend;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;

/**
 * The worker loop against a scripted control plane (a JDK HTTP server speaking the work protocol)
 * and a scripted backend: claims, lease renewal, reports and their retries, lost leases, shutdown.
 * The real control plane and real backends are exercised end to end in the packaging tests.
 */
class WorkerTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final MediaInfo INFO =
      new MediaInfo(
          "mp4",
          10,
          4000,
          1,
          new MediaInfo.VideoInfo("h264", "High", 64, 64, 0, 64, 64, 25, 1, 0, List.of()),
          null);

  @TempDir Path dir;
  private HttpServer server;
  private FileBlobStore store;
  private final ConcurrentLinkedQueue<TaskAssignment> queue = new ConcurrentLinkedQueue<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, JsonNode> completed = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, TaskFailure> failed = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger failNextReports = new AtomicInteger();
  private volatile boolean leaseLost;
  private final java.util.Set<String> lostLeases =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final List<ClaimRequest> claims = new CopyOnWriteArrayList<>();
  private volatile boolean renewUnavailable;
  private Worker worker;

  @BeforeEach
  void setUp() throws IOException {
    store = new FileBlobStore(dir.resolve("blobs"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void tearDown() {
    if (worker != null) {
      worker.close();
    }
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    byte[] body = ex.getRequestBody().readAllBytes();
    calls.add(method + " " + path);
    if (!ClusterAuth.of(SECRET).isValid(ex.getRequestHeaders().getFirst(ClusterAuth.HEADER_NAME))) {
      respond(ex, 401, "{\"error\":\"UNAUTHORIZED\",\"message\":\"no\"}");
      return;
    }
    if (path.equals("/internal/work/claim")) {
      ClaimRequest claim = Json.mapper().readValue(body, ClaimRequest.class);
      claims.add(claim);
      TaskAssignment task = queue.poll();
      if (task == null) {
        sleepQuietly(Math.min(200, claim.waitSeconds() * 1000L));
        respond(ex, 204, null);
      } else {
        respond(ex, 200, Json.write(task));
      }
    } else if (path.endsWith("/renew") && renewUnavailable) {
      respond(ex, 503, "{\"error\":\"UNAVAILABLE\",\"message\":\"cut off\"}");
    } else if (lostLeases.contains(path.split("/")[4])) {
      respond(ex, 409, "{\"error\":\"LEASE_LOST\",\"message\":\"x\"}");
    } else if (path.endsWith("/renew")) {
      respond(
          ex,
          leaseLost ? 409 : 200,
          leaseLost ? "{\"error\":\"LEASE_LOST\",\"message\":\"x\"}" : "{\"leaseSeconds\":3}");
    } else if (path.endsWith("/complete") || path.endsWith("/fail")) {
      if (leaseLost) {
        respond(ex, 409, "{\"error\":\"LEASE_LOST\",\"message\":\"x\"}");
        return;
      }
      if (failNextReports.getAndDecrement() > 0) {
        respond(ex, 503, "{\"error\":\"UNAVAILABLE\",\"message\":\"restarting\"}");
        return;
      }
      String leaseId = path.split("/")[4];
      if (path.endsWith("/complete")) {
        completed.put(leaseId, Json.mapper().readTree(body).get("output"));
      } else {
        failed.put(leaseId, Json.mapper().readValue(body, TaskFailure.class));
      }
      respond(ex, 204, null);
    } else if (method.equals("DELETE")) {
      respond(ex, 204, null);
    } else {
      respond(ex, 404, "{\"error\":\"NOT_FOUND\",\"message\":\"x\"}");
    }
  }

  private static void respond(HttpExchange ex, int status, String json) throws IOException {
    if (json == null) {
      ex.sendResponseHeaders(status, -1);
    } else {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void startWorker(EncoderBackend backend) {
    startWorker(backend, 1);
  }

  private void startWorker(EncoderBackend backend, int fuseLimit) {
    startWorker(
        backend,
        fuseLimit,
        (in, chunks, audio, hls, keys, control) -> {
          throw new TaskFailedException(FailureCode.INTERNAL, "no packager here");
        });
  }

  private void startWorker(EncoderBackend backend, int fuseLimit, Packager packager) {
    WorkClient client =
        new WorkClient("http://127.0.0.1:" + server.getAddress().getPort(), ClusterAuth.of(SECRET));
    TaskRunner runner = new TaskRunner(backend, packager, store, dir.resolve("work"));
    worker =
        new Worker(
            client,
            runner,
            new WorkerInfo("w1", "test", "fake", 2, 1, 1, List.of(), "test"),
            1,
            fuseLimit,
            new SimpleMeterRegistry());
    worker.start();
  }

  private static TaskAssignment task(String leaseId, TaskType type, Object input) {
    return new TaskAssignment(
        leaseId,
        3,
        "job1",
        "AAAAAAAAAAA",
        type.wireName(),
        type,
        1,
        60,
        TaskAssignment.tree(input));
  }

  private void putSource() throws IOException {
    store.put(
        BlobLayout.sourceKey("AAAAAAAAAAA"), new java.io.ByteArrayInputStream(new byte[10]), 10);
  }

  private static final SplitOutput.Chunk CHUNK =
      new SplitOutput.Chunk(3, BlobLayout.chunkKey("AAAAAAAAAAA", 3), 12000, 4000, 100);

  private TaskAssignment fusedGroup(String lease, String companionLease) throws IOException {
    store.put(CHUNK.key(), new java.io.ByteArrayInputStream(new byte[188]), 188);
    TaskAssignment companion = encodeTask(companionLease, "720p", 1280, 720);
    TaskAssignment primary = encodeTask(lease, "480p", 854, 480);
    return new TaskAssignment(
        primary.leaseId(),
        primary.leaseSeconds(),
        primary.jobId(),
        primary.videoId(),
        primary.taskId(),
        primary.type(),
        primary.attempt(),
        primary.timeoutSeconds(),
        primary.input(),
        List.of(companion));
  }

  private static TaskAssignment encodeTask(String leaseId, String name, int w, int h) {
    return new TaskAssignment(
        leaseId,
        3,
        "job1",
        "AAAAAAAAAAA",
        "encode/c0003/" + name,
        TaskType.ENCODE,
        1,
        60,
        TaskAssignment.tree(
            new org.reelbox.common.work.EncodeInput(
                "AAAAAAAAAAA",
                CHUNK,
                new RenditionSpec(name, w, h, 30, 1, 1, 1_000_000, "main", "3.1"),
                "veryfast",
                4,
                List.of(),
                BlobLayout.encodedChunkKey("AAAAAAAAAAA", name, 3))));
  }

  @Test
  void aFusedGroupRunsAsOneEncode_eachMemberRenewedAndReportedUnderItsOwnLease() throws Exception {
    ScriptedBackend backend = new ScriptedBackend();
    backend.encodeMillis = 1500; // long enough for a renewal (every second with 3 s leases)
    startWorker(backend, 8);
    queue.add(fusedGroup("L20", "L21"));
    await().atMost(Duration.ofSeconds(10)).until(() -> completed.size() == 2);
    assertThat(claims).allSatisfy(c -> assertThat(c.fuseLimit()).isEqualTo(8));
    assertThat(backend.encodeAllCalls.get()).isEqualTo(1);
    assertThat(backend.renditionsEncoded).containsExactly("480p", "720p");
    for (String[] member : new String[][] {{"L20", "480p"}, {"L21", "720p"}}) {
      var out =
          Json.mapper()
              .treeToValue(completed.get(member[0]), org.reelbox.common.work.EncodeOutput.class);
      assertThat(out.key()).isEqualTo(BlobLayout.encodedChunkKey("AAAAAAAAAAA", member[1], 3));
      try (var in = store.get(out.key())) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(member[1]);
      }
      assertThat(calls).contains("POST /internal/work/leases/" + member[0] + "/renew");
    }
    assertThat(failed).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.busySlots() == 0);
  }

  @Test
  void aFusedMemberLosingItsLease_stopsTheProcess_theOtherGoesBackAtOnce() throws Exception {
    ScriptedBackend backend = new ScriptedBackend();
    backend.blockEncodeUntilCancelled = new CountDownLatch(1);
    startWorker(backend, 8);
    queue.add(fusedGroup("L22", "L23"));
    assertThat(backend.blockEncodeUntilCancelled.await(10, TimeUnit.SECONDS)).isTrue();
    lostLeases.add("L23");
    await().atMost(Duration.ofSeconds(10)).until(() -> failed.containsKey("L22"));
    assertThat(failed.get("L22").recoverable()).isTrue();
    assertThat(calls).noneMatch(c -> c.endsWith("L23/complete") || c.endsWith("L23/fail"));
    assertThat(completed).isEmpty();
    assertThat(store.stat(BlobLayout.encodedChunkKey("AAAAAAAAAAA", "480p", 3))).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.busySlots() == 0);
  }

  @Test
  void aWorkerThatDoesNotFuse_claimsOneTaskAtATime() throws Exception {
    putSource();
    startWorker(new ScriptedBackend());
    queue.add(
        task(
            "L24",
            TaskType.INSPECT,
            new InspectInput(BlobLayout.sourceKey("AAAAAAAAAAA"), InputLimits.defaults())));
    await().atMost(Duration.ofSeconds(10)).until(() -> completed.containsKey("L24"));
    assertThat(claims).isNotEmpty().allSatisfy(c -> assertThat(c.fuseLimit()).isEqualTo(1));
  }

  @Test
  void anEncryptedPackage_getsTheVideosPublishedKeyInItsKeyDirectory() throws Exception {
    byte[] published = new byte[16];
    java.util.Arrays.fill(published, (byte) 7);
    store.put(BlobLayout.keyKey("AAAAAAAAAAA", 0), new java.io.ByteArrayInputStream(published), 16);
    List<byte[]> seen = new CopyOnWriteArrayList<>();
    startWorker(
        new ScriptedBackend(),
        1,
        (in, chunks, audio, hls, keys, control) -> {
          Path key = keys.resolve("0.key");
          try {
            seen.add(Files.exists(key) ? Files.readAllBytes(key) : new byte[0]);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          throw new TaskFailedException(FailureCode.INTERNAL, "seen");
        });
    for (String[] c : new String[][] {{"L30", "aes-128"}, {"L31", "none"}}) {
      queue.add(
          task(
              c[0],
              TaskType.PACKAGE,
              new org.reelbox.common.work.PackageInput(
                  "AAAAAAAAAAA",
                  4,
                  c[1],
                  List.of(),
                  new org.reelbox.common.work.AudioOutput(null, 0, 0),
                  128_000,
                  2,
                  48_000,
                  List.of())));
      await().atMost(Duration.ofSeconds(10)).until(() -> failed.containsKey(c[0]));
    }
    // The encrypted package starts from the published key; a clear one gets no key at all.
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isEqualTo(published);
    assertThat(seen.get(1)).isEmpty();
  }

  @Test
  void inspectRunsAndItsOutputIsReported() throws IOException {
    putSource();
    startWorker(new ScriptedBackend());
    queue.add(
        task(
            "L1",
            TaskType.INSPECT,
            new InspectInput(BlobLayout.sourceKey("AAAAAAAAAAA"), InputLimits.defaults())));
    await().atMost(Duration.ofSeconds(10)).until(() -> completed.containsKey("L1"));
    assertThat(Json.mapper().treeToValue(completed.get("L1"), MediaInfo.class)).isEqualTo(INFO);
  }

  @Test
  void splitChunksAreStoredUnderTheirLayoutKeys() throws IOException {
    putSource();
    startWorker(new ScriptedBackend());
    queue.add(
        task(
            "L2",
            TaskType.SPLIT,
            new SplitInput(BlobLayout.sourceKey("AAAAAAAAAAA"), 4, "AAAAAAAAAAA", INFO)));
    await().atMost(Duration.ofSeconds(10)).until(() -> completed.containsKey("L2"));
    SplitOutput out = Json.mapper().treeToValue(completed.get("L2"), SplitOutput.class);
    assertThat(out.chunks())
        .extracting(SplitOutput.Chunk::key)
        .containsExactly(
            BlobLayout.chunkKey("AAAAAAAAAAA", 0), BlobLayout.chunkKey("AAAAAAAAAAA", 1));
    assertThat(store.stat(BlobLayout.chunkKey("AAAAAAAAAAA", 1))).isPresent();
    assertThat(Files.exists(dir.resolve("work"))).isTrue();
    try (var files = Files.list(dir.resolve("work"))) {
      assertThat(files).as("work directories are deleted").isEmpty();
    }
  }

  @Test
  void aMissingInputIsReportedAsMissingInput() {
    startWorker(new ScriptedBackend());
    queue.add(
        task(
            "L3",
            TaskType.INSPECT,
            new InspectInput("originals/BBBBBBBBBBB/source", InputLimits.defaults())));
    await().atMost(Duration.ofSeconds(10)).until(() -> failed.containsKey("L3"));
    assertThat(failed.get("L3").code()).isEqualTo(FailureCode.MISSING_INPUT);
    assertThat(failed.get("L3").recoverable()).isTrue();
  }

  @Test
  void aBackendFailureIsReportedWithItsCode() throws IOException {
    putSource();
    ScriptedBackend backend = new ScriptedBackend();
    backend.inspectFailure = new TaskFailedException(FailureCode.NO_VIDEO_STREAM, "audio only");
    startWorker(backend);
    queue.add(
        task(
            "L4",
            TaskType.INSPECT,
            new InspectInput(BlobLayout.sourceKey("AAAAAAAAAAA"), InputLimits.defaults())));
    await().atMost(Duration.ofSeconds(10)).until(() -> failed.containsKey("L4"));
    assertThat(failed.get("L4"))
        .isEqualTo(new TaskFailure(FailureCode.NO_VIDEO_STREAM, "audio only", false));
  }

  @Test
  void reportsAreRetriedUntilTheControlPlaneTakesThem() throws IOException {
    putSource();
    failNextReports.set(2);
    startWorker(new ScriptedBackend());
    queue.add(
        task(
            "L5",
            TaskType.INSPECT,
            new InspectInput(BlobLayout.sourceKey("AAAAAAAAAAA"), InputLimits.defaults())));
    await().atMost(Duration.ofSeconds(15)).until(() -> completed.containsKey("L5"));
    assertThat(calls.stream().filter(c -> c.endsWith("L5/complete"))).hasSize(3);
  }

  @Test
  void aLostLeaseCancelsTheTaskAndNothingIsReported() throws Exception {
    putSource();
    ScriptedBackend backend = new ScriptedBackend();
    backend.blockInspect = new CountDownLatch(1);
    startWorker(backend);
    queue.add(
        task(
            "L6",
            TaskType.INSPECT,
            new InspectInput(BlobLayout.sourceKey("AAAAAAAAAAA"), InputLimits.defaults())));
    assertThat(backend.blockInspect.await(10, TimeUnit.SECONDS)).isTrue();
    leaseLost = true;
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.sawCancel);
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.busySlots() == 0);
    assertThat(calls).noneMatch(c -> c.endsWith("/complete") || c.endsWith("/fail"));
  }

  @Test
  void aLostLeaseHeardOnTheReport_nothingMoreIsWrittenOrRetried() throws Exception {
    putSource();
    leaseLost = true; // renewals and reports all answer 409 LEASE_LOST
    startWorker(new ScriptedBackend());
    queue.add(
        task(
            "L9",
            TaskType.INSPECT,
            new InspectInput(BlobLayout.sourceKey("AAAAAAAAAAA"), InputLimits.defaults())));
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("POST " + reportPath("L9")));
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.busySlots() == 0);
    // One report, not retried; the slot went back to claiming.
    int claimsBefore = (int) calls.stream().filter(c -> c.endsWith("/claim")).count();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> calls.stream().filter(c -> c.endsWith("/claim")).count() > claimsBefore);
    assertThat(calls.stream().filter(c -> c.contains("/L9/"))).hasSize(1);
  }

  @Test
  void aLeaseNotRenewedForALeaseLength_expiresOnTheWorker_andNothingIsWrittenOrReported()
      throws Exception {
    // Regression: a worker cut off from the control plane (renewals failing with 503 or timeouts,
    // never a 409) kept running and then wrote its outputs, though the control plane had expired
    // the lease and queued the task again: writes over the next attempt's objects, or into
    // temp/{v}/ after the job had deleted it.
    putSource();
    renewUnavailable = true;
    ScriptedBackend backend = new ScriptedBackend();
    backend.blockSplitUntilCancelled = new CountDownLatch(1);
    startWorker(backend);
    long t0 = System.nanoTime();
    queue.add(
        task(
            "L8",
            TaskType.SPLIT,
            new SplitInput(BlobLayout.sourceKey("AAAAAAAAAAA"), 4, "AAAAAAAAAAA", INFO)));
    assertThat(backend.blockSplitUntilCancelled.await(10, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.sawCancel);
    // The lease is 3 s, counted from the claim.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofSeconds(3));
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.busySlots() == 0);
    // The backend returned its chunks as if nothing happened; the runner stored none of them.
    assertThat(store.stat(BlobLayout.chunkKey("AAAAAAAAAAA", 0))).isEmpty();
    assertThat(calls).noneMatch(c -> c.endsWith("/complete") || c.endsWith("/fail"));
  }

  private static String reportPath(String leaseId) {
    return "/internal/work/leases/" + leaseId + "/complete";
  }

  @Test
  void closeReportsRunningTasksAsWorkerShutdownAndLeaves() throws Exception {
    putSource();
    ScriptedBackend backend = new ScriptedBackend();
    backend.blockInspect = new CountDownLatch(1);
    startWorker(backend);
    queue.add(
        task(
            "L7",
            TaskType.INSPECT,
            new InspectInput(BlobLayout.sourceKey("AAAAAAAAAAA"), InputLimits.defaults())));
    assertThat(backend.blockInspect.await(10, TimeUnit.SECONDS)).isTrue();
    worker.close();
    worker = null;
    assertThat(failed.get("L7").code()).isEqualTo(FailureCode.WORKER_SHUTDOWN);
    assertThat(failed.get("L7").recoverable()).isTrue();
    assertThat(calls).contains("DELETE /internal/work/workers/w1");
  }

  @Test
  void anUnreachableControlPlaneIsRetriedNotFatal() throws Exception {
    server.stop(0);
    startWorker(new ScriptedBackend());
    Thread.sleep(1500);
    assertThat(worker.busySlots()).isZero();
    // The slot is still alive and backing off; close() returns promptly.
    long t0 = System.nanoTime();
    worker.close();
    worker = null;
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(25));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.start();
  }

  /** A backend whose answers the test scripts; it writes tiny files where a real one would. */
  static final class ScriptedBackend implements EncoderBackend {
    volatile TaskFailedException inspectFailure;
    volatile CountDownLatch blockInspect;
    volatile CountDownLatch blockSplitUntilCancelled;
    volatile CountDownLatch blockEncodeUntilCancelled;
    volatile long encodeMillis;
    final AtomicInteger encodeAllCalls = new AtomicInteger();
    final List<String> renditionsEncoded = new CopyOnWriteArrayList<>();
    volatile boolean sawCancel;

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public List<String> hardwareEncoders() {
      return List.of();
    }

    @Override
    public MediaInfo inspect(Path source, InputLimits limits, TaskControl control)
        throws TaskFailedException {
      if (blockInspect != null) {
        blockInspect.countDown();
        while (!control.isCancelled()) {
          sleepQuietly(20);
        }
        sawCancel = true;
        control.checkNotCancelled();
      }
      if (inspectFailure != null) {
        throw inspectFailure;
      }
      return INFO;
    }

    @Override
    public List<SplitOutput.Chunk> split(
        Path source, MediaInfo info, int chunkSeconds, Path outDir, TaskControl control) {
      if (blockSplitUntilCancelled != null) {
        // A backend that ignores cancellation: it notices, then returns normally anyway.
        blockSplitUntilCancelled.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!control.isCancelled() && System.nanoTime() < deadline) {
          sleepQuietly(20);
        }
        sawCancel = control.isCancelled();
      }
      try {
        Files.write(outDir.resolve("c0000.ts"), new byte[188]);
        Files.write(outDir.resolve("c0001.ts"), new byte[188]);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return List.of(
          new SplitOutput.Chunk(0, "c0000.ts", 0, 2000, 50),
          new SplitOutput.Chunk(1, "c0001.ts", 2000, 2000, 50));
    }

    @Override
    public EncodedChunk encode(
        Path chunk,
        SplitOutput.Chunk chunkInfo,
        RenditionSpec rendition,
        String preset,
        int keyframeSeconds,
        List<LocalFilter> filters,
        Path out,
        TaskControl control) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<EncodedChunk> encodeAll(
        Path chunk,
        SplitOutput.Chunk chunkInfo,
        List<RenditionSpec> renditions,
        String preset,
        int keyframeSeconds,
        List<LocalFilter> filters,
        List<Path> outs,
        TaskControl control)
        throws TaskFailedException {
      encodeAllCalls.incrementAndGet();
      if (blockEncodeUntilCancelled != null) {
        blockEncodeUntilCancelled.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!control.isCancelled() && System.nanoTime() < deadline) {
          sleepQuietly(20);
        }
        control.checkNotCancelled();
      }
      sleepQuietly(encodeMillis);
      List<EncodedChunk> made = new java.util.ArrayList<>();
      for (int i = 0; i < renditions.size(); i++) {
        renditionsEncoded.add(renditions.get(i).name());
        try {
          Files.writeString(outs.get(i), renditions.get(i).name());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        made.add(new EncodedChunk(chunkInfo.frames(), chunkInfo.durationMillis(), "fake"));
      }
      return made;
    }

    @Override
    public Optional<AudioResult> audio(
        Path source, MediaInfo info, AudioInput spec, Path out, TaskControl control) {
      return Optional.empty();
    }

    @Override
    public List<Path> thumbnails(
        Path source, MediaInfo info, int count, Path image, Path outDir, TaskControl control) {
      return List.of();
    }

    @Override
    public List<Segment> segment(
        List<Path> encodedChunks,
        Path audio,
        long audioOffsetMillis,
        int segmentSeconds,
        Path outDir,
        TaskControl control) {
      return List.of();
    }
  }
}
