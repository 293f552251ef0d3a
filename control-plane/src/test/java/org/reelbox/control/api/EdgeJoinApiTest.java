package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.store.UserRole;

/** {@code POST /api/v1/admin/edges/join-tokens} and {@code POST /api/v1/edges/join}. */
class EdgeJoinApiTest {
  private static final String ORIGIN = "http://origin.example:8082";

  @TempDir static Path dataDir;
  private static TestControlPlane cp;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp = TestControlPlane.start(dataDir, o -> o.put("originUrl", ORIGIN));
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  private String mint(String body) {
    HttpResponse<String> r = cp.send("POST", "/api/v1/admin/edges/join-tokens", cp.adminKey, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).get("token").asText();
  }

  private HttpResponse<String> join(String body) {
    // No API key: the token is the only credential.
    return cp.send("POST", "/api/v1/edges/join", null, body);
  }

  @Test
  void mint_thenJoin_answersRegionOriginsAndSecret_once() {
    HttpResponse<String> minted =
        cp.send("POST", "/api/v1/admin/edges/join-tokens", cp.adminKey, body("region", "isp-a"));
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    assertThat(minted.headers().firstValue("cache-control")).contains("no-store");
    JsonNode m = json(minted);
    assertThat(m.get("region").asText()).isEqualTo("isp-a");
    assertThat(m.get("originUrls").get(0).asText()).isEqualTo(ORIGIN);
    Duration ttl = Duration.between(Instant.now(), Instant.parse(m.get("expiresAt").asText()));
    assertThat(ttl).isBetween(Duration.ofMinutes(58), Duration.ofMinutes(60));

    HttpResponse<String> joined = join(body("token", m.get("token").asText()));
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
    assertThat(joined.headers().firstValue("cache-control")).contains("no-store");
    JsonNode grant = json(joined);
    assertThat(grant.get("region").asText()).isEqualTo("isp-a");
    assertThat(grant.get("originUrls").get(0).asText()).isEqualTo(ORIGIN);
    assertThat(grant.get("clusterSecret").asText()).isEqualTo(TestControlPlane.SECRET);

    assertError(join(body("token", m.get("token").asText())), 409, "CONFLICT");
  }

  @Test
  void mint_withOriginsAndTtl() {
    HttpResponse<String> r =
        cp.send(
            "POST",
            "/api/v1/admin/edges/join-tokens",
            cp.adminKey,
            body(
                "region",
                "isp-b",
                "ttlMinutes",
                5,
                "originUrls",
                List.of("https://o1", "https://o2:8443")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Duration ttl =
        Duration.between(Instant.now(), Instant.parse(json(r).get("expiresAt").asText()));
    assertThat(ttl).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
    JsonNode grant = json(join(body("token", json(r).get("token").asText())));
    assertThat(grant.get("originUrls").toString())
        .isEqualTo("[\"https://o1\",\"https://o2:8443\"]");
  }

  @Test
  void join_badRequests_clearErrors() {
    assertError(join(body("token", "rbj_" + "x".repeat(43))), 403, "TOKEN_INVALID");
    assertError(join(body("token", "not-a-token")), 403, "TOKEN_INVALID");
    assertError(join(body()), 400, "VALIDATION_FAILED");
    assertError(join(body("token", 7)), 400, "VALIDATION_FAILED");
    assertError(
        join(body("token", mint(body("region", "r")), "extra", 1)), 400, "VALIDATION_FAILED");
    assertError(join("{"), 400, "INVALID_JSON");
    // An API key does not replace the token.
    assertError(
        cp.send("POST", "/api/v1/edges/join", cp.adminKey, body("token", "rbj_nope")),
        403,
        "TOKEN_INVALID");
  }

  @Test
  void mint_refusedForNonAdminsAndBadInput() {
    String path = "/api/v1/admin/edges/join-tokens";
    assertError(cp.send("POST", path, null, body("region", "isp-a")), 401, "UNAUTHORIZED");
    String creator = cp.caller("joiner-creator", UserRole.CREATOR).key();
    assertError(cp.send("POST", path, creator, body("region", "isp-a")), 403, "FORBIDDEN");
    assertError(cp.send("POST", path, cp.adminKey, body()), 400, "VALIDATION_FAILED");
    assertError(
        cp.send("POST", path, cp.adminKey, body("region", "a b")), 400, "VALIDATION_FAILED");
    assertError(
        cp.send("POST", path, cp.adminKey, body("region", "a", "ttlMinutes", 0)),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send("POST", path, cp.adminKey, body("region", "a", "ttlMinutes", 10081)),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send("POST", path, cp.adminKey, body("region", "a", "originUrls", List.of("ftp://x"))),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send("POST", path, cp.adminKey, body("region", "a", "regoin", "typo")),
        400,
        "VALIDATION_FAILED");
  }
}
