package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.launcher.FaultTestSupport.LONG;
import static org.reelbox.launcher.FaultTestSupport.awaitReady;
import static org.reelbox.launcher.FaultTestSupport.awaitTasks;
import static org.reelbox.launcher.FaultTestSupport.isEncode;
import static org.reelbox.launcher.FaultTestSupport.secondsSince;
import static org.reelbox.launcher.FaultTestSupport.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.launcher.client.ApiClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An encoder worker dies mid-encode (docs/transcoding.md, "Faults"). The appliance runs in this JVM
 * ({@link AllInOne}, whose in-process encoder worker is where the task goes next); the victim is a
 * second encoder worker, its own JVM from the packaged {@code reelbox.jar} ({@code reelbox run
 * encoder}) on the same cluster secret, blob store and control plane.
 *
 * <p>The victim's ffmpeg is the gated stand-in of {@link FaultTestSupport#gatedFfmpeg}, whose gate
 * never opens: once the victim holds an encode, it holds it until the fault, so "mid-encode" is an
 * observed state (the task RUNNING on its worker id, {@code host-PID-xxxx}), not a lucky moment.
 */
class WorkerKillIT {
  private static final Logger log = LoggerFactory.getLogger(WorkerKillIT.class);
  private static final Path JAR = Path.of("target", "reelbox.jar").toAbsolutePath();

  @TempDir Path tmp;
  private AllInOne all;
  private Process victim;
  private final List<ProcessHandle> victimTree = new ArrayList<>();

  @AfterEach
  void tearDown() {
    if (victim != null) {
      victim.destroyForcibly();
    }
    victimTree.forEach(ProcessHandle::destroyForcibly);
    if (all != null) {
      all.close();
    }
  }

  @Test
  void sigkill_midEncode_taskRerunsElsewhere_andTheJobEndsWithOneSetOfSegments() throws Exception {
    // A 3 s lease: the dead worker's tasks come back within seconds.
    ApiClient api = startAppliance("3");
    startVictim();
    String id = FaultTestSupport.upload(api, FaultTestSupport.source(tmp));

    List<String> held = awaitVictimEncodes(api, id);
    // SIGKILL: no shutdown hook, no report, no goodbye. Its ffmpeg stand-ins are killed with it,
    // as systemd kills a unit's whole control group.
    victimTree.addAll(victim.descendants().toList());
    long killed = System.nanoTime();
    victim.destroyForcibly();
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(victim.exitValue()).isEqualTo(137); // 128 + SIGKILL
    victimTree.forEach(ProcessHandle::destroyForcibly);

    awaitTasks(
        api,
        id,
        LONG,
        "the killed worker's tasks to run again",
        tasks -> heldTasks(tasks, held).stream().allMatch(t -> t.path("attempt").asInt() >= 2));
    String rerun = secondsSince(killed);
    JsonNode video = awaitReady(api, id, LONG);
    log.info(
        "SIGKILL: the killed worker's {} task(s) ran again {} s after the kill; READY {} s after",
        held.size(),
        rerun,
        secondsSince(killed));

    List<JsonNode> tasks = FaultTestSupport.tasks(api, id);
    assertThat(tasks).allSatisfy(t -> assertThat(state(t)).isEqualTo("SUCCEEDED"));
    for (JsonNode t : heldTasks(tasks, held)) {
      assertThat(t.path("attempt").asInt()).as("%s", t).isGreaterThanOrEqualTo(2);
      assertThat(t.path("workerId").asText()).doesNotContain(victimMark());
      assertThat(t.path("errorCode").asText()).isEqualTo("TIMEOUT"); // its lease expired
    }
    FaultTestSupport.assertOneConsistentPlayableSet(all.dataDir().resolve("blobs"), id, video);
  }

