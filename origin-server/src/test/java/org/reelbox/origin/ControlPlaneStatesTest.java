package org.reelbox.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.origin.internal.ControlPlaneStates;
import org.reelbox.origin.internal.VideoStates;

/** The origin's client of {@code GET /internal/videos/{id}/playback}. */
class ControlPlaneStatesTest {
  @Test
  void find_answersAndCachesThem_negativeOnesToo() throws Exception {
    try (FakeControlPlane cp = new FakeControlPlane(OriginFixtures.SECRET)) {
      cp.set("abcdefghijk", "PROCESSING", false);
      ControlPlaneStates states =
          new ControlPlaneStates(
              cp.url().toString(), ClusterAuth.of(OriginFixtures.SECRET), Duration.ofMinutes(1));

      assertThat(states.find("abcdefghijk"))
          .contains(new VideoStates.VideoState("PROCESSING", false));
      assertThat(states.find("zzzzzzzzzzz")).isEmpty();
      cp.set("abcdefghijk", "READY", true);
      cp.set("zzzzzzzzzzz", "UPLOADED", false);
      assertThat(states.find("abcdefghijk"))
          .contains(new VideoStates.VideoState("PROCESSING", false));
      assertThat(states.find("zzzzzzzzzzz")).isEmpty();
      assertThat(cp.calls.get()).isEqualTo(2);
    }
  }

  @Test
  void find_withoutCache_asksEveryTime() throws Exception {
    try (FakeControlPlane cp = new FakeControlPlane(OriginFixtures.SECRET)) {
      cp.set("abcdefghijk", "UPLOADED", false);
      ControlPlaneStates states =
          new ControlPlaneStates(
              cp.url().toString(), ClusterAuth.of(OriginFixtures.SECRET), Duration.ZERO);
      states.find("abcdefghijk");
      cp.set("abcdefghijk", "READY", true);
      assertThat(states.find("abcdefghijk")).contains(new VideoStates.VideoState("READY", true));
    }
  }

  @Test
  void find_wrongSecretOrNobodyListening_ioExceptionNotCached() throws Exception {
    try (FakeControlPlane cp = new FakeControlPlane(OriginFixtures.SECRET)) {
      cp.set("abcdefghijk", "UPLOADED", false);
      ControlPlaneStates wrong =
          new ControlPlaneStates(
              cp.url().toString(),
              ClusterAuth.of("another-cluster-secret-0123456789-xyz"),
              Duration.ofMinutes(1));
      assertThatThrownBy(() -> wrong.find("abcdefghijk"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("401");
      assertThatThrownBy(() -> wrong.find("abcdefghijk")).isInstanceOf(IOException.class);
      assertThat(cp.calls.get()).isEqualTo(2);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ControlPlaneStates down =
        new ControlPlaneStates(
            "http://127.0.0.1:" + port,
            ClusterAuth.of(OriginFixtures.SECRET),
            Duration.ofMinutes(1));
    assertThatThrownBy(() -> down.find("abcdefghijk")).isInstanceOf(IOException.class);
  }
}
