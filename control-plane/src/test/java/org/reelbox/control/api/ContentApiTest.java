package org.reelbox.control.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoTransition;
import org.reelbox.control.store.Visibility;
import org.reelbox.media.hls.IFrameVariant;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.PlaylistWriter;
import org.reelbox.media.hls.Rendition;
import org.reelbox.media.hls.Variant;

/**
 * The content APIs of the web UI (docs/web-ui.md, "Content APIs the pages use") on a real control
 * plane with its file blob store: visibility, the video listing, subtitles and the master playlist
 * they are published in, the creator's thumbnail.
 */
class ContentApiTest {
  private static final String SHA = "0".repeat(64);
  private static final String ORIGIN = "http://origin.example:8082";
  private static final String VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n";

  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller alice;
  private static Caller bob;
  private static Caller vera;

  @BeforeAll
  static void start() throws Exception {
    cp =
        TestControlPlane.start(
            dataDir,
            o -> {
              o.put("originUrl", ORIGIN);
              o.putObject("routing").put("defaultRegion", "elsewhere");
            });
    alice = cp.caller("alice", UserRole.CREATOR);
    bob = cp.caller("bob", UserRole.CREATOR);
    vera = cp.caller("vera", UserRole.VIEWER);
    HttpResponse<String> r =
        cp.send(
            "PUT",
            "/api/v1/admin/regions",
            cp.adminKey,
            body("cidr", "127.0.0.0/8", "region", "isp-a"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (cp != null) {
      cp.close();
    }
  }

  // ---- fixtures

  private static Video video(Caller owner, String title, Visibility visibility) {
    return cp.store()
        .createVideo(
            NewVideo.builder(owner.user().id(), title)
                .filename(title + ".mp4")
                .visibility(visibility)
                .build());
  }

  private static Video ready(Video v, long durationMs) {
    cp.store().transitionVideo(VideoTransition.uploaded(v.id(), 10, SHA));
    cp.store().transitionVideo(VideoTransition.processing(v.id()));
    return cp.store().transitionVideo(VideoTransition.ready(v.id(), durationMs)).video();
  }

  private static Video readyVideo(Caller owner, String title, Visibility visibility) {
    return ready(video(owner, title, visibility), 1000L);
  }

  private static BlobStore blobs() {
    return cp.role.blobs();
  }

  private static void putBlob(String key, byte[] bytes) throws IOException {
    blobs().put(key, new ByteArrayInputStream(bytes), bytes.length);
  }

  private static String blobText(String key) throws IOException {
    try (InputStream in = blobs().get(key)) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  private static boolean exists(String key) throws IOException {
    return blobs().stat(key).isPresent();
  }

  /** A master as the encoder's package task writes it: two variants and an I-frame playlist. */
  private static String packagedMaster() {
    return PlaylistWriter.write(
        new MasterPlaylist(
            4,
            true,
            List.of(),
            List.of(
                Variant.builder("720p/index.m3u8", 3_000_000)
                    .averageBandwidthBps(2_500_000)
                    .codecs("avc1.64001f", "mp4a.40.2")
                    .resolution(1280, 720)
                    .frameRate(30)
                    .build(),
                Variant.builder("360p/index.m3u8", 900_000)
                    .codecs("avc1.4d401e", "mp4a.40.2")
                    .resolution(640, 360)
                    .frameRate(30)
                    .build()),
            List.of(
                new IFrameVariant(
                    "720p/iframes.m3u8",
                    200_000,
                    java.util.OptionalLong.empty(),
                    List.of("avc1.64001f"),
                    java.util.Optional.of(new org.reelbox.media.hls.Resolution(1280, 720))))));
  }

  private static HttpResponse<String> raw(
      String method, String path, Caller caller, String contentType, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(cp.base.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + caller.key())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return cp.send(b.build());
  }

  private static HttpResponse<String> putVtt(Caller caller, Video v, String lang, String text) {
    return raw(
        "PUT",
        "/api/v1/videos/" + v.id() + "/subtitles/" + lang,
        caller,
        "text/vtt",
        text.getBytes(UTF_8));
  }

  private static HttpResponse<String> get(Caller caller, String path) {
    return cp.send("GET", path, caller.key(), null);
  }

  private static byte[] image(String format, int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, width, height);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).isTrue();
    return out.toByteArray();
  }

  private static BufferedImage readImage(String key) throws IOException {
    try (InputStream in = blobs().get(key)) {
      return ImageIO.read(in);
    }
  }

  // ---- visibility

  @Test
  void visibility_setAtCreationAndByPatch_shownByGet_badValue400() {
    HttpResponse<String> created =
        cp.send(
            "POST",
            "/api/v1/videos",
            alice.key(),
            body(
                "filename",
                "v.mp4",
                "size",
                1000,
                "contentType",
                "video/mp4",
                "visibility",
                "unlisted"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = json(created).get("id").asText();
    assertThat(json(get(alice, "/api/v1/videos/" + id)).get("visibility").asText())
        .isEqualTo("UNLISTED");

    HttpResponse<String> plain =
        cp.send(
            "POST",
            "/api/v1/videos",
            alice.key(),
            body("filename", "p.mp4", "size", 1000, "contentType", "video/mp4"));
    assertThat(
            json(get(alice, "/api/v1/videos/" + json(plain).get("id").asText()))
                .get("visibility")
                .asText())
        .isEqualTo("PRIVATE");

    HttpResponse<String> patched =
        cp.send("PATCH", "/api/v1/videos/" + id, alice.key(), body("visibility", "PUBLIC"));
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    assertThat(json(patched).get("visibility").asText()).isEqualTo("PUBLIC");

    assertError(
        cp.send("PATCH", "/api/v1/videos/" + id, alice.key(), body("visibility", "friends")),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send(
            "POST",
            "/api/v1/videos",
            alice.key(),
            body("filename", "v.mp4", "size", 1000, "contentType", "video/mp4", "visibility", 3)),
        400,
        "VALIDATION_FAILED");
  }

  @Test
  void privateVideoOfAnotherUser_404OnEveryRoute() {
    Video v = readyVideo(alice, "secret", Visibility.PRIVATE);
    String base = "/api/v1/videos/" + v.id();
    for (Caller other : List.of(bob, vera)) {
      assertError(get(other, base), 404, "NOT_FOUND");
      assertError(get(other, base + "/play"), 404, "NOT_FOUND");
      assertError(get(other, base + "/subtitles"), 404, "NOT_FOUND");
      assertError(putVtt(other, v, "en", VTT), 404, "NOT_FOUND");
      assertError(cp.send("DELETE", base + "/subtitles/en", other.key(), null), 404, "NOT_FOUND");
      assertError(
          raw("PUT", base + "/thumbnail", other, "image/png", new byte[] {1}), 404, "NOT_FOUND");
    }
    // The owner and an admin still see it.
    assertThat(get(alice, base).statusCode()).isEqualTo(200);
    assertThat(cp.send("GET", base, cp.adminKey, null).statusCode()).isEqualTo(200);
  }

  @Test
  void unlistedAndPublic_readableAndPlayableByOthers_butNotWritable() throws Exception {
    for (Visibility visibility : List.of(Visibility.UNLISTED, Visibility.PUBLIC)) {
      Video v = readyVideo(alice, "shared-" + visibility, visibility);
      String base = "/api/v1/videos/" + v.id();

      HttpResponse<String> seen = get(vera, base);
      assertThat(seen.statusCode()).as(seen.body()).isEqualTo(200);
      JsonNode json = json(seen);
      assertThat(json.get("title").asText()).isEqualTo("shared-" + visibility);
      // What only the owner needs is not shown to others.
      assertThat(json.get("filename").isNull()).isTrue();
      assertThat(json.get("sha256").isNull()).isTrue();
      assertThat(json(get(alice, base)).get("filename").asText()).endsWith(".mp4");

      HttpResponse<String> play = get(vera, base + "/play");
      assertThat(play.statusCode()).as(play.body()).isEqualTo(200);
      assertThat(get(vera, base + "/subtitles").statusCode()).isEqualTo(200);

      assertError(cp.send("PATCH", base, vera.key(), body("title", "mine now")), 403, "FORBIDDEN");
      assertError(
          cp.send("PATCH", base, bob.key(), body("visibility", "PRIVATE")), 403, "FORBIDDEN");
      assertError(putVtt(vera, v, "en", VTT), 403, "FORBIDDEN");
      assertError(
          raw("PUT", base + "/thumbnail", bob, "image/png", image("png", 16, 16)),
          403,
          "FORBIDDEN");
      assertError(get(vera, base + "/tasks"), 403, "FORBIDDEN");
    }
  }

  // ---- listing

  @Test
  void list_badParameters_400() {
    for (String query :
        List.of(
            "scope=all",
            "sort=oldest",
            "offset=-1",
            "offset=10001",
            "limit=0",
            "limit=101",
            "limit=ten",
            "offset=1.5",
            "scope=public&scope=mine")) {
      assertError(get(alice, "/api/v1/videos?" + query), 400, "VALIDATION_FAILED");
    }
  }

  @Test
  void list_publicLatest_onlyPublicReady_withThumbnailAndOwnerName() throws Exception {
    Video older = readyVideo(bob, "list-older", Visibility.PUBLIC);
    Thread.sleep(5);
    Video newer = readyVideo(alice, "list-newer", Visibility.PUBLIC);
    Video unlisted = readyVideo(alice, "list-unlisted", Visibility.UNLISTED);
    Video notReady = video(alice, "list-uploading", Visibility.PUBLIC);
    putBlob(BlobLayout.thumbnailKey(newer.id().value(), 1, 0), new byte[] {1, 2, 3});

    JsonNode page = json(get(vera, "/api/v1/videos?scope=public&sort=latest&limit=100"));
    List<String> ids = new ArrayList<>();
    page.get("videos").forEach(v -> ids.add(v.get("id").asText()));
    assertThat(ids).containsSubsequence(newer.id().value(), older.id().value());
    assertThat(ids).doesNotContain(unlisted.id().value(), notReady.id().value());
    assertThat(page.get("offset").asInt()).isZero();
    assertThat(page.get("limit").asInt()).isEqualTo(100);

    JsonNode first = page.get("videos").get(ids.indexOf(newer.id().value()));
    assertThat(first.get("ownerName").asText()).isEqualTo("alice");
    assertThat(first.get("visibility").asText()).isEqualTo("PUBLIC");
    assertThat(first.get("filename").isNull()).isTrue();
    assertThat(first.get("thumbnailUrl").asText())
        .startsWith(ORIGIN + "/t/")
        .endsWith("/v/" + newer.id() + "/thumbs/10.jpg");
    JsonNode second = page.get("videos").get(ids.indexOf(older.id().value()));
    assertThat(second.get("thumbnailUrl").isNull()).isTrue();
    assertThat(second.get("ownerName").asText()).isEqualTo("bob");

    JsonNode one = json(get(vera, "/api/v1/videos?scope=public&offset=1&limit=1"));
    assertThat(one.get("videos")).hasSize(1);
  }

  @Test
  void list_mine_everyStateAndVisibilityOfTheCallerOnly() {
    Caller carol = cp.caller("carol", UserRole.CREATOR);
    Video a = video(carol, "mine-a", Visibility.PRIVATE);
    Video b = readyVideo(carol, "mine-b", Visibility.PUBLIC);
    readyVideo(alice, "not-carols", Visibility.PUBLIC);

    JsonNode page = json(get(carol, "/api/v1/videos?scope=mine"));
    List<String> ids = new ArrayList<>();
    page.get("videos").forEach(v -> ids.add(v.get("id").asText()));
    assertThat(ids).containsExactlyInAnyOrder(a.id().value(), b.id().value());
    assertThat(page.get("videos").get(0).get("ownerName").asText()).isEqualTo("carol");
    // The default scope is the caller's own.
    assertThat(json(get(carol, "/api/v1/videos")).get("videos")).hasSize(2);
  }

  @Test
  void list_popular_callersRegionFirstThenTheDefaultRegion_onlyPublicReady() {
    Video regional = readyVideo(bob, "pop-regional", Visibility.PUBLIC);
    Video regionalLess = readyVideo(bob, "pop-regional-less", Visibility.PUBLIC);
    Video global = readyVideo(bob, "pop-global", Visibility.PUBLIC);
    Video hidden = readyVideo(bob, "pop-private", Visibility.PRIVATE);
    Instant now = Instant.now();
    // The test client is 127.0.0.1: region isp-a.
    cp.role.popularity().recordViews(regional.id(), "isp-a", 5000, now);
    cp.role.popularity().recordViews(regionalLess.id(), "isp-a", 4000, now);
    cp.role.popularity().recordViews(hidden.id(), "isp-a", 9000, now);
    cp.role.popularity().recordViews(global.id(), "elsewhere", 99_000, now);

    JsonNode page = json(get(vera, "/api/v1/videos?scope=public&sort=popular&limit=100"));
    List<String> ids = new ArrayList<>();
    page.get("videos").forEach(v -> ids.add(v.get("id").asText()));
    assertThat(ids)
        .containsSubsequence(regional.id().value(), regionalLess.id().value(), global.id().value())
        .doesNotContain(hidden.id().value());
    assertThat(ids.indexOf(global.id().value()))
        .isGreaterThan(ids.indexOf(regionalLess.id().value()));

    // Bob's own, ranked the same way, private ones included.
    JsonNode mine = json(get(bob, "/api/v1/videos?scope=mine&sort=popular&limit=2"));
    assertThat(mine.get("videos")).hasSize(2);
    assertThat(mine.get("videos").get(0).get("id").asText()).isEqualTo(hidden.id().value());
  }

  // ---- subtitles

  @Test
  void subtitles_badInputs_clearErrors() {
    Video v = video(alice, "subs-bad", Visibility.PRIVATE);
    String base = "/api/v1/videos/" + v.id() + "/subtitles/";
    assertError(
        putVtt(alice, v, "en", "1\n00:00.000 --> 00:01.000\nHi\n"), 400, "VALIDATION_FAILED");
    assertError(putVtt(alice, v, "en", "WEBVTTX\n"), 400, "VALIDATION_FAILED");
    assertError(putVtt(alice, v, "en", ""), 400, "VALIDATION_FAILED");
    assertError(
        raw(
            "PUT",
            base + "en",
            alice,
            "text/vtt",
            new byte[] {'W', 'E', 'B', 'V', 'T', 'T', '\n', (byte) 0xC3, (byte) 0x28}),
        400,
        "VALIDATION_FAILED");
    assertError(
        raw("PUT", base + "en", alice, "text/plain", VTT.getBytes(UTF_8)),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
    assertError(
        raw("PUT", base + "en", alice, null, VTT.getBytes(UTF_8)), 415, "UNSUPPORTED_MEDIA_TYPE");
    for (String lang : List.of("english", "e", "en_US", "en-", "1a", "en-x", "en-toolongsub")) {
      assertError(putVtt(alice, v, lang, VTT), 400, "VALIDATION_FAILED");
    }
    assertError(
        raw("PUT", base + "en?name=%22quoted%22", alice, "text/vtt", VTT.getBytes(UTF_8)),
        400,
        "VALIDATION_FAILED");
    assertError(
        raw("PUT", base + "en?name=" + "x".repeat(65), alice, "text/vtt", VTT.getBytes(UTF_8)),
        400,
        "VALIDATION_FAILED");
    byte[] large = new byte[(1 << 20) + 10];
    Arrays.fill(large, (byte) 'a');
    System.arraycopy("WEBVTT\n".getBytes(UTF_8), 0, large, 0, 7);
    assertError(raw("PUT", base + "en", alice, "text/vtt", large), 413, "PAYLOAD_TOO_LARGE");
    assertError(cp.send("DELETE", base + "en", alice.key(), null), 404, "NOT_FOUND");
    assertThat(json(get(alice, "/api/v1/videos/" + v.id() + "/subtitles")).get("subtitles"))
        .isEmpty();
  }

  @Test
  void subtitles_readyVideo_storedAndPublishedInTheMaster_thenDeleted() throws Exception {
    Video v = ready(video(alice, "subs-ready", Visibility.PUBLIC), 61_500L);
    String id = v.id().value();
    putBlob(BlobLayout.masterKey(id), packagedMaster().getBytes(UTF_8));

    // A byte order mark is accepted and not stored.
    HttpResponse<String> created = putVtt(alice, v, "en", "\uFEFF" + VTT);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(json(created).get("name").asText()).isEqualTo("English");
    assertThat(blobText(BlobLayout.subtitleKey(id, "en"))).isEqualTo(VTT);
    HttpResponse<String> replaced =
        raw(
            "PUT",
            "/api/v1/videos/" + id + "/subtitles/en?name=English%20(CC)",
            alice,
            "text/vtt; charset=utf-8",
            (VTT + "\n00:01.000 --> 00:02.000\nAgain\n").getBytes(UTF_8));
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
    assertThat(json(replaced).get("name").asText()).isEqualTo("English (CC)");
    HttpResponse<String> portuguese = putVtt(alice, v, "pt-BR", VTT);
    assertThat(portuguese.statusCode()).as(portuguese.body()).isEqualTo(201);
    assertThat(json(portuguese).get("language").asText()).isEqualTo("pt-br");
    assertThat(json(portuguese).get("name").asText()).isEqualTo("Portuguese (Brazil)");

    JsonNode list = json(get(vera, "/api/v1/videos/" + id + "/subtitles")).get("subtitles");
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("language").asText()).isEqualTo("en");

    // The track's playlist: one segment as long as the video, rounded up (61.5 s → 62).
    MediaPlaylist track =
        PlaylistParser.parseMedia(blobText(BlobLayout.subtitlePlaylistKey(id, "en")));
    assertThat(track.segments()).hasSize(1);
    assertThat(track.segments().get(0).uri()).isEqualTo("0.vtt");
    assertThat(track.targetDurationSeconds()).isEqualTo(62);
    assertThat(track.endList()).isTrue();

    String masterText = blobText(BlobLayout.masterKey(id));
    assertThat(masterText)
        .contains(
            "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English (CC)\","
                + "LANGUAGE=\"en\"")
        .contains("URI=\"subs/en/index.m3u8\"")
        .contains("URI=\"subs/pt-br/index.m3u8\"")
        .contains("720p/iframes.m3u8");
    MasterPlaylist master = PlaylistParser.parseMaster(masterText);
    assertThat(master.renditions())
        .extracting(Rendition::language)
        .containsExactly(java.util.Optional.of("en"), java.util.Optional.of("pt-br"));
    assertThat(master.renditions()).allMatch(r -> r.autoselect() && !r.isDefault());
    assertThat(master.variants()).hasSize(2);
    assertThat(master.variants())
        .allMatch(x -> x.subtitlesGroupId().equals(java.util.Optional.of("subs")));
    assertThat(master.variants().get(0).codecs()).containsExactly("avc1.64001f", "mp4a.40.2");
    assertThat(master.iFrameVariants()).hasSize(1);

    // The play answer names the tracks, and the poster once thumbnails exist.
    JsonNode play = json(get(vera, "/api/v1/videos/" + id + "/play"));
    assertThat(play.get("subtitles")).hasSize(2);
    assertThat(play.get("subtitles").get(1).get("language").asText()).isEqualTo("pt-br");
    assertThat(play.get("subtitles").get(1).get("name").asText()).isEqualTo("Portuguese (Brazil)");
    assertThat(play.get("posterUrl").isNull()).isTrue();
    putBlob(BlobLayout.thumbnailKey(id, 0, 0), new byte[] {1});
    play = json(get(vera, "/api/v1/videos/" + id + "/play"));
    String url = play.get("url").asText();
    String prefix = url.substring(0, url.length() - "master.m3u8".length());
    assertThat(play.get("posterUrl").asText()).isEqualTo(prefix + "thumbs/0.jpg");

    HttpResponse<String> deleted =
        cp.send("DELETE", "/api/v1/videos/" + id + "/subtitles/en", alice.key(), null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    assertThat(exists(BlobLayout.subtitleKey(id, "en"))).isFalse();
    assertThat(exists(BlobLayout.subtitlePlaylistKey(id, "en"))).isFalse();
    assertThat(blobText(BlobLayout.masterKey(id))).doesNotContain("subs/en/");
    assertError(
        cp.send("DELETE", "/api/v1/videos/" + id + "/subtitles/en", alice.key(), null),
        404,
        "NOT_FOUND");
    assertThat(
            cp.send("DELETE", "/api/v1/videos/" + id + "/subtitles/pt-br", cp.adminKey, null)
                .statusCode())
        .isEqualTo(204);
    // The last track gone: the master is the packaged one again.
    assertThat(blobText(BlobLayout.masterKey(id))).isEqualTo(packagedMaster());
  }

  @Test
  void subtitles_beforeReady_publishedWhenTheVideoBecomesReady_idempotently() throws Exception {
    Video v = video(alice, "subs-early", Visibility.PRIVATE);
    String id = v.id().value();
    cp.store().transitionVideo(VideoTransition.uploaded(v.id(), 10, SHA));
    cp.store().transitionVideo(VideoTransition.processing(v.id()));
    // An early package's master is already published while the job runs.
    putBlob(BlobLayout.masterKey(id), packagedMaster().getBytes(UTF_8));

    assertThat(putVtt(alice, v, "fr", VTT).statusCode()).isEqualTo(201);
    assertThat(blobText(BlobLayout.masterKey(id))).isEqualTo(packagedMaster());
    assertThat(json(get(alice, "/api/v1/videos/" + id + "/subtitles")).get("subtitles")).hasSize(1);

    cp.store().transitionVideo(VideoTransition.ready(v.id(), 3000L));
    cp.role.content().published(v.id());
    String once = blobText(BlobLayout.masterKey(id));
    assertThat(once).contains("LANGUAGE=\"fr\"").contains("NAME=\"French\"");
    assertThat(blobText(BlobLayout.subtitlePlaylistKey(id, "fr")))
        .contains("#EXT-X-TARGETDURATION:3");
    cp.role.content().published(v.id());
    assertThat(blobText(BlobLayout.masterKey(id))).isEqualTo(once);
  }

  // ---- thumbnail

  @Test
  void thumbnail_badInputs_clearErrors() throws Exception {
    Video v = video(alice, "thumb-bad", Visibility.PRIVATE);
    String path = "/api/v1/videos/" + v.id() + "/thumbnail";
    assertError(
        raw("PUT", path, alice, "image/gif", image("gif", 8, 8)), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertError(raw("PUT", path, alice, null, image("png", 8, 8)), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertError(
        raw("PUT", path, alice, "image/png", "not an image".getBytes(UTF_8)),
        400,
        "VALIDATION_FAILED");
    assertError(
        raw("PUT", path, alice, "image/png", image("jpeg", 8, 8)), 400, "VALIDATION_FAILED");
    assertError(raw("PUT", path, alice, "image/jpeg", new byte[0]), 400, "VALIDATION_FAILED");
    byte[] truncated = Arrays.copyOf(image("png", 64, 64), 40);
    assertError(raw("PUT", path, alice, "image/png", truncated), 400, "VALIDATION_FAILED");
    assertError(
        raw("PUT", path, alice, "image/png", image("png", 4097, 2)), 400, "VALIDATION_FAILED");
    byte[] huge = new byte[5 * 1024 * 1024 + 1];
    assertError(raw("PUT", path, alice, "image/png", huge), 413, "PAYLOAD_TOO_LARGE");
    assertThat(exists(BlobLayout.thumbnailImageKey(v.id().value(), "png"))).isFalse();
  }

  @Test
  void thumbnail_whileUploading_becomesThePlanOption_forTheEncoder() throws Exception {
    Video v = video(alice, "thumb-early", Visibility.PRIVATE);
    byte[] png = image("png", 320, 240);
    HttpResponse<String> r =
        raw("PUT", "/api/v1/videos/" + v.id() + "/thumbnail", alice, "image/png", png);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String key = "originals/" + v.id() + "/thumbnail.png";
    assertThat(json(r).get("thumbnailImage").asText()).isEqualTo(key);
    assertThat(json(r).get("rendered").asBoolean()).isFalse();
    assertThat(json(r).get("width").asInt()).isEqualTo(320);
    assertThat(blobs().stat(key).orElseThrow().sizeBytes()).isEqualTo(png.length);
    assertThat(
            json(get(alice, "/api/v1/videos/" + v.id()))
                .get("planOptions")
                .get("thumbnailImage")
                .asText())
        .isEqualTo(key);

    // Replaced by a JPEG: one image remains.
    r =
        raw(
            "PUT",
            "/api/v1/videos/" + v.id() + "/thumbnail",
            alice,
            "image/jpeg",
            image("jpeg", 32, 32));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(exists(key)).isFalse();
    assertThat(exists("originals/" + v.id() + "/thumbnail.jpg")).isTrue();
  }

  @Test
  void thumbnail_readyVideo_renderedIntoThePublishedSizesNow() throws Exception {
    Video v = readyVideo(alice, "thumb-ready", Visibility.PUBLIC);
    HttpResponse<String> r =
        raw(
            "PUT",
            "/api/v1/videos/" + v.id() + "/thumbnail",
            alice,
            "image/jpeg",
            image("jpeg", 1920, 1080));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("rendered").asBoolean()).isTrue();
    int[][] expected = {{1280, 720}, {640, 360}, {320, 180}};
    for (int s = 0; s < expected.length; s++) {
      BufferedImage t = readImage(BlobLayout.thumbnailKey(v.id().value(), s, 0));
      assertThat(new int[] {t.getWidth(), t.getHeight()}).containsExactly(expected[s]);
      Color c = new Color(t.getRGB(t.getWidth() / 2, t.getHeight() / 2));
      assertThat(c.getRed()).isGreaterThan(200); // orange, not a leftover frame
    }
  }

  @Test
  void thumbnail_whileProcessing_renderedWhenTheVideoBecomesReady() throws Exception {
    Video v = video(alice, "thumb-mid", Visibility.PRIVATE);
    cp.store().transitionVideo(VideoTransition.uploaded(v.id(), 10, SHA));
    cp.store().transitionVideo(VideoTransition.processing(v.id()));
    HttpResponse<String> r =
        raw(
            "PUT",
            "/api/v1/videos/" + v.id() + "/thumbnail",
            alice,
            "image/png",
            image("png", 400, 400));
    assertThat(json(r).get("rendered").asBoolean()).isFalse();
    assertThat(exists(BlobLayout.thumbnailKey(v.id().value(), 0, 0))).isFalse();

    cp.store().transitionVideo(VideoTransition.ready(v.id(), 1000L));
    cp.role.content().published(v.id());
    // A square image fits the 16:9 boxes by its height.
    BufferedImage t = readImage(BlobLayout.thumbnailKey(v.id().value(), 0, 0));
    assertThat(new int[] {t.getWidth(), t.getHeight()}).containsExactly(720, 720);
    assertThat(readImage(BlobLayout.thumbnailKey(v.id().value(), 2, 0)).getHeight()).isEqualTo(180);
  }
}
