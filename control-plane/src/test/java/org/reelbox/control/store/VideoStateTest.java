package org.reelbox.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.store.VideoState.FAILED;
import static org.reelbox.control.store.VideoState.PROCESSING;
import static org.reelbox.control.store.VideoState.READY;
import static org.reelbox.control.store.VideoState.UPLOADED;
import static org.reelbox.control.store.VideoState.UPLOADING;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VideoStateTest {
  // The whole table from DESIGN.md, so that a change to the state machine is a change here too.
  private static final Map<VideoState, Set<VideoState>> ALLOWED =
      Map.of(
          UPLOADING, EnumSet.of(UPLOADED, FAILED),
          UPLOADED, EnumSet.of(PROCESSING, FAILED),
          PROCESSING, EnumSet.of(READY, FAILED),
          READY, EnumSet.noneOf(VideoState.class),
          FAILED, EnumSet.noneOf(VideoState.class));

  @Test
  void canTransitionTo_everyPair_matchesTheDesign() {
    for (VideoState from : VideoState.values()) {
      for (VideoState to : VideoState.values()) {
        assertThat(from.canTransitionTo(to))
            .as("%s → %s", from, to)
            .isEqualTo(ALLOWED.get(from).contains(to));
      }
    }
  }

  @Test
  void terminal_onlyReadyAndFailed() {
    assertThat(EnumSet.allOf(VideoState.class).stream().filter(VideoState::terminal))
        .containsExactlyInAnyOrder(READY, FAILED);
  }
}
