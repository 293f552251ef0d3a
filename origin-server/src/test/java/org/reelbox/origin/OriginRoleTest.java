package org.reelbox.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.origin.OriginFixtures.KEY;
import static org.reelbox.origin.OriginFixtures.OTHER_VIDEO;
import static org.reelbox.origin.OriginFixtures.SEGMENT_0;
import static org.reelbox.origin.OriginFixtures.VIDEO;
import static org.reelbox.origin.OriginFixtures.playToken;
import static org.reelbox.origin.OriginFixtures.rawGet;
import static org.reelbox.origin.OriginFixtures.token;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.testing.RoleAssertions;

/** Path safety, tokens, keys, keep-alive, CORS and metrics of a real origin on the file store. */
class OriginRoleTest {
  static final String CANARY = "CANARY-must-never-be-served";

  @TempDir static Path dataDir;
  @TempDir static Path privateDataDir;
  static OriginRole role;
  static OriginRole privateRole;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    // Canaries outside the blob root (dataDir/blobs), where traversal would land.
    Files.writeString(dataDir.resolve("canary.ts"), CANARY);
    Files.writeString(dataDir.resolve("master.m3u8"), CANARY);
    Files.createDirectories(dataDir.resolve("blobs"));
    Files.writeString(dataDir.resolve("blobs/canary.ts"), CANARY);
    role = new OriginRole(OriginFixtures.config(dataDir, StorageConfig.fileDefault()));
    role.start();
    port = role.baseUrl().getPort();
    OriginFixtures.writeVideo(role.blobs(), VIDEO);
    OriginFixtures.writeVideo(role.blobs(), OTHER_VIDEO);