  @Test
  void sigkill_inAFusedGroup_everyMemberRerunsElsewhere_andTheJobEndsWithOneSetOfSegments()
      throws Exception {
    ApiClient api = startAppliance("3");
    // The victim encodes the preview rendition (alone) as usual and holds the first fused group it
    // claims (two renditions of one chunk, one ffmpeg) until the fault.
    startVictim("*split=*");
    String id = FaultTestSupport.upload(api, FaultTestSupport.source(tmp, "854x480"));

    List<JsonNode> running =
        awaitTasks(
            api,
            id,
            LONG,
            "a fused group (two renditions of one chunk) RUNNING on the external worker",
            ts -> fusedOnVictim(ts).size() >= 2);
    List<String> held = fusedOnVictim(running);
    log.info("the external worker holds the fused group {}", held);
    victimTree.addAll(victim.descendants().toList());
    long killed = System.nanoTime();
    victim.destroyForcibly();
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
    victimTree.forEach(ProcessHandle::destroyForcibly);

    awaitTasks(
        api,
        id,
        LONG,
        "every member of the killed group to run again",
        tasks -> heldTasks(tasks, held).stream().allMatch(t -> t.path("attempt").asInt() >= 2));
    JsonNode video = awaitReady(api, id, LONG);
    log.info("SIGKILL in a fused group: {} READY {} s after the kill", held, secondsSince(killed));
    List<JsonNode> tasks = FaultTestSupport.tasks(api, id);
    assertThat(tasks).allSatisfy(t -> assertThat(state(t)).isEqualTo("SUCCEEDED"));
    for (JsonNode t : heldTasks(tasks, held)) {
      assertThat(t.path("workerId").asText()).doesNotContain(victimMark());
      assertThat(t.path("errorCode").asText()).isEqualTo("TIMEOUT"); // its lease expired
    }
    FaultTestSupport.assertOneConsistentPlayableSet(all.dataDir().resolve("blobs"), id, video);
  }

  /** The victim's RUNNING encodes of the chunk it holds most of (a fused group), by id. */
  private List<String> fusedOnVictim(List<JsonNode> tasks) {
    Map<String, List<String>> byChunk = new java.util.TreeMap<>();
    for (JsonNode t : tasks) {
      if (isEncode(t) && onVictim(t)) {
        String taskId = t.path("id").asText(); // encode/c0003/480p
        byChunk
            .computeIfAbsent(taskId.substring(0, taskId.lastIndexOf('/')), k -> new ArrayList<>())
            .add(taskId);
      }
    }
    return byChunk.values().stream()
        .max(java.util.Comparator.comparingInt(List::size))
        .orElse(List.of());
  }

