package org.reelbox.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VideoTransitionTest {
  private static final VideoId ID = VideoId.of("dQw4w9WgXcQ");
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @Test
  void factories_usualEdges_expectTheRightStates() {
    assertThat(VideoTransition.uploaded(ID, 1, SHA).from()).containsExactly(VideoState.UPLOADING);
    assertThat(VideoTransition.processing(ID).from()).containsExactly(VideoState.UPLOADED);
    assertThat(VideoTransition.ready(ID, 10L).from()).containsExactly(VideoState.PROCESSING);
    assertThat(VideoTransition.failed(ID, "E").from())
        .containsExactly(VideoState.UPLOADING, VideoState.UPLOADED, VideoState.PROCESSING);
  }

  @Test
  void constructor_edgeNotInTheStateMachine_throwsIllegalArgument() {
    assertThatThrownBy(
            () ->
                new VideoTransition(
                    ID, Set.of(VideoState.UPLOADING), VideoState.READY, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UPLOADING → READY");
    assertThatThrownBy(
            () ->
                new VideoTransition(
                    ID, Set.of(VideoState.READY), VideoState.FAILED, "E", null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new VideoTransition(ID, Set.of(), VideoState.FAILED, "E", null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_errorCodeRules_requiredForFailedOnly() {
    assertThatThrownBy(() -> VideoTransition.failed(ID, "lower_case"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new VideoTransition(
                    ID, Set.of(VideoState.UPLOADING), VideoState.FAILED, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new VideoTransition(
                    ID, Set.of(VideoState.UPLOADED), VideoState.PROCESSING, "E", null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_badDetails_throwIllegalArgument() {
    assertThatThrownBy(() -> VideoTransition.uploaded(ID, -1, SHA))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VideoTransition.uploaded(ID, 1, SHA.toUpperCase()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VideoTransition.ready(ID, -5L))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void video_errorCodeWithoutFailedState_throwsIllegalArgument() {
    Instant now = Instant.EPOCH;
    assertThatThrownBy(
            () ->
                new Video(
                    ID,
                    1,
                    "t",
                    "",
                    null,
                    List.of(),
                    VideoState.READY,
                    "E",
                    null,
                    null,
                    "default",
                    null,
                    null,
                    null,
                    null,
                    now,
                    now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Video(
                    ID,
                    1,
                    "t",
                    "",
                    null,
                    List.of(),
                    VideoState.FAILED,
                    null,
                    null,
                    null,
                    "default",
                    null,
                    null,
                    null,
                    null,
                    now,
                    now))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void transitionResult_videoNullExactlyWhenNotFound() {
    assertThat(TransitionResult.notFound().succeeded()).isFalse();
    assertThatThrownBy(() -> new TransitionResult(TransitionResult.Outcome.APPLIED, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
