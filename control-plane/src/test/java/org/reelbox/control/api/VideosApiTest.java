package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoState;
import org.reelbox.control.store.VideoTransition;

/** {@code /api/v1/videos} on a real control plane, over HTTP. */
class VideosApiTest {
  private static final String CAT =
      body("filename", "cat.mp4", "size", 12_345_678, "contentType", "video/mp4");
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final AtomicInteger USERS = new AtomicInteger();

  @TempDir static Path dataDir;
  private static TestControlPlane cp;

  private Caller alice;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp = TestControlPlane.start(dataDir);
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  @BeforeEach
  void newCreator() {
    alice = cp.caller("alice" + USERS.incrementAndGet(), UserRole.CREATOR);
  }

  private JsonNode create(Caller caller, String body) {
    HttpResponse<String> response = cp.send("POST", "/api/v1/videos", caller.key(), body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response);
  }

  // ---- POST /api/v1/videos

  @Test
  void create_validRequest_201WithUploadUrlAndUploadingVideo() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<String> response =
        cp.send(
            "POST",
            "/api/v1/videos",
            alice.key(),
            body(
                "filename",
                "cat.mp4",
                "size",
                12_345_678,
                "contentType",
                "video/mp4",
                "title",
                "My cat",
                "profile",
                "default"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("application/json");
    assertThat(response.headers().firstValue("cache-control")).contains("no-store");
    JsonNode answer = json(response);
    assertThat(answer.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("id", "uploadUrl", "expiresAt", "state");
    String id = answer.get("id").asText();
    assertThat(VideoId.isValid(id)).isTrue();
    assertThat(answer.get("state").asText()).isEqualTo("UPLOADING");
    assertThat(response.headers().firstValue("location")).contains("/api/v1/videos/" + id);
    Instant expiresAt = Instant.parse(answer.get("expiresAt").asText());
    assertThat(expiresAt)
        .isBetween(before.plus(Duration.ofHours(24)), Instant.now().plus(Duration.ofHours(24)));

    Video video = cp.store().findVideo(VideoId.of(id)).orElseThrow();
    assertThat(video.ownerId()).isEqualTo(alice.user().id());
    assertThat(video.state()).isEqualTo(VideoState.UPLOADING);
    assertThat(video.title()).isEqualTo("My cat");
    assertThat(video.filename()).isEqualTo("cat.mp4");
    assertThat(video.contentType()).isEqualTo("video/mp4");
    assertThat(video.profile()).isEqualTo("default");
    assertThat(video.uploadExpiresAt()).isEqualTo(expiresAt);
  }

  @Test
  void create_uploadUrl_carriesATokenThatIngestCanVerify() {
    JsonNode answer = create(alice, CAT);
    String id = answer.get("id").asText();
    String uploadUrl = answer.get("uploadUrl").asText();

    String prefix = TestControlPlane.INGEST_URL + "/t/";
    assertThat(uploadUrl).startsWith(prefix).endsWith("/files/");
    String token = uploadUrl.substring(prefix.length(), uploadUrl.length() - "/files/".length());
    Tokens tokens = new Tokens(KeyRing.derivedFrom(TestControlPlane.SECRET), Clock.systemUTC());
    TokenClaims claims = tokens.verify(token, TokenScope.UPLOAD, id);
    assertThat(claims.subject()).isEqualTo(id);
    assertThat(claims.scope()).isEqualTo(TokenScope.UPLOAD);
    assertThat(claims.owner()).isEqualTo(Long.toString(alice.user().id()));
    assertThat(claims.byteLimit()).isEqualTo(12_345_678L);
    assertThat(claims.expiresAt()).isEqualTo(Instant.parse(answer.get("expiresAt").asText()));
    // Signed with the cluster's key, so a token from another cluster would not verify.
    assertThatThrownBy(
            () ->
                new Tokens(
                        KeyRing.derivedFrom("another-cluster-secret-0123456789-xyz"),
                        Clock.systemUTC())
                    .verify(token, TokenScope.UPLOAD, id))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void create_minimalRequest_defaultsTitleFromFileNameAndProfile() {
    String id =
        create(
                alice,
                body(
                    "filename",
                    "Holiday 2026.final.mov",
                    "size",
                    1,
                    "contentType",
                    "VIDEO/QuickTime"))
            .get("id")
            .asText();

    Video video = cp.store().findVideo(VideoId.of(id)).orElseThrow();
    assertThat(video.title()).isEqualTo("Holiday 2026.final");
    assertThat(video.contentType()).isEqualTo("video/quicktime");
    assertThat(video.profile()).isEqualTo(Video.DEFAULT_PROFILE);
    assertThat(video.description()).isEmpty();
    assertThat(video.language()).isNull();
    assertThat(video.tags()).isEmpty();
  }

  @Test
  void create_withDescriptionLanguageAndTags_storesThem() {
    String id =
        create(
                alice,
                body(
                    "filename", "a.webm",
                    "size", VideosApi.MAX_VIDEO_BYTES,
                    "contentType", "video/webm; codecs=\"vp9\"",
                    "description", "line 1\nline 2",
                    "language", "pt-BR",
                    "tags", List.of("cats", "🐈")))
            .get("id")
            .asText();

    Video video = cp.store().findVideo(VideoId.of(id)).orElseThrow();
    assertThat(video.contentType()).isEqualTo("video/webm");
    assertThat(video.description()).isEqualTo("line 1\nline 2");
    assertThat(video.language()).isEqualTo("pt-BR");
    assertThat(video.tags()).containsExactly("cats", "🐈");
  }

  @Test
  void create_noOrBadApiKey_401() {
    assertError(cp.send("POST", "/api/v1/videos", null, CAT), 401, "UNAUTHORIZED");
    assertError(cp.send("POST", "/api/v1/videos", "rbx_not-a-key", CAT), 401, "UNAUTHORIZED");
    String revoked = cp.store().createApiKey(alice.user().id(), "old").plaintext();
    cp.store().revokeApiKey(cp.store().listApiKeys(alice.user().id()).get(1).id());
    assertError(cp.send("POST", "/api/v1/videos", revoked, CAT), 401, "UNAUTHORIZED");
    // The cluster credential is for /internal/*, not for the API.
    HttpRequest.Builder request =
        HttpRequest.newBuilder(cp.base.resolve("/api/v1/videos"))
            .POST(HttpRequest.BodyPublishers.ofString(CAT));
    org.reelbox.common.security.ClusterAuth.of(TestControlPlane.SECRET).apply(request);
    assertError(cp.send(request.build()), 401, "UNAUTHORIZED");
  }

  @Test
  void create_viewer_403() {
    Caller viewer = cp.caller("viewer" + USERS.incrementAndGet(), UserRole.VIEWER);

    assertError(cp.send("POST", "/api/v1/videos", viewer.key(), CAT), 403, "FORBIDDEN");
  }

  @Test
  void create_admin_201() {
    HttpResponse<String> response = cp.send("POST", "/api/v1/videos", cp.adminKey, CAT);

    assertThat(response.statusCode()).isEqualTo(201);
  }

  @Test
  void create_sizeOverOneGib_413VideoTooLarge() {
    for (Object size : List.of(VideosApi.MAX_VIDEO_BYTES + 1, Long.MAX_VALUE)) {
      assertError(
          cp.send(
              "POST",
              "/api/v1/videos",
              alice.key(),
              body("filename", "big.mp4", "size", size, "contentType", "video/mp4")),
          413,
          "VIDEO_TOO_LARGE");
    }
    // Past a long: still an integer, still too large.
    assertError(
        cp.send(
            "POST",
            "/api/v1/videos",
            alice.key(),
            "{\"filename\":\"big.mp4\",\"size\":123456789012345678901234567890,"
                + "\"contentType\":\"video/mp4\"}"),
        413,
        "VIDEO_TOO_LARGE");
  }

  @Test
  void create_notAVideoContentType_415() {
    for (String type :
        List.of(
            "application/json", "image/png", "audio/mp4", "video", "video/", "videos/mp4", "")) {
      assertError(
          cp.send(
              "POST",
              "/api/v1/videos",
              alice.key(),
              body("filename", "x.mp4", "size", 10, "contentType", type)),
          415,
          "UNSUPPORTED_MEDIA_TYPE");
    }
  }

  @Test
  void create_badFields_400ValidationFailed() {
    List<String> bad =
        List.of(
            body("size", 10, "contentType", "video/mp4"),
            body("filename", "x.mp4", "contentType", "video/mp4"),
            body("filename", "x.mp4", "size", 10),
            body("filename", "x.mp4", "size", 0, "contentType", "video/mp4"),
            body("filename", "x.mp4", "size", -1, "contentType", "video/mp4"),
            body("filename", "x.mp4", "size", "10", "contentType", "video/mp4"),
            body("filename", "x.mp4", "size", 10.5, "contentType", "video/mp4"),
            body("filename", "x.mp4", "size", null, "contentType", "video/mp4"),
            body("filename", 42, "size", 10, "contentType", "video/mp4"),
            body("filename", "", "size", 10, "contentType", "video/mp4"),
            body("filename", "dir/x.mp4", "size", 10, "contentType", "video/mp4"),
            body("filename", "x".repeat(256), "size", 10, "contentType", "video/mp4"),
            body("filename", "x.mp4", "size", 10, "contentType", 7),
            body("filename", "x.mp4", "size", 10, "contentType", "video/mp4", "title", ""),
            body(
                "filename",
                "x.mp4",
                "size",
                10,
                "contentType",
                "video/mp4",
                "title",
                "t".repeat(201)),
            body("filename", "x.mp4", "size", 10, "contentType", "video/mp4", "title", null),
            body(
                "filename",
                "x.mp4",
                "size",
                10,
                "contentType",
                "video/mp4",
                "description",
                "d".repeat(5001)),
            body("filename", "x.mp4", "size", 10, "contentType", "video/mp4", "language", "e n"),
            body("filename", "x.mp4", "size", 10, "contentType", "video/mp4", "tags", "cats"),
            body("filename", "x.mp4", "size", 10, "contentType", "video/mp4", "tags", List.of(1)),
            body("filename", "x.mp4", "size", 10, "contentType", "video/mp4", "profile", "../x"),
            body("filename", "x.mp4", "size", 10, "contentType", "video/mp4", "owner", 1),
            body("filename", "x.mp4", "size", 10, "contentType", "video/mp4", "state", "READY"));
    for (String request : bad) {
      assertError(
          cp.send("POST", "/api/v1/videos", alice.key(), request), 400, "VALIDATION_FAILED");
    }
    assertThat(cp.store().listVideosByOwner(alice.user().id(), 0, 100)).isEmpty();
  }

  @Test
  void create_unknownField_400NamingIt() {
    JsonNode error =
        assertError(
            cp.send(
                "POST",
                "/api/v1/videos",
                alice.key(),
                body("filename", "x.mp4", "size", 10, "contentType", "video/mp4", "titel", "x")),
            400,
            "VALIDATION_FAILED");

    assertThat(error.get("message").asText()).contains("'titel'");
  }

  @Test
  void create_notJson_400InvalidJson() {
    for (String request :
        List.of(
            "",
            "not json",
            "{\"filename\":",
            "[]",
            "\"text\"",
            "null",
            "{} {}",
            "{\"filename\":\"a.mp4\",\"filename\":\"b.mp4\",\"size\":1,\"contentType\":\"video/mp4\"}")) {
      assertError(cp.send("POST", "/api/v1/videos", alice.key(), request), 400, "INVALID_JSON");
    }
  }

  @Test
  void create_bodyOver64KiB_413PayloadTooLarge() {
    String huge =
        body(
            "filename",
            "x.mp4",
            "size",
            1,
            "contentType",
            "video/mp4",
            "description",
            "d".repeat(70_000));

    assertError(cp.send("POST", "/api/v1/videos", alice.key(), huge), 413, "PAYLOAD_TOO_LARGE");
  }

  // ---- GET /api/v1/videos/{id}

  @Test
  void get_owner_200WithEveryField() {
    String id = create(alice, CAT).get("id").asText();

    HttpResponse<String> response = cp.send("GET", "/api/v1/videos/" + id, alice.key(), null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode video = json(response);
    assertThat(video.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly(
            "id",
            "ownerId",
            "state",
            "errorCode",
            "error",
            "title",
            "description",
            "language",
            "tags",
            "visibility",
            "filename",
            "contentType",
            "profile",
            "planOptions",
            "sizeBytes",
            "sha256",
            "durationMs",
            "uploadExpiresAt",
            "createdAt",
            "updatedAt",
            "progress",
            "playable",
            "playback");
    assertThat(video.get("id").asText()).isEqualTo(id);
    assertThat(video.get("ownerId").asLong()).isEqualTo(alice.user().id());
    assertThat(video.get("state").asText()).isEqualTo("UPLOADING");
    assertThat(video.get("title").asText()).isEqualTo("cat");
    assertThat(video.get("errorCode").isNull()).isTrue();
    assertThat(video.get("sizeBytes").isNull()).isTrue();
    assertThat(video.get("tags").isArray()).isTrue();
  }

  @Test
  void get_admin_200() {
    String id = create(alice, CAT).get("id").asText();

    assertThat(cp.send("GET", "/api/v1/videos/" + id, cp.adminKey, null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void get_otherUsersVideo_404LikeAnUnknownOne() {
    String id = create(alice, CAT).get("id").asText();
    Caller bob = cp.caller("bob" + USERS.incrementAndGet(), UserRole.CREATOR);

    JsonNode hidden =
        assertError(cp.send("GET", "/api/v1/videos/" + id, bob.key(), null), 404, "NOT_FOUND");
    JsonNode unknown =
        assertError(
            cp.send("GET", "/api/v1/videos/AAAAAAAAAAA", bob.key(), null), 404, "NOT_FOUND");

    assertThat(hidden).isEqualTo(unknown);
  }

  @Test
  void get_badIdFormat_404() {
    for (String id : List.of("short", "AAAAAAAAAAAA", "AAAAAAAAAA%21", "AAAAAAAAAA.")) {
      assertError(cp.send("GET", "/api/v1/videos/" + id, alice.key(), null), 404, "NOT_FOUND");
    }
  }

  @Test
  void get_noKey_401() {
    String id = create(alice, CAT).get("id").asText();

    assertError(cp.send("GET", "/api/v1/videos/" + id, null, null), 401, "UNAUTHORIZED");
  }

  @Test
  void unsupportedMethod_405() {
    String id = create(alice, CAT).get("id").asText();

    assertError(
        cp.send("DELETE", "/api/v1/videos/" + id, alice.key(), null), 405, "METHOD_NOT_ALLOWED");
  }

  // ---- PATCH /api/v1/videos/{id}

  @Test
  void patch_whileUploading_changesTheGivenFieldsOnly() {
    String id = create(alice, CAT).get("id").asText();

    HttpResponse<String> response =
        cp.send(
            "PATCH",
            "/api/v1/videos/" + id,
            alice.key(),
            body("title", "Renamed ✓", "language", "en", "tags", List.of("cats", "funny")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode video = json(response);
    assertThat(video.get("title").asText()).isEqualTo("Renamed ✓");
    assertThat(video.get("language").asText()).isEqualTo("en");
    assertThat(video.get("tags").toString()).isEqualTo("[\"cats\",\"funny\"]");
    assertThat(video.get("state").asText()).isEqualTo("UPLOADING");
    assertThat(video.get("description").asText()).isEmpty();

    JsonNode again =
        json(cp.send("PATCH", "/api/v1/videos/" + id, alice.key(), body("description", "d")));
    assertThat(again.get("title").asText()).isEqualTo("Renamed ✓");
    assertThat(again.get("description").asText()).isEqualTo("d");
    assertThat(again.get("tags").size()).isEqualTo(2);
  }

  @Test
  void patch_nullLanguage_clearsIt() {
    String id =
        create(
                alice,
                body("filename", "a.mp4", "size", 1, "contentType", "video/mp4", "language", "de"))
            .get("id")
            .asText();

    JsonNode video =
        json(cp.send("PATCH", "/api/v1/videos/" + id, alice.key(), "{\"language\":null}"));

    assertThat(video.get("language").isNull()).isTrue();
  }

  @Test
  void patch_inTerminalState_stillAllowed() {
    String id = create(alice, CAT).get("id").asText();
    cp.store().transitionVideo(VideoTransition.failed(VideoId.of(id), "UNSUPPORTED_CONTAINER"));

    HttpResponse<String> response =
        cp.send("PATCH", "/api/v1/videos/" + id, alice.key(), body("title", "still mine"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("state").asText()).isEqualTo("FAILED");
    assertThat(json(response).get("errorCode").asText()).isEqualTo("UNSUPPORTED_CONTAINER");
  }

  @Test
  void patch_badBodies_400() {
    String id = create(alice, CAT).get("id").asText();
    List<String> invalid =
        List.of(
            "{}",
            body("title", ""),
            body("title", null),
            body("title", 5),
            body("description", null),
            body("language", "english language"),
            body("language", "e"),
            body("tags", null),
            body("tags", List.of("a", "a")),
            body("tags", List.of("x".repeat(41))),
            body("tags", java.util.stream.IntStream.range(0, 21).mapToObj(i -> "t" + i).toList()),
            body("state", "READY"),
            body("sizeBytes", 5));
    for (String request : invalid) {
      assertError(
          cp.send("PATCH", "/api/v1/videos/" + id, alice.key(), request), 400, "VALIDATION_FAILED");
    }
    assertError(cp.send("PATCH", "/api/v1/videos/" + id, alice.key(), "{"), 400, "INVALID_JSON");
    assertThat(cp.store().findVideo(VideoId.of(id)).orElseThrow().title()).isEqualTo("cat");
  }

  @Test
  void patch_otherUsersOrUnknownVideo_404() {
    String id = create(alice, CAT).get("id").asText();
    Caller bob = cp.caller("bob" + USERS.incrementAndGet(), UserRole.CREATOR);

    assertError(
        cp.send("PATCH", "/api/v1/videos/" + id, bob.key(), body("title", "mine now")),
        404,
        "NOT_FOUND");
    assertError(
        cp.send("PATCH", "/api/v1/videos/nope", bob.key(), body("title", "x")), 404, "NOT_FOUND");
    assertThat(cp.store().findVideo(VideoId.of(id)).orElseThrow().title()).isEqualTo("cat");
  }

  @Test
  void patch_admin_200() {
    String id = create(alice, CAT).get("id").asText();

    assertThat(
            cp.send("PATCH", "/api/v1/videos/" + id, cp.adminKey, body("title", "moderated"))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void patch_afterUpload_keepsSizeAndChecksum() {
    String id = create(alice, CAT).get("id").asText();
    cp.store().transitionVideo(VideoTransition.uploaded(VideoId.of(id), 12_345_678L, SHA));

    JsonNode video =
        json(cp.send("PATCH", "/api/v1/videos/" + id, alice.key(), body("title", "t")));

    assertThat(video.get("state").asText()).isEqualTo("UPLOADED");
    assertThat(video.get("sizeBytes").asLong()).isEqualTo(12_345_678L);
    assertThat(video.get("sha256").asText()).isEqualTo(SHA);
  }

  // ---- helpers as units

  @Test
  void titleFrom_fileNames() {
    assertThat(VideosApi.titleFrom("cat.mp4")).isEqualTo("cat");
    assertThat(VideosApi.titleFrom("archive.tar.gz")).isEqualTo("archive.tar");
    assertThat(VideosApi.titleFrom(".mp4")).isEqualTo(".mp4");
    assertThat(VideosApi.titleFrom("noext")).isEqualTo("noext");
    assertThat(VideosApi.titleFrom(" .mp4")).isEqualTo(" .mp4");
    assertThat(VideosApi.titleFrom("🎬".repeat(120) + ".mp4")).isEqualTo("🎬".repeat(100));
    assertThat(VideosApi.titleFrom("a" + "🎬".repeat(120))).hasSize(199);
  }

  @Test
  void videoContentType_normalisesOrRefuses() {
    assertThat(VideosApi.videoContentType(" Video/MP4 ; codecs=avc1")).isEqualTo("video/mp4");
    assertThat(VideosApi.videoContentType("video/x-matroska")).isEqualTo("video/x-matroska");
    assertThatThrownBy(() -> VideosApi.videoContentType("video/mp 4"))
        .isInstanceOf(ApiException.class);
  }
}
