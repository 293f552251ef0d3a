package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.edge.EdgeStats;
import org.reelbox.edge.register.EdgeId;

/**
 * The edge box and the control plane's edge registry, both real, in the appliance: the box
 * registers itself on start, shows up healthy with what it reported, drops to unhealthy when it
 * stops, and comes back under the same id after a restart.
 */
class EdgeRegistrationTest {
  @TempDir Path tmp;

  // Short beats and timeout, so that "stopped → unhealthy" takes seconds.
  private static final Map<String, String> FAST =
      Map.of(
          "REELBOX_EDGE_HEARTBEAT_SECONDS", "1",
          "REELBOX_CONTROL_PLANE_EDGES_HEARTBEAT_TIMEOUT_SECONDS", "3");

  @Test
  void start_edgeRegistersHealthy_stopMakesItUnhealthy_restartKeepsItsId() throws Exception {
    try (Appliance a = Appliance.start(tmp.resolve("data"), FAST)) {
      String id = Files.readString(a.dataDir().resolve("edge").resolve(EdgeId.FILE_NAME)).trim();

      JsonNode edge =
          await().atMost(Duration.ofSeconds(20)).until(() -> edge(a, id), e -> e != null);
      assertThat(edge.path("healthy").asBoolean()).as(edge.toString()).isTrue();
      assertThat(edge.path("region").asText()).isEqualTo("default");
      assertThat(edge.path("publicUrl").asText())
          .isEqualTo(a.url("edge").toString().replaceAll("/$", ""));
      assertThat(edge.path("capacityBytes").asLong()).isEqualTo(10_737_418_240L);
      assertThat(a.edges().path("edges").size()).isEqualTo(1);
      // The two sides of the wire share no class: the registry must take exactly the fields the
      // box sends.
      List<String> sent =
          Arrays.stream(EdgeStats.class.getRecordComponents())
              .map(RecordComponent::getName)
              .toList();
      List<String> stored = new ArrayList<>();
      edge.path("stats").fieldNames().forEachRemaining(stored::add);
      assertThat(stored).containsExactlyInAnyOrderElementsOf(sent);

      // Stopped: no more beats, and after the timeout the registry says so.
      a.all()
          .restart(
              "edge",
              () ->
                  await()
                      .atMost(Duration.ofSeconds(15))
                      .until(() -> edge(a, id).path("healthy").asBoolean(), h -> !h));

      JsonNode back =
          await()
              .atMost(Duration.ofSeconds(15))
              .until(() -> edge(a, id), e -> e.path("healthy").asBoolean());
      assertThat(back.path("firstSeenAt").asText()).isEqualTo(edge.path("firstSeenAt").asText());
      assertThat(back.path("heartbeats").asLong()).isGreaterThan(edge.path("heartbeats").asLong());
      assertThat(a.edges().path("edges").size()).isEqualTo(1);
    }
  }

  private static JsonNode edge(Appliance a, String id) {
    try {
      for (JsonNode e : a.edges().path("edges")) {
        if (e.path("id").asText().equals(id)) {
          return e;
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
