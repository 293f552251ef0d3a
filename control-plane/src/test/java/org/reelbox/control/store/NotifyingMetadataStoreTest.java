package org.reelbox.control.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.reelbox.control.store.internal.NotifyingMetadataStore;
import org.reelbox.control.testing.CapturedLogs;

/**
 * The notifying decorator passes the whole contract, and tells its listener about exactly the
 * writes that changed a video.
 */
class NotifyingMetadataStoreTest extends MetadataStoreContract {
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private final List<Video> changes = new CopyOnWriteArrayList<>();

  @Override
  protected MetadataStore newStore(Clock clock) {
    return new NotifyingMetadataStore(new InMemoryMetadataStore(clock), changes::add);
  }

  private Video newVideo() {
    User alice = store.createUser("alice", UserRole.CREATOR, HASH);
    return store.createVideo(NewVideo.titled(alice.id(), "t"));
  }

  @Test
  void notifies_appliedTransitionsAndUpdates_only() {
    Video video = newVideo();

    Video uploaded = store.transitionVideo(VideoTransition.uploaded(video.id(), 1L, SHA)).video();
    store.transitionVideo(VideoTransition.uploaded(video.id(), 1L, SHA)); // already in state
    store.transitionVideo(VideoTransition.ready(video.id(), null)); // refused
    store.transitionVideo(VideoTransition.processing(VideoId.of("AAAAAAAAAAA"))); // not found
    Video renamed =
        store.updateVideoMetadata(video.id(), VideoPatch.NONE.withTitle("r")).orElseThrow();
    store.updateVideoMetadata(VideoId.of("AAAAAAAAAAA"), VideoPatch.NONE.withTitle("r"));

    assertThat(changes).containsExactly(uploaded, renamed);
  }

  @Test
  void listenerThrows_writeStillSucceeds() {
    MetadataStore throwing =
        new NotifyingMetadataStore(
            new InMemoryMetadataStore(clock),
            v -> {
              throw new IllegalStateException("broken listener (expected in this test)");
            });
    User alice = throwing.createUser("alice", UserRole.CREATOR, HASH);
    Video video = throwing.createVideo(NewVideo.titled(alice.id(), "t"));

    try (CapturedLogs logs = new CapturedLogs(NotifyingMetadataStore.class)) {
      TransitionResult result =
          throwing.transitionVideo(VideoTransition.failed(video.id(), "CANCELLED"));

      assertThat(result.outcome()).isEqualTo(TransitionResult.Outcome.APPLIED);
      assertThat(logs.messages())
          .containsExactly("video change listener failed for video " + video.id());
    }
  }
}
