package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;

/** The event stream's heartbeat, at 1 s instead of the default 15 s. */
class VideoEventsHeartbeatTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path dataDir;
  private static TestControlPlane cp;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp = TestControlPlane.start(dataDir, o -> o.put("eventsHeartbeatSeconds", 1));
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void events_idle_heartbeatCommentsKeepItOpen() throws Exception {
    Caller alice = cp.caller("alice", UserRole.CREATOR);
    Video video = cp.store().createVideo(NewVideo.titled(alice.user().id(), "quiet"));

    try (SseClient stream =
        SseClient.open(
            cp.client,
            cp.base.resolve("/api/v1/videos/" + video.id() + "/events"),
            alice.key(),
            Map.of())) {
      assertThat(stream.next(WAIT).event()).isEqualTo("state");

      await().atMost(WAIT).until(() -> stream.comments() >= 2);

      assertThat(stream.endsWithin(Duration.ZERO)).isFalse();
    }
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(cp.role.videoEvents().subscribedVideoCount()).isZero());
  }
}
