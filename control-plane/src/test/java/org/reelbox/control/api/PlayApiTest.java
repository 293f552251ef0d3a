package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.edges.EdgeStatsReport;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoPatch;
import org.reelbox.control.store.VideoTransition;
import org.reelbox.control.store.Visibility;

/**
 * {@code GET /api/v1/videos/{id}/play}, {@code GET /play/{id}.m3u8}, the region table's admin API
 * and drain, on a real control plane with boxes in two regions. The test client is 127.0.0.1,
 * mapped to isp-a; 127.0.0.1 is a trusted proxy, so {@code X-Forwarded-For} places it elsewhere.
 */
class PlayApiTest {
  private static final String SHA = "0".repeat(64);
  private static final String ORIGIN = "http://origin.example:8082";
  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller alice;

  @BeforeAll
  static void start() throws Exception {
    cp =
        TestControlPlane.start(
            dataDir,
            o -> {
              o.put("originUrl", ORIGIN);
              o.putObject("edges").put("heartbeatTimeoutSeconds", 2);
              ObjectNode routing = o.putObject("routing");
              routing.put("defaultRegion", "elsewhere");
              routing.put("popularityThreshold", 5.0);
              routing.putArray("trustedProxies").add("127.0.0.1/32");
            });
    alice = cp.caller("alice", UserRole.CREATOR);
    putRegion("127.0.0.0/8", "isp-a", 201);
    putRegion("198.51.100.0/24", "isp-b", 201);
  }

  @AfterAll
  static void stop() {
    if (cp != null) {
      cp.close();
    }
  }

  private static void putRegion(String cidr, String region, int status) {
    HttpResponse<String> r =
        cp.send("PUT", "/api/v1/admin/regions", cp.adminKey, body("cidr", cidr, "region", region));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
  }

