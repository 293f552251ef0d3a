package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.edges.EdgeStatsReport;
import org.reelbox.control.store.UserRole;

/**
 * {@code GET /api/v1/admin/cost} and {@code POST /internal/origins/{id}/stats}: the cost figures
 * equal the bytes a test counted, through real heartbeats (with a box restart) on a real control
 * plane with a non-default price.
 */
class CostApiTest {
  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller creator;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp = TestControlPlane.start(dataDir, o -> o.putObject("cost").put("cdnPricePerGb", "0.05"));
    creator = cp.caller("carol", UserRole.CREATOR);
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  private static void beat(String edgeId, long requests, long hitBytes, long missBytes) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("region", "isp-a");
    o.put("publicUrl", "http://edge.isp-a.example:8083");
    o.put("capacityBytes", 1_000_000L);
    ObjectNode stats = o.putObject("stats");
    for (String field : EdgeStatsReport.FIELDS) {
      stats.put(field, 0L);
    }
    stats.put("requests", requests);
    stats.put("hitBytes", hitBytes);
    stats.put("missBytes", missBytes);
    HttpResponse<String> r = cp.internal("/internal/edges/" + edgeId + "/heartbeat", Json.write(o));
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
  }

  private static BigDecimal usd(long bytes) {
    return BigDecimal.valueOf(bytes)
        .multiply(new BigDecimal("0.05"))
        .divide(BigDecimal.valueOf(1_000_000_000L), 6, RoundingMode.HALF_UP);
  }

  @Test
  void cost_heartbeatsWithKnownDeltasAndARestart_figuresEqualTheBytesCounted() {
    long edge = 0;
    beat("box-1", 10, 3_000_000_000L, 1_000_000_000L);
    edge += 4_000_000_000L;
    beat("box-1", 12, 3_500_000_000L, 1_100_000_000L); // +600 MB
    edge += 600_000_000L;
    beat("box-1", 12, 3_500_000_000L, 1_100_000_000L); // unchanged: +0
    beat("box-1", 1, 20_000_000L, 5_000_000L); // restarted: all 25 MB are new
    edge += 25_000_000L;
    beat("box-2", 3, 123_456_789L, 0);
    edge += 123_456_789L;
    long origin = 0;
    HttpResponse<String> o1 =
        cp.internal(
            "/internal/origins/origin-1/stats", body("bytesSent", 777_000_001L, "requests", 5));
    assertThat(o1.statusCode()).as(o1.body()).isEqualTo(200);
    assertThat(json(o1).get("addedBytes").asLong()).isEqualTo(777_000_001L);
    origin += 777_000_001L;
    cp.internal("/internal/origins/origin-1/stats", body("bytesSent", 777_000_101L, "requests", 6));
    origin += 100;

    // Two days: the test may straddle a UTC midnight; the totals do not care.
    HttpResponse<String> r = cp.send("GET", "/api/v1/admin/cost?days=2", cp.adminKey, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode answer = json(r);
    assertThat(answer.get("cdnPricePerGb").decimalValue()).isEqualByComparingTo("0.05");
    assertThat(answer.get("days").size()).isEqualTo(2);
    JsonNode total = answer.get("total");
    assertThat(total.get("edgeBytes").asLong()).isEqualTo(edge);
    assertThat(total.get("originBytes").asLong()).isEqualTo(origin);
    assertThat(total.get("cdnEquivalentUsd").decimalValue())
        .isEqualByComparingTo(usd(edge + origin));
    assertThat(total.get("savingUsd").decimalValue()).isEqualByComparingTo(usd(edge));
    long summed = 0;
    for (JsonNode day : answer.get("days")) {
      summed += day.get("edgeBytes").asLong();
      assertThat(day.get("savingUsd").decimalValue())
          .isEqualByComparingTo(usd(day.get("edgeBytes").asLong()));
    }
    assertThat(summed).isEqualTo(edge);

    HttpResponse<String> metrics = cp.send("GET", "/metrics", null, null);
    assertThat(metrics.body())
        .contains("reelbox_traffic_bytes_total{role=\"control-plane\",source=\"edge\"}")
        .contains("reelbox_cost_cdn_price_per_gb{role=\"control-plane\"} 0.05");
  }

  @Test
  void cost_badInputs_clearErrors() {
    assertError(cp.send("GET", "/api/v1/admin/cost", creator.key(), null), 403, "FORBIDDEN");
    assertError(cp.send("GET", "/api/v1/admin/cost", null, null), 401, "UNAUTHORIZED");
    for (String days : new String[] {"0", "367", "abc", "-1"}) {
      assertError(
          cp.send("GET", "/api/v1/admin/cost?days=" + days, cp.adminKey, null),
          400,
          "VALIDATION_FAILED");
    }
    assertError(
        cp.internal("/internal/origins/origin-1/stats", body("bytesSent", -5, "requests", 1)),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.internal("/internal/origins/origin-1/stats", body("bytesSent", 5, "typo", 1)),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.internal("/internal/origins/-bad/stats", body("bytesSent", 5, "requests", 1)),
        400,
        "VALIDATION_FAILED");
  }
}
