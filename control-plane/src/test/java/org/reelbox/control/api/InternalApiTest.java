package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoState;
import org.reelbox.control.store.VideoTransition;

/** {@code POST /internal/videos/{id}/uploaded}: ingest's completion notice. */
class InternalApiTest {
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final String UPLOADED = body("sizeBytes", 12_345, "sha256", SHA);

  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller alice;

  private Video video;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp = TestControlPlane.start(dataDir);
    alice = cp.caller("alice", UserRole.CREATOR);
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  @BeforeEach
  void newVideo() {
    video = cp.store().createVideo(NewVideo.titled(alice.user().id(), "upload"));
  }

  private String path(Video v) {
    return "/internal/videos/" + v.id() + "/uploaded";
  }

  @Test
  void uploaded_uploadingVideo_200AndUploadedWithSizeAndChecksum() {
    HttpResponse<String> response = cp.internal(path(video), UPLOADED);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"id\":\"" + video.id() + "\",\"state\":\"UPLOADED\"}");
    Video stored = cp.store().findVideo(video.id()).orElseThrow();
    // The upload also started the job, whose first event moves the video on to PROCESSING.
    assertThat(stored.state()).isIn(VideoState.UPLOADED, VideoState.PROCESSING);
    assertThat(cp.role.work().tasksOf(video.id())).hasSize(1);
    assertThat(stored.sizeBytes()).isEqualTo(12_345L);
    assertThat(stored.sha256()).isEqualTo(SHA);
  }

  @Test
  void uploaded_twice_bothOkAndOneTransition() {
    List<Video> published = new CopyOnWriteArrayList<>();
    try (VideoEvents.Subscription s =
        cp.role.videoEvents().subscribe(video.id(), v -> published.add(v))) {
      HttpResponse<String> first = cp.internal(path(video), UPLOADED);
      Video afterFirst = cp.store().findVideo(video.id()).orElseThrow();
      // A duplicate with other details (a bug upstream) changes nothing either.
      HttpResponse<String> second =
          cp.internal(path(video), body("sizeBytes", 99, "sha256", SHA.toUpperCase(Locale.ROOT)));

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(second.statusCode()).isEqualTo(200);
      // The second answer may already see the pipeline's PROCESSING; the details stay the first's.
      assertThat(json(second).get("state").asText()).isIn("UPLOADED", "PROCESSING");
      Video now = cp.store().findVideo(video.id()).orElseThrow();
      assertThat(now.sizeBytes()).isEqualTo(afterFirst.sizeBytes());
      assertThat(now.sha256()).isEqualTo(afterFirst.sha256());
      assertThat(published.stream().filter(v -> v.state() == VideoState.UPLOADED).count())
          .isEqualTo(1);
      // One job, however many notices.
      assertThat(cp.role.work().tasksOf(video.id())).hasSize(1);
    }
  }

  @Test
  void uploaded_afterThePipelineStarted_200WithTheCurrentState() {
    cp.internal(path(video), UPLOADED);
    cp.store().transitionVideo(VideoTransition.processing(video.id()));

    HttpResponse<String> late = cp.internal(path(video), UPLOADED);

    assertThat(late.statusCode()).isEqualTo(200);
    assertThat(json(late).get("state").asText()).isEqualTo("PROCESSING");
  }

  @Test
  void uploaded_failedVideo_409() {
    cp.store().transitionVideo(VideoTransition.failed(video.id(), "CANCELLED"));

    assertError(cp.internal(path(video), UPLOADED), 409, "CONFLICT");

    assertThat(cp.store().findVideo(video.id()).orElseThrow().state()).isEqualTo(VideoState.FAILED);
  }

  @Test
  void uploaded_unknownOrMalformedId_404() {
    assertError(cp.internal("/internal/videos/AAAAAAAAAAA/uploaded", UPLOADED), 404, "NOT_FOUND");
    assertError(cp.internal("/internal/videos/bad/uploaded", UPLOADED), 404, "NOT_FOUND");
  }

  @Test
  void uploaded_noOrWrongClusterHeader_401() {
    HttpRequest.Builder none =
        HttpRequest.newBuilder(cp.base.resolve(path(video)))
            .POST(HttpRequest.BodyPublishers.ofString(UPLOADED));
    HttpRequest.Builder wrong =
        HttpRequest.newBuilder(cp.base.resolve(path(video)))
            .header("X-Reelbox-Cluster-Auth", "not-the-credential")
            .POST(HttpRequest.BodyPublishers.ofString(UPLOADED));
    HttpRequest.Builder otherCluster =
        HttpRequest.newBuilder(cp.base.resolve(path(video)))
            .POST(HttpRequest.BodyPublishers.ofString(UPLOADED));
    org.reelbox.common.security.ClusterAuth.of("another-cluster-secret-0123456789-xyz")
        .apply(otherCluster);

    assertError(cp.send(none.build()), 401, "UNAUTHORIZED");
    assertError(cp.send(wrong.build()), 401, "UNAUTHORIZED");
    assertError(cp.send(otherCluster.build()), 401, "UNAUTHORIZED");
    assertThat(cp.store().findVideo(video.id()).orElseThrow().state())
        .isEqualTo(VideoState.UPLOADING);
  }

  @Test
  void uploaded_apiKeyInsteadOfClusterHeader_401() {
    // Even the admin's key does not open /internal/*.
    assertError(cp.send("POST", path(video), cp.adminKey, UPLOADED), 401, "UNAUTHORIZED");
  }

  @Test
  void uploaded_badBodies_400() {
    List<String> invalid =
        List.of(
            body("sha256", SHA),
            body("sizeBytes", 1),
            body("sizeBytes", -1, "sha256", SHA),
            body("sizeBytes", "1", "sha256", SHA),
            body("sizeBytes", 1.5, "sha256", SHA),
            body("sizeBytes", 1, "sha256", "abc"),
            body("sizeBytes", 1, "sha256", SHA + "0"),
            body("sizeBytes", 1, "sha256", SHA, "extra", true),
            "{\"sizeBytes\":123456789012345678901234567890,\"sha256\":\"" + SHA + "\"}");
    for (String request : invalid) {
      assertError(cp.internal(path(video), request), 400, "VALIDATION_FAILED");
    }
    assertError(cp.internal(path(video), "nope"), 400, "INVALID_JSON");
    assertThat(cp.store().findVideo(video.id()).orElseThrow().state())
        .isEqualTo(VideoState.UPLOADING);
  }

  private HttpResponse<String> playback(String id) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(cp.base.resolve("/internal/videos/" + id + "/playback")).GET();
    org.reelbox.common.security.ClusterAuth.of(TestControlPlane.SECRET).apply(request);
    return cp.send(request.build());
  }

  @Test
  void playback_uploadingThenUploaded_notPlayable() {
    HttpResponse<String> uploading = playback(video.id().value());
    assertThat(uploading.statusCode()).as(uploading.body()).isEqualTo(200);
    assertThat(uploading.body())
        .isEqualTo(
            "{\"id\":\""
                + video.id()
                + "\",\"state\":\"UPLOADING\",\"playable\":false,\"renditions\":[]}");

    cp.internal(path(video), UPLOADED);
    HttpResponse<String> uploaded = playback(video.id().value());
    assertThat(json(uploaded).get("state").asText()).isIn("UPLOADED", "PROCESSING");
    assertThat(json(uploaded).get("playable").asBoolean()).isFalse();
  }

  @Test
  void playback_ready_playable() {
    cp.internal(path(video), UPLOADED);
    cp.store().transitionVideo(VideoTransition.processing(video.id()));
    cp.store().transitionVideo(VideoTransition.ready(video.id(), 1000L));

    HttpResponse<String> ready = playback(video.id().value());

    assertThat(json(ready).get("state").asText()).isEqualTo("READY");
    assertThat(json(ready).get("playable").asBoolean()).isTrue();
  }

  @Test
  void playback_failed_notPlayable() {
    cp.store().transitionVideo(VideoTransition.failed(video.id(), "CANCELLED"));

    HttpResponse<String> failed = playback(video.id().value());

    assertThat(json(failed).get("state").asText()).isEqualTo("FAILED");
    assertThat(json(failed).get("playable").asBoolean()).isFalse();
  }

  @Test
  void playback_unknownOrMalformedId_404() {
    assertError(playback("AAAAAAAAAAA"), 404, "NOT_FOUND");
    assertError(playback("bad"), 404, "NOT_FOUND");
  }

  @Test
  void playback_withoutClusterHeader_401() {
    HttpRequest none =
        HttpRequest.newBuilder(cp.base.resolve("/internal/videos/" + video.id() + "/playback"))
            .GET()
            .build();
    assertError(cp.send(none), 401, "UNAUTHORIZED");
    assertError(
        cp.send("GET", "/internal/videos/" + video.id() + "/playback", cp.adminKey, null),
        401,
        "UNAUTHORIZED");
  }

  @Test
  void unknownInternalPath_withCredential_404() {
    assertError(cp.internal("/internal/nothing", "{}"), 404, "NOT_FOUND");
  }
}