    privateRole =
        new OriginRole(
            OriginFixtures.config(privateDataDir, StorageConfig.fileDefault())
                .withRequireTokens(true));
    privateRole.start();
    OriginFixtures.writeVideo(privateRole.blobs(), VIDEO);
  }

  @AfterAll
  static void stop() {
    if (role != null) {
      role.close();
    }
    if (privateRole != null) {
      privateRole.close();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v/../canary.ts",
        "/v/" + VIDEO + "/../../canary.ts",
        "/v/" + VIDEO + "/720p/../../../canary.ts",
        "/v/%2e%2e/%2e%2e/canary.ts",
        "/v/" + VIDEO + "/%2e%2e%2f%2e%2e%2fcanary.ts",
        "/v/" + VIDEO + "/720p%2f..%2f..%2fcanary.ts",
        "/v/" + VIDEO + "/..%5c..%5ccanary.ts",
        "/v/" + VIDEO + "/720p\\..\\..\\canary.ts",
        "/v/" + VIDEO + "//canary.ts",
        "/v//" + VIDEO + "/master.m3u8",
        "//v/" + VIDEO + "/master.m3u8",
        "/v/" + VIDEO + "/./master.m3u8",
        "/v/..%00/master.m3u8",
        "/v/" + VIDEO + "/720p/0.ts%00.ts",
        "/v/" + VIDEO + "/720p/../../master.m3u8",
        "/v/" + VIDEO + "/720p/-1.ts",
        "/v/" + VIDEO + "/720p/1234567890.ts",
        "/v/" + VIDEO + "/720p/01.ts",
        "/v/" + VIDEO + "/720P/0.ts",
        "/v/" + VIDEO + "/keys/../../../canary.ts",
        "/v/" + VIDEO + "/subs/../../canary.ts",
        "/v/" + VIDEO + "/subs/en/../../../canary.ts",
        "/v/" + VIDEO + "/subs/en%2f..%2f..%2f..%2fcanary.ts/0.vtt",
        "/v/" + VIDEO + "/subs/..%5c..%5ccanary/0.vtt",
        "/v/" + VIDEO + "/subs/en/canary.ts",
        "/v/" + VIDEO + "/subs/en/0.vtt/..",
        "/v/" + VIDEO + "x/master.m3u8",
        "/v/short/master.m3u8",
        "/v/" + VIDEO + "/master.m3u8/",
        "/v/" + VIDEO + "/master.m3u8/..",
        "/v/canary.ts",
        "/v/" + VIDEO + "/canary.ts",
        "/v/" + VIDEO + "/720p/canary.ts",
        "/t/../v/" + VIDEO + "/master.m3u8",
        "/t/%2e%2e/canary.ts",
        "/canary.ts",
        "/blobs/canary.ts",
        "/v/?/../../canary.ts",
        "http://127.0.0.1/v/../canary.ts",
        "/v/" + VIDEO + "/720p/0.ts#/../../canary.ts",
      })
  void traversal_any_4xxAndCanaryNeverServed(String target) throws Exception {
    OriginFixtures.Raw r = rawGet(port, target);
    assertThat(r.status()).as(target).isBetween(400, 499);
    assertThat(r.bodyText()).as(target).doesNotContain("CANARY");
    assertThat(r.headers().get("content-type")).as(target).startsWith("application/json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"?x=../../canary.ts", "?../../canary.ts", "?%2e%2e%2fcanary.ts"})
  void queryString_ignored_servesThePathOnly(String query) throws Exception {
    OriginFixtures.Raw r = rawGet(port, "/v/" + VIDEO + "/720p/0.ts" + query);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(SEGMENT_0);
  }

  @Test
  void token_valid_200() throws Exception {
    OriginFixtures.Raw r = rawGet(port, "/t/" + playToken(VIDEO) + "/v/" + VIDEO + "/720p/0.ts");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(SEGMENT_0);
  }

  @Test
  void token_table_refused() throws Exception {
    String valid = playToken(VIDEO);
    char last = valid.charAt(valid.length() - 1);
    String tampered = valid.substring(0, valid.length() - 1) + (last == 'A' ? 'B' : 'A');
    int dot = valid.indexOf('.');
    String payloadTampered = (valid.charAt(0) == 'e' ? 'f' : 'e') + valid.substring(1);
    record Case(String name, String token, int status, String error) {}
    List<Case> cases =
        List.of(
            new Case("tampered signature", tampered, 403, "TOKEN_INVALID"),
            new Case("tampered payload", payloadTampered, 403, "TOKEN_INVALID"),
            new Case(
                "expired",
                token(VIDEO, TokenScope.PLAY, Instant.now().minusSeconds(5)),
                410,
                "TOKEN_EXPIRED"),
            new Case("other video", playToken(OTHER_VIDEO), 403, "TOKEN_INVALID"),
            new Case(
                "upload scope",
                token(VIDEO, TokenScope.UPLOAD, Instant.now().plusSeconds(600)),
                403,
                "TOKEN_INVALID"),
            new Case(
                "key scope on a segment",
                token(VIDEO, TokenScope.KEY, Instant.now().plusSeconds(600)),
                403,
                "TOKEN_INVALID"),
            new Case("garbage", "abc.def", 403, "TOKEN_INVALID"),
            new Case("no dot", valid.substring(0, dot), 403, "TOKEN_INVALID"));
    for (Case c : cases) {
      OriginFixtures.Raw r = rawGet(port, "/t/" + c.token() + "/v/" + VIDEO + "/720p/0.ts");
      assertThat(r.status()).as(c.name()).isEqualTo(c.status());
      assertThat(r.bodyText()).as(c.name()).contains("\"error\":\"" + c.error() + "\"");
      assertThat(r.bodyText()).as(c.name()).doesNotContain(c.token());
    }
  }

  @Test
  void requireTokens_noToken_403() throws Exception {
    int privatePort = privateRole.baseUrl().getPort();
    OriginFixtures.Raw none = rawGet(privatePort, "/v/" + VIDEO + "/master.m3u8");
    assertThat(none.status()).isEqualTo(403);
    assertThat(none.bodyText()).contains("\"error\":\"FORBIDDEN\"");
    OriginFixtures.Raw with =
        rawGet(privatePort, "/t/" + playToken(VIDEO) + "/v/" + VIDEO + "/master.m3u8");
    assertThat(with.status()).isEqualTo(200);
  }

  @Test
  void key_noToken_403() throws Exception {
    OriginFixtures.Raw r = rawGet(port, "/v/" + VIDEO + "/keys/0.key");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.headers().get("cache-control")).isEqualTo("no-store");
    assertThat(r.body()).isNotEqualTo(KEY);
  }

  @Test
  void key_playOrKeyToken_200NoStore() throws Exception {
    for (String t :
        List.of(playToken(VIDEO), token(VIDEO, TokenScope.KEY, Instant.now().plusSeconds(600)))) {
      OriginFixtures.Raw r = rawGet(port, "/t/" + t + "/v/" + VIDEO + "/keys/0.key");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(KEY);
      assertThat(r.headers().get("cache-control")).isEqualTo("no-store");
      assertThat(r.headers().get("content-type")).isEqualTo("application/octet-stream");
    }
  }

  @Test
  void key_otherVideosToken_403() throws Exception {
    OriginFixtures.Raw r =
        rawGet(port, "/t/" + playToken(OTHER_VIDEO) + "/v/" + VIDEO + "/keys/0.key");
    assertThat(r.status()).isEqualTo(403);
  }

  @Test
  void keepAlive_twoRequestsOneSocket_bothAnswered() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      String req = "GET /v/" + VIDEO + "/720p/0.ts HTTP/1.1\r\nHost: x\r\n\r\n";
      OriginFixtures.Raw a = OriginFixtures.exchange(s, req, false);
      OriginFixtures.Raw b =
          OriginFixtures.exchange(
              s, "HEAD /v/" + VIDEO + "/master.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n", true);
      OriginFixtures.Raw c = OriginFixtures.exchange(s, req, false);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body()).isEqualTo(SEGMENT_0);
      assertThat(b.status()).isEqualTo(200);
      assertThat(c.body()).isEqualTo(SEGMENT_0);
    }
  }

  @Test
  void pipelined_threeRequests_answeredInOrder() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      String seg = "GET /v/" + VIDEO + "/720p/0.ts HTTP/1.1\r\nHost: x\r\n\r\n";
      String missing = "GET /v/" + VIDEO + "/720p/77.ts HTTP/1.1\r\nHost: x\r\n\r\n";
      String other = "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n";
      s.getOutputStream().write((seg + missing + other + seg).getBytes(StandardCharsets.US_ASCII));
      var in = s.getInputStream();
      assertThat(OriginFixtures.read(in, false).body()).isEqualTo(SEGMENT_0);
      assertThat(OriginFixtures.read(in, false).status()).isEqualTo(404);
      assertThat(OriginFixtures.read(in, false).status()).isEqualTo(404);
      assertThat(OriginFixtures.read(in, false).body()).isEqualTo(SEGMENT_0);
    }
  }

  @Test
  void corsPreflight_options_204AllowsRange() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OriginFixtures.Raw r =
          OriginFixtures.exchange(
              s,
              "OPTIONS /v/"
                  + VIDEO
                  + "/720p/0.ts HTTP/1.1\r\nHost: x\r\nOrigin: https://player.example\r\n"
                  + "Access-Control-Request-Method: GET\r\n"
                  + "Access-Control-Request-Headers: range\r\n\r\n",
              false);
      assertThat(r.status()).isEqualTo(204);
      assertThat(r.headers().get("access-control-allow-origin")).isEqualTo("*");
      assertThat(r.headers().get("access-control-allow-methods")).contains("GET");
      assertThat(r.headers().get("access-control-allow-headers")).contains("Range");
    }
  }

  @Test
  void method_post_405() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OriginFixtures.Raw r =
          OriginFixtures.exchange(
              s,
              "POST /v/"
                  + VIDEO
                  + "/master.m3u8 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
              false);
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.headers().get("allow")).contains("GET");
      // The body was swallowed: the connection still answers.
      OriginFixtures.Raw next =
          OriginFixtures.exchange(
              s, "GET /v/" + VIDEO + "/720p/0.ts HTTP/1.1\r\nHost: x\r\n\r\n", false);
      assertThat(next.body()).isEqualTo(SEGMENT_0);
    }
  }

  @Test
  void metrics_afterRequests_countsStatusClassAndBytes() throws Exception {
    rawGet(port, "/v/" + VIDEO + "/720p/0.ts");
    rawGet(port, "/v/" + VIDEO + "/720p/404.ts");
    String text = RoleAssertions.get(role.baseUrl().resolve("/metrics")).body();
    assertThat(text).contains("origin_requests_total{");
    assertThat(text).containsPattern("origin_requests_total\\{[^}]*status=\"2xx\"");
    assertThat(text).containsPattern("origin_requests_total\\{[^}]*status=\"4xx\"");
    assertThat(text).containsPattern("origin_bytes_sent_total\\{[^}]*kind=\"segment\"");
  }

  @Test
  void adminEndpoints_stillAnswer() throws Exception {
    RoleAssertions.assertAdminEndpoints(role.baseUrl(), OriginRole.NAME);
  }
}
