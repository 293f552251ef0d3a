package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.control.api.SseClient.Event;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoTransition;

/**
 * {@code GET /api/v1/videos/{id}/events} over a real connection. The heartbeat is 1 s here (15 s by
 * default). FAILED and READY are driven through the store: no API makes them yet, and the store's
 * notifications are what feeds the streams.
 */
class VideoEventsApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller alice;

  private Video video;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp =
        TestControlPlane.start(
            dataDir,
            o ->
                o.put(
                    "eventsHeartbeatSeconds",
                    org.reelbox.control.config.ControlPlaneConfig.MAX_EVENTS_HEARTBEAT_SECONDS));
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
    video = cp.store().createVideo(NewVideo.titled(alice.user().id(), "events"));
  }

  @AfterEach
  void noListenerLeftBehind() {
    // Whatever a test did, once its streams are over nothing may stay subscribed.
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(cp.role.videoEvents().subscribedVideoCount()).isZero());
  }

  private SseClient open(Video v, String key) throws Exception {
    return open(v.id().value(), key, Map.of());
  }

  private SseClient open(String id, String key, Map<String, String> headers) throws Exception {
    return SseClient.open(
        cp.client, cp.base.resolve("/api/v1/videos/" + id + "/events"), key, headers);
  }

  private static JsonNode data(Event event) throws IOException {
    assertThat(event.event()).isEqualTo("state");
    return Json.mapper().readTree(event.data());
  }

  /** Waits until the stream has subscribed, so that a change made now is a change it must see. */
  private void awaitSubscribed(Video v) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(cp.role.videoEvents().listenerCount(v.id())).isEqualTo(1));
  }

  @Test
  void events_currentStateThenEveryChangeInOrder_endsAfterReady() throws Exception {
    try (SseClient stream = open(video, alice.key())) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.response().headers().firstValue("content-type"))
          .contains("text/event-stream");
      assertThat(stream.response().headers().firstValue("cache-control")).contains("no-store");
      JsonNode first = data(stream.next(WAIT));
      assertThat(first.get("id").asText()).isEqualTo(video.id().value());
      assertThat(first.get("state").asText()).isEqualTo("UPLOADING");
      awaitSubscribed(video);

      // A PATCH while uploading, the upload notice, then the pipeline, back to back.
      HttpResponse<String> patched =
          cp.send("PATCH", "/api/v1/videos/" + video.id(), alice.key(), body("title", "renamed"));
      assertThat(patched.statusCode()).isEqualTo(200);
      assertThat(
              cp.internal(
                      "/internal/videos/" + video.id() + "/uploaded",
                      body("sizeBytes", 10, "sha256", SHA))
                  .statusCode())
          .isEqualTo(200);
      cp.store().transitionVideo(VideoTransition.processing(video.id()));
      cp.store().transitionVideo(VideoTransition.ready(video.id(), 61_000L));

      JsonNode renamed = data(stream.next(WAIT));
      assertThat(renamed.get("title").asText()).isEqualTo("renamed");
      assertThat(renamed.get("state").asText()).isEqualTo("UPLOADING");
      JsonNode uploaded = data(stream.next(WAIT));
      assertThat(uploaded.get("state").asText()).isEqualTo("UPLOADED");
      assertThat(uploaded.get("sha256").asText()).isEqualTo(SHA);
      // The upload notice also starts the real resource manager's job, which moves the video to
      // PROCESSING itself and may report progress: one or more PROCESSING events, then READY.
      JsonNode event = data(stream.next(WAIT));
      assertThat(event.get("state").asText()).isEqualTo("PROCESSING");
      while (event.get("state").asText().equals("PROCESSING")) {
        event = data(stream.next(WAIT));
      }
      JsonNode ready = event;
      assertThat(ready.get("state").asText()).isEqualTo("READY");
      assertThat(ready.get("durationMs").asLong()).isEqualTo(61_000L);
      assertThat(stream.endsWithin(WAIT)).isTrue();
    }
  }

  @Test
  void events_failed_endsTheStreamWithTheErrorCode() throws Exception {
    try (SseClient stream = open(video, alice.key())) {
      data(stream.next(WAIT));
      awaitSubscribed(video);

      cp.store().transitionVideo(VideoTransition.failed(video.id(), "UNSUPPORTED_CONTAINER"));

      JsonNode failed = data(stream.next(WAIT));
      assertThat(failed.get("state").asText()).isEqualTo("FAILED");
      assertThat(failed.get("errorCode").asText()).isEqualTo("UNSUPPORTED_CONTAINER");
      assertThat(stream.endsWithin(WAIT)).isTrue();
    }
  }

  @Test
  void events_alreadyTerminal_oneEventThenTheEnd() throws Exception {
    cp.store().transitionVideo(VideoTransition.failed(video.id(), "CANCELLED"));

    try (SseClient stream = open(video, alice.key())) {
      assertThat(data(stream.next(WAIT)).get("state").asText()).isEqualTo("FAILED");
      assertThat(stream.endsWithin(WAIT)).isTrue();
    }
  }

  @Test
  void events_eventIdIsUpdatedAtInMicros() throws Exception {
    try (SseClient stream = open(video, alice.key())) {
      Event event = stream.next(WAIT);

      Video stored = cp.store().findVideo(video.id()).orElseThrow();
      long micros =
          stored.updatedAt().getEpochSecond() * 1_000_000 + stored.updatedAt().getNano() / 1_000;
      assertThat(event.id()).isEqualTo(Long.toString(micros));
    }
  }

  @Test
  void events_reconnectToATerminalVideo_204SoEventSourceStops() throws Exception {
    cp.store().transitionVideo(VideoTransition.failed(video.id(), "CANCELLED"));

    try (SseClient stream = open(video.id().value(), alice.key(), Map.of("Last-Event-ID", "1"))) {
      assertThat(stream.status()).isEqualTo(204);
    }
  }

  @Test
  void events_reconnectToALiveVideo_streamsAsUsual() throws Exception {
    try (SseClient stream = open(video.id().value(), alice.key(), Map.of("Last-Event-ID", "1"))) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(data(stream.next(WAIT)).get("state").asText()).isEqualTo("UPLOADING");
    }
  }

  @Test
  void events_clientHangsUp_listenerReleased() throws Exception {
    SseClient stream = open(video, alice.key());
    data(stream.next(WAIT));
    awaitSubscribed(video);

    stream.close();

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(cp.role.videoEvents().listenerCount(video.id())).isZero());
    // Changes after the hang-up go nowhere and break nothing.
    cp.store().transitionVideo(VideoTransition.failed(video.id(), "CANCELLED"));
  }

  @Test
  void events_manyClientsHangUp_noneLeftSubscribed() throws Exception {
    SseClient[] streams = new SseClient[8];
    for (int i = 0; i < streams.length; i++) {
      streams[i] = open(video, alice.key());
      data(streams[i].next(WAIT));
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(cp.role.videoEvents().listenerCount(video.id())).isEqualTo(8));

    for (SseClient stream : streams) {
      stream.close();
    }
  }

  @Test
  void events_http2ClientHangsUp_listenerReleased() throws Exception {
    // The JDK client asks for h2c on plain http; whatever the server answers, cleanup must hold.
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    SseClient stream =
        SseClient.open(
            h2, cp.base.resolve("/api/v1/videos/" + video.id() + "/events"), alice.key(), Map.of());
    data(stream.next(WAIT));
    awaitSubscribed(video);

    stream.close();

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(cp.role.videoEvents().listenerCount(video.id())).isZero());
  }

  @Test
  void events_otherUsersVideo_404() throws Exception {
    Caller bob = cp.caller("bob", UserRole.CREATOR);

    try (SseClient stream = open(video, bob.key())) {
      assertThat(stream.status()).isEqualTo(404);
    }
    assertError(
        cp.send("GET", "/api/v1/videos/" + video.id() + "/events", bob.key(), null),
        404,
        "NOT_FOUND");
  }

  @Test
  void events_unknownOrMalformedId_404() {
    assertError(
        cp.send(
            "GET", "/api/v1/videos/" + VideoId.of("ZZZZZZZZZZZ") + "/events", alice.key(), null),
        404,
        "NOT_FOUND");
    assertError(cp.send("GET", "/api/v1/videos/x/events", alice.key(), null), 404, "NOT_FOUND");
  }

  @Test
  void events_noKey_401() {
    assertError(
        cp.send("GET", "/api/v1/videos/" + video.id() + "/events", null, null),
        401,
        "UNAUTHORIZED");
  }

  @Test
  void events_admin_canFollowAnyVideo() throws Exception {
    try (SseClient stream = open(video, cp.adminKey)) {
      assertThat(data(stream.next(WAIT)).get("state").asText()).isEqualTo("UPLOADING");
    }
  }
}