  @Test
  void sigterm_midEncode_tasksGivenBackAtOnce_notAfterTheLease() throws Exception {
    // A lease far longer than the wait below: a task back sooner was given back, not expired.
    ApiClient api = startAppliance("60");
    startVictim();
    String id = FaultTestSupport.upload(api, FaultTestSupport.source(tmp));

    List<String> held = awaitVictimEncodes(api, id);
    List<ProcessHandle> ffmpegs = victim.descendants().toList();
    victimTree.addAll(ffmpegs);
    long stopped = System.nanoTime();
    victim.destroy(); // SIGTERM: the shutdown hook closes the worker
    awaitTasks(
        api,
        id,
        Duration.ofSeconds(20),
        "the stopping worker to give its tasks back",
        tasks ->
            heldTasks(tasks, held).stream()
                .allMatch(t -> t.path("errorCode").asText().equals("WORKER_SHUTDOWN")));
    String givenBack = secondsSince(stopped);
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(victim.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the hook ran
    String err = Files.readString(tmp.resolve("victim.err"), StandardCharsets.UTF_8);
    assertThat(err).contains("encoder stopped");
    assertThat(ffmpegs)
        .as("the worker killed its ffmpeg processes")
        .noneMatch(ProcessHandle::isAlive);

    JsonNode video = awaitReady(api, id, LONG);
    log.info(
        "SIGTERM: {} task(s) given back {} s after the signal (lease 60 s); READY {} s after",
        held.size(),
        givenBack,
        secondsSince(stopped));
    for (JsonNode t : heldTasks(FaultTestSupport.tasks(api, id), held)) {
      assertThat(state(t)).isEqualTo("SUCCEEDED");
      // Given back, not failed: the attempt is not counted.
      assertThat(t.path("attempt").asInt()).as("%s", t).isEqualTo(1);
      assertThat(t.path("workerId").asText()).doesNotContain(victimMark());
    }
    FaultTestSupport.assertOneConsistentPlayableSet(all.dataDir().resolve("blobs"), id, video);
  }

  private ApiClient startAppliance(String leaseSeconds) throws Exception {
    all =
        AllInOne.start(
            tmp.resolve("data"),
            Optional.of(0),
            Map.of(
                "REELBOX_CONTROL_PLANE_WORK_LEASE_SECONDS", leaseSeconds,
                "REELBOX_CONTROL_PLANE_WORK_REAPER_INTERVAL_MILLIS", "250",
                // One slot in-process: the victim's two slots are sure to get encodes.
                "REELBOX_ENCODER_SLOTS", "1",
                "REELBOX_ENCODER_CLAIM_WAIT_SECONDS", "5"));
    return FaultTestSupport.api(all);
  }

  /** Starts the victim and waits until it is in the worker queue. */
  private void startVictim() throws Exception {
    startVictim("libx264");
  }

  /** The same, its ffmpeg gated on commands with an argument matching {@code gatePattern}. */
  private void startVictim(String gatePattern) throws Exception {
    Path dir = tmp.resolve("data");
    Path ffmpeg = FaultTestSupport.gatedFfmpeg(tmp, tmp.resolve("never-opened"), gatePattern);
    List<String> cmd = List.of(javaBin(), "-Xmx256m", "-jar", JAR.toString(), "run", "encoder");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("REELBOX_"));
    pb.environment()
        .putAll(
            Map.of(
                "REELBOX_ENCODER_CLUSTER_SECRET",
                Files.readString(dir.resolve(AllInOne.SECRET_FILE)).trim(),
                "REELBOX_ENCODER_CLUSTER_CONTROL_PLANE_URL",
                all.urls().get("control-plane").toString(),
                "REELBOX_ENCODER_STORAGE_FILE_ROOT",
                dir.resolve("blobs").toString(),
                "REELBOX_ENCODER_DATA_DIR",
                tmp.resolve("victim").toString(),
                "REELBOX_ENCODER_HTTP_PORT",
                "0",
                "REELBOX_ENCODER_SLOTS",
                "2",
                "REELBOX_ENCODER_BACKEND",
                "ffmpeg",
                "REELBOX_ENCODER_FFMPEG_PATH",
                ffmpeg.toString(),
                "REELBOX_ENCODER_CLAIM_WAIT_SECONDS",
                "5"));
    pb.redirectOutput(tmp.resolve("victim.out").toFile());
    pb.redirectError(tmp.resolve("victim.err").toFile());
    victim = pb.start();
    ApiClient api = FaultTestSupport.api(all);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!workerIds(api).stream().anyMatch(w -> w.contains(victimMark()))) {
      assertThat(victim.isAlive()).as("victim: %s", victimErr()).isTrue();
      assertThat(System.nanoTime()).as("victim registered in time").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** Waits until the victim runs an encode; answers the ids of the encodes it holds then. */
  private List<String> awaitVictimEncodes(ApiClient api, String id) throws Exception {
    List<JsonNode> tasks =
        awaitTasks(
            api,
            id,
            LONG,
            "an encode task RUNNING on the external worker",
            ts -> ts.stream().anyMatch(t -> isEncode(t) && onVictim(t)));
    // Only its encodes: they wait at the gate, so none can finish before the fault (an audio or
    // thumbnail task it may run too could).
    List<String> held =
        tasks.stream()
            .filter(t -> isEncode(t) && onVictim(t))
            .map(t -> t.path("id").asText())
            .toList();
    log.info("the external worker holds {}", held);
    return held;
  }

  private boolean onVictim(JsonNode task) {
    return state(task).equals("RUNNING") && task.path("workerId").asText().contains(victimMark());
  }

  private static List<JsonNode> heldTasks(List<JsonNode> tasks, List<String> held) {
    Set<String> ids = Set.copyOf(held);
    return tasks.stream()
        .filter(t -> ids.contains(t.path("id").asText()))
        .collect(Collectors.toList());
  }

  /** The part of a worker id that names the victim's process: {@code host-PID-xxxx}. */
  private String victimMark() {
    return "-" + victim.pid() + "-";
  }

  private static List<String> workerIds(ApiClient api) throws IOException {
    List<String> ids = new ArrayList<>();
    api.get("/api/v1/admin/workers").path("workers").forEach(w -> ids.add(w.path("id").asText()));
    return ids;
  }

  private String victimErr() {
    try {
      return Files.readString(tmp.resolve("victim.err"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
