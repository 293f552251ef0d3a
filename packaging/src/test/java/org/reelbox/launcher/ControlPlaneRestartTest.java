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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.role.Role;
import org.reelbox.launcher.client.ApiClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane restarts mid-job while the workers keep running (docs/transcoding.md,
 * "Faults"): the job completes, the results the workers produced during the downtime are not lost
 * (their reports are retried until the new instance takes them), and the workers go back to
 * claiming. Everything runs in this JVM ({@link AllInOne#restart}).
 *
 * <p>The in-process worker's ffmpeg is the gated stand-in of {@link FaultTestSupport#gatedFfmpeg}:
 * its encodes wait for the gate, so the job is held in a known state (inspect, split, audio and
 * thumbnails done, two encodes running, two queued) until the test opens it while the control plane
 * is down.
 */
class ControlPlaneRestartTest {
  private static final Logger log = LoggerFactory.getLogger(ControlPlaneRestartTest.class);

  @TempDir Path tmp;

  @Test
  void restart_midJob_reportsOfTheDowntimeAreTaken_claimsResume_andTheJobCompletes()
      throws Exception {
    Path gate = tmp.resolve("gate");
    Path ffmpeg = FaultTestSupport.gatedFfmpeg(tmp, gate);
    try (AllInOne all =
        AllInOne.start(
            tmp.resolve("data"),
            Optional.of(0),
            Map.of(
                // Longer than any downtime here: the running tasks' leases outlive the restart.
                "REELBOX_CONTROL_PLANE_WORK_LEASE_SECONDS", "60",
                "REELBOX_ENCODER_SLOTS", "2",
                "REELBOX_ENCODER_BACKEND", "ffmpeg",
                "REELBOX_ENCODER_FFMPEG_PATH", ffmpeg.toString(),
                "REELBOX_ENCODER_CLAIM_WAIT_SECONDS", "5"))) {
      ApiClient api = FaultTestSupport.api(all);
      Path blobs = all.dataDir().resolve("blobs");
      String id = FaultTestSupport.upload(api, FaultTestSupport.source(tmp));

      List<JsonNode> before =
          awaitTasks(
              api,
              id,
              LONG,
              "two encodes running with every task before them done",
              ts ->
                  ts.stream().filter(t -> isEncode(t) && state(t).equals("RUNNING")).count() == 2
                      && ts.stream()
                          .filter(t -> !isEncode(t) && !t.path("type").asText().equals("package"))
                          .allMatch(t -> state(t).equals("SUCCEEDED")));
      assertThat(api.get("/api/v1/videos/" + id).path("state").asText()).isEqualTo("PROCESSING");
      List<String> running = ids(before.stream().filter(t -> state(t).equals("RUNNING")));
      List<String> notStarted =
          ids(before.stream().filter(t -> List.of("QUEUED", "WAITING").contains(state(t))));
      assertThat(notStarted).hasSize(3); // two encodes and package

      long down = System.nanoTime();
      long[] up = new long[1];
      Role fresh =
          all.restart(
              "control-plane",
              () -> {
                // While it is down: the held encodes finish, store their chunks and try to
                // report, which fails until the new instance is up.
                Files.createFile(gate);
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (encodedChunks(blobs, id) < running.size()) {
                  assertThat(System.nanoTime()).as("encodes done in time").isLessThan(deadline);
                  Thread.sleep(50);
                }
                up[0] = System.nanoTime();
              });
      assertThat(fresh.baseUrl()).isEqualTo(all.urls().get("control-plane"));
      String downtime = secondsSince(down);

      JsonNode video = awaitReady(api, id, LONG);
      log.info(
          "control-plane restart: down {} s; READY {} s after it came back",
          downtime,
          secondsSince(up[0]));

      List<JsonNode> after = FaultTestSupport.tasks(api, id);
      assertThat(after).allSatisfy(t -> assertThat(state(t)).as("%s", t).isEqualTo("SUCCEEDED"));
      for (JsonNode t : after) {
        if (running.contains(t.path("id").asText())) {
          // Reported during the downtime, retried, taken by the new instance: no second attempt.
          assertThat(t.path("attempt").asInt()).as("%s", t).isEqualTo(1);
        }
      }
      // Queued when the control plane went down: claimed by the workers after it came back.
      assertThat(after.stream().filter(t -> notStarted.contains(t.path("id").asText())))
          .hasSize(3)
          .allSatisfy(t -> assertThat(t.path("workerId").asText()).isNotBlank());
      FaultTestSupport.assertOneConsistentPlayableSet(blobs, id, video);
    }
  }

  private static List<String> ids(Stream<JsonNode> tasks) {
    return tasks.map(t -> t.path("id").asText()).toList();
  }

  private static long encodedChunks(Path blobs, String id) throws IOException {
    Path enc = blobs.resolve("temp").resolve(id).resolve("enc");
    if (!Files.isDirectory(enc)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(enc)) {
      return walk.filter(p -> p.toString().endsWith(".ts")).count();
    }
  }
}
