package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.control.admin.FakeEdge;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.edges.EdgeStatsReport;
import org.reelbox.control.store.UserRole;

/**
 * {@code POST /api/v1/admin/videos/{id}/purge} against real HTTP servers on loopback standing in
 * for edge boxes ({@link FakeEdge}): one of this cluster, one of another cluster (wrong
 * credential), and one that is down.
 */
class AdminPurgeApiTest {
  private static final String VIDEO = "AbCdEfGhIjK";

  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller alice;
  private static FakeEdge good;
  private static FakeEdge otherCluster;

  @BeforeAll
  static void start() throws Exception {
    cp = TestControlPlane.start(dataDir);
    alice = cp.caller("alice", UserRole.CREATOR);
    good = new FakeEdge(TestControlPlane.SECRET);
    otherCluster = new FakeEdge("another-cluster-secret-0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    if (good != null) {
      good.close();
    }
    if (otherCluster != null) {
      otherCluster.close();
    }
    if (cp != null) {
      cp.close();
    }
  }

  private static void register(String id, String publicUrl) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("region", "r1");
    o.put("publicUrl", publicUrl);
    o.put("capacityBytes", 1000L);
    ObjectNode stats = o.putObject("stats");
    EdgeStatsReport.FIELDS.forEach(f -> stats.put(f, 0L));
    HttpResponse<String> r = cp.internal("/internal/edges/" + id + "/heartbeat", Json.write(o));
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
  }

  @Test
  void purge_fansOutToEveryBox_eachAnswerReported() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    register("good", good.url());
    register("other", otherCluster.url());
    register("down", "http://127.0.0.1:" + closedPort);
    // A drained box still holds the video: it is purged too.
    assertThat(cp.send("POST", "/api/v1/admin/edges/good/drain", cp.adminKey, null).statusCode())
        .isEqualTo(200);

    HttpResponse<String> r =
        cp.send("POST", "/api/v1/admin/videos/" + VIDEO + "/purge", cp.adminKey, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, JsonNode> byId = new HashMap<>();
    json(r).get("edges").forEach(e -> byId.put(e.get("id").asText(), e));
    assertThat(byId).containsOnlyKeys("good", "other", "down");
    assertThat(byId.get("good").get("status").asInt()).isEqualTo(200);
    assertThat(byId.get("good").get("error").isNull()).isTrue();
    assertThat(good.purged).containsExactly("/internal/cache/videos/" + VIDEO);
    assertThat(byId.get("other").get("status").asInt()).isEqualTo(403);
    assertThat(byId.get("other").get("error").asText()).startsWith("FORBIDDEN");
    assertThat(otherCluster.purged).isEmpty();
    assertThat(byId.get("down").get("status").isNull()).isTrue();
    assertThat(byId.get("down").get("error").asText()).isNotBlank();
  }

  @Test
  void purge_malformedId400_creator403_noKey401() {
    assertError(
        cp.send("POST", "/api/v1/admin/videos/short/purge", cp.adminKey, null),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send("POST", "/api/v1/admin/videos/" + VIDEO + "/purge", alice.key(), null),
        403,
        "FORBIDDEN");
    assertError(
        cp.send("POST", "/api/v1/admin/videos/" + VIDEO + "/purge", null, null),
        401,
        "UNAUTHORIZED");
  }
}