  private static void beat(String id, String region) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("region", region);
    o.put("publicUrl", "http://" + id + ".example:8083");
    o.put("capacityBytes", 1_000_000L);
    ObjectNode stats = o.putObject("stats");
    EdgeStatsReport.FIELDS.forEach(f -> stats.put(f, 0L));
    HttpResponse<String> r = cp.internal("/internal/edges/" + id + "/heartbeat", Json.write(o));
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
  }

  /**
   * Beats every live box of the test right before a request, so a stalled CI machine cannot push
   * one past the 2 s timeout between its beat and the request that expects it.
   */
  private static void alive(String... boxes) {
    for (String b : boxes) {
      beat(b, b.startsWith("box-a") ? "isp-a" : b.startsWith("box-b") ? "isp-b" : "isp-c");
    }
  }

  private static Video readyVideo(String title) {
    Video v = cp.store().createVideo(NewVideo.titled(alice.user().id(), title));
    cp.store().transitionVideo(VideoTransition.uploaded(v.id(), 10, SHA));
    cp.store().transitionVideo(VideoTransition.processing(v.id()));
    cp.store().transitionVideo(VideoTransition.ready(v.id(), 1000L));
    return v;
  }

  private static void popular(Video v, String region) {
    cp.role.popularity().recordViews(v.id(), region, 50, Instant.now());
  }

  private static JsonNode play(Video v, String forwardedFor) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(cp.base.resolve("/api/v1/videos/" + v.id().value() + "/play"))
            .header("Authorization", "Bearer " + alice.key())
            .timeout(Duration.ofSeconds(20));
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    HttpResponse<String> r = cp.send(request.build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  @Test
  void play_popularInRegion_edgeOfThatRegionWithSignedUrl_longTailToOrigin() {
    beat("box-a1", "isp-a");
    beat("box-b1", "isp-b");
    Video hit = readyVideo("hit");
    popular(hit, "isp-a");
    popular(hit, "isp-b");
    Video tail = readyVideo("tail");

    alive("box-a1", "box-b1");
    JsonNode a = play(hit, null);
    assertThat(a.get("servedBy").asText()).isEqualTo("edge");
    assertThat(a.get("edgeId").asText()).isEqualTo("box-a1");
    assertThat(a.get("region").asText()).isEqualTo("isp-a");
    String url = a.get("url").asText();
    assertThat(url).startsWith("http://box-a1.example:8083/t/");
    assertThat(url).endsWith("/v/" + hit.id().value() + "/master.m3u8");
    // The token is a PLAY token for this video, signed with the cluster's key.
    String token = url.substring(url.indexOf("/t/") + 3, url.indexOf("/v/"));
    Tokens tokens =
        new Tokens(KeyRing.derivedFrom(TestControlPlane.SECRET), java.time.Clock.systemUTC());
    assertThat(tokens.verify(token, TokenScope.PLAY, hit.id().value()).expiresAt())
        .isEqualTo(Instant.parse(a.get("expiresAt").asText()));

    alive("box-a1", "box-b1");
    JsonNode b = play(hit, "198.51.100.7");
    assertThat(b.get("edgeId").asText()).isEqualTo("box-b1");
    assertThat(b.get("region").asText()).isEqualTo("isp-b");

    JsonNode t = play(tail, null);
    assertThat(t.get("servedBy").asText()).isEqualTo("origin");
    assertThat(t.get("reason").asText()).isEqualTo("long-tail");
    assertThat(t.get("edgeId").isNull()).isTrue();
    assertThat(t.get("url").asText()).startsWith(ORIGIN + "/t/");

    // An address in no block: the default region, which has no box.
    JsonNode d = play(hit, "203.0.113.1");
    assertThat(d.get("region").asText()).isEqualTo("elsewhere");
    assertThat(d.get("servedBy").asText()).isEqualTo("origin");
  }

  @Test
  void play_chosenBoxStopsOrDrains_nextRequestGoesElsewhere() throws Exception {
    Video v = readyVideo("failover");
    popular(v, "isp-c");
    putRegion("192.0.2.0/24", "isp-c", 201);
    beat("box-c1", "isp-c");
    beat("box-c2", "isp-c");
    String first = play(v, "192.0.2.9").get("edgeId").asText();
    assertThat(first).isIn("box-c1", "box-c2");
    String other = first.equals("box-c1") ? "box-c2" : "box-c1";
    // The same video keeps going to the same box.
    alive("box-c1", "box-c2");
    assertThat(play(v, "192.0.2.10").get("edgeId").asText()).isEqualTo(first);

    // The chosen box goes quiet; the other keeps beating. Within one timeout (2 s) it is out.
    Thread.sleep(2_100);
    beat(other, "isp-c");
    assertThat(play(v, "192.0.2.9").get("edgeId").asText()).isEqualTo(other);

    // Back, then the other is drained: no new viewers for it, the listing says so.
    alive(first, other);
    HttpResponse<String> drained =
        cp.send("POST", "/api/v1/admin/edges/" + first + "/drain", cp.adminKey, null);
    assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
    assertThat(json(drained).get("draining").asBoolean()).isTrue();
    assertThat(play(v, "192.0.2.9").get("edgeId").asText()).isEqualTo(other);
    // A heartbeat does not undrain it.
    alive(first, other);
    assertThat(play(v, "192.0.2.9").get("edgeId").asText()).isEqualTo(other);
    alive(first, other);
    JsonNode listed = null;
    for (JsonNode e : json(cp.send("GET", "/api/v1/admin/edges", cp.adminKey, null)).get("edges")) {
      if (e.get("id").asText().equals(first)) {
        listed = e;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("draining").asBoolean()).isTrue();
    assertThat(listed.get("healthy").asBoolean()).isTrue();

    // Both drained: the origin.
    cp.send("POST", "/api/v1/admin/edges/" + other + "/drain", cp.adminKey, null);
    JsonNode none = play(v, "192.0.2.9");
    assertThat(none.get("servedBy").asText()).isEqualTo("origin");
    assertThat(none.get("reason").asText()).isEqualTo("no-healthy-edge");

    HttpResponse<String> undrained =
        cp.send("POST", "/api/v1/admin/edges/" + first + "/undrain", cp.adminKey, null);
    assertThat(json(undrained).get("draining").asBoolean()).isFalse();
    alive(first, other);
    assertThat(play(v, "192.0.2.9").get("edgeId").asText()).isEqualTo(first);
  }

  @Test
  void playRedirect_smartTv_302ToTheSameKindOfUrl() {
    beat("box-a1", "isp-a");
    Video v = readyVideo("tv");
    popular(v, "isp-a");
    alive("box-a1");
    HttpResponse<String> r = cp.send("GET", "/play/" + v.id().value() + ".m3u8", alice.key(), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    URI location = URI.create(r.headers().firstValue("location").orElseThrow());
    assertThat(location.getHost()).isEqualTo("box-a1.example");
    assertThat(location.getPath()).endsWith("/v/" + v.id().value() + "/master.m3u8");

    // A TV has no credential: a private video is not there for it; a wrong credential is refused.
    assertError(cp.send("GET", "/play/" + v.id().value() + ".m3u8", null, null), 404, "NOT_FOUND");
    assertError(
        cp.send("GET", "/play/" + v.id().value() + ".m3u8", "rbx_not-a-key", null),
        401,
        "UNAUTHORIZED");
    assertError(
        cp.send("GET", "/play/" + v.id().value() + ".mp4", alice.key(), null), 404, "NOT_FOUND");
    assertError(cp.send("GET", "/play/..%2Fx.m3u8", alice.key(), null), 404, "NOT_FOUND");
  }

  @Test
  void playRedirect_publicOrUnlistedVideo_opensWithoutACredential() {
    Video v = readyVideo("for the living room");
    for (Visibility visibility : new Visibility[] {Visibility.PUBLIC, Visibility.UNLISTED}) {
      cp.store()
          .updateVideoMetadata(v.id(), new VideoPatch(null, null, null, null, visibility, null));
      HttpResponse<String> r = cp.send("GET", "/play/" + v.id().value() + ".m3u8", null, null);
      assertThat(r.statusCode()).as(visibility + " " + r.body()).isEqualTo(302);
      assertThat(r.headers().firstValue("location").orElseThrow())
          .contains("/t/")
          .endsWith("/v/" + v.id().value() + "/master.m3u8");
    }
    // The JSON play API still needs a credential.
    assertError(
        cp.send("GET", "/api/v1/videos/" + v.id().value() + "/play", null, null),
        401,
        "UNAUTHORIZED");
    // Made private again: gone for the TV.
    cp.store()
        .updateVideoMetadata(
            v.id(), new VideoPatch(null, null, null, null, Visibility.PRIVATE, null));
    assertError(cp.send("GET", "/play/" + v.id().value() + ".m3u8", null, null), 404, "NOT_FOUND");
  }

  @Test
  void play_badInputs_clearErrors() {
    Video ready = readyVideo("mine");
    String path = "/api/v1/videos/" + ready.id().value() + "/play";
    assertError(cp.send("GET", path, null, null), 401, "UNAUTHORIZED");
    // Someone else's video does not exist for them.
    Caller bob = cp.caller("bob", UserRole.CREATOR);
    assertError(cp.send("GET", path, bob.key(), null), 404, "NOT_FOUND");
    assertError(cp.send("GET", "/api/v1/videos/nope!/play", alice.key(), null), 404, "NOT_FOUND");
    assertError(
        cp.send("GET", "/api/v1/videos/" + "a".repeat(12) + "/play", alice.key(), null),
        404,
        "NOT_FOUND");
    Video fresh = cp.store().createVideo(NewVideo.titled(alice.user().id(), "fresh"));
    JsonNode e =
        assertError(
            cp.send("GET", "/api/v1/videos/" + fresh.id().value() + "/play", alice.key(), null),
            404,
            "NOT_READY");
    assertThat(e.get("message").asText()).contains("UPLOADING");
    // An admin may play anyone's video.
    assertThat(cp.send("GET", path, cp.adminKey, null).statusCode()).isEqualTo(200);
  }

  @Test
  void regions_adminApi_crudLookupAndBadInput() {
    putRegion("2001:db8::/32", "isp-v6", 201);
    putRegion("2001:DB8:0::/32", "isp-v6b", 200);
    putRegion("2001:db8:ab::/48", "isp-v6c", 201);
    JsonNode hit =
        json(
            cp.send(
                "GET", "/api/v1/admin/regions/lookup?address=2001:db8:ab::1", cp.adminKey, null));
    assertThat(hit.get("region").asText()).isEqualTo("isp-v6c");
    JsonNode wider =
        json(
            cp.send(
                "GET", "/api/v1/admin/regions/lookup?address=2001:db8:1::1", cp.adminKey, null));
    assertThat(wider.get("region").asText()).isEqualTo("isp-v6b");
    assertThat(wider.get("cidr").asText()).isEqualTo("2001:db8::/32");
    JsonNode list = json(cp.send("GET", "/api/v1/admin/regions", cp.adminKey, null));
    assertThat(list.get("defaultRegion").asText()).isEqualTo("elsewhere");
    assertThat(list.get("regions").toString()).contains("\"2001:db8:ab::/48\"");

    HttpResponse<String> deleted =
        cp.send("DELETE", "/api/v1/admin/regions?cidr=2001:db8:ab::/48", cp.adminKey, null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    assertThat(
            json(cp.send(
                    "GET",
                    "/api/v1/admin/regions/lookup?address=2001:db8:ab::1",
                    cp.adminKey,
                    null))
                .get("region")
                .asText())
        .isEqualTo("isp-v6b");
    assertError(
        cp.send("DELETE", "/api/v1/admin/regions?cidr=2001:db8:ab::/48", cp.adminKey, null),
        404,
        "NOT_FOUND");
    // The table survives a reload from the database.
    cp.role.regions().reload();
    assertThat(cp.role.regions().table().entries().toString()).contains("isp-v6b");

    for (String bad :
        new String[] {"10.0.0.1/8", "10.0.0.0", "300.0.0.0/8", "host.example/8", "::/200"}) {
      JsonNode e =
          assertError(
              cp.send(
                  "PUT", "/api/v1/admin/regions", cp.adminKey, body("cidr", bad, "region", "x")),
              400,
              "VALIDATION_FAILED");
      assertThat(e.get("message").asText()).as(bad).contains("cidr");
    }
    assertError(
        cp.send(
            "PUT",
            "/api/v1/admin/regions",
            cp.adminKey,
            body("cidr", "10.0.0.0/8", "region", "a b")),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send(
            "PUT", "/api/v1/admin/regions", cp.adminKey, body("cidr", "10.0.0.0/8", "regoin", "a")),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send("GET", "/api/v1/admin/regions/lookup?address=example.com", cp.adminKey, null),
        400,
        "VALIDATION_FAILED");
    assertError(cp.send("GET", "/api/v1/admin/regions", alice.key(), null), 403, "FORBIDDEN");
    assertError(
        cp.send("POST", "/api/v1/admin/edges/box-a1/drain", alice.key(), null), 403, "FORBIDDEN");
    assertError(
        cp.send("POST", "/api/v1/admin/edges/no-such-box/drain", cp.adminKey, null),
        404,
        "NOT_FOUND");
  }
}
