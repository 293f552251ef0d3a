package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.reelbox.common.testing.MutableClock;
import org.reelbox.control.store.InMemoryMetadataStore;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoPatch;
import org.reelbox.control.testing.CapturedLogs;

class VideoEventsTest {
  private static final String HASH = "$2a$04$abcdefghijklmnopqrstuuJ7mGk1yDkC0pW6wq0v0Hk3jO6Cq5F8W";

  private final InMemoryMetadataStore store =
      new InMemoryMetadataStore(new MutableClock(Instant.parse("2026-03-01T00:00:00Z")));
  private final User owner = store.createUser("owner", UserRole.CREATOR, HASH);
  private final VideoEvents events = new VideoEvents();

  private Video video(String title) {
    return store.createVideo(NewVideo.titled(owner.id(), title));
  }

  @Test
  void publish_toSubscribers_ofThatVideoOnlyInSubscriptionOrder() {
    Video a = video("a");
    Video b = video("b");
    List<String> seen = new ArrayList<>();
    events.subscribe(a.id(), v -> seen.add("first " + v.title()));
    events.subscribe(a.id(), v -> seen.add("second " + v.title()));
    events.subscribe(b.id(), v -> seen.add("b " + v.title()));

    events.publish(a);

    assertThat(seen).containsExactly("first a", "second a");
  }

  @Test
  void close_removesOnlyThatSubscriptionAndTheEntryWithTheLast() {
    Video a = video("a");
    List<Video> seen = new ArrayList<>();
    Consumer<Video> same = seen::add;
    VideoEvents.Subscription one = events.subscribe(a.id(), same);
    VideoEvents.Subscription two = events.subscribe(a.id(), same);

    one.close();
    one.close();
    events.publish(a);

    assertThat(seen).containsExactly(a);
    assertThat(events.listenerCount(a.id())).isEqualTo(1);
    two.close();
    assertThat(events.listenerCount(a.id())).isZero();
    assertThat(events.subscribedVideoCount()).isZero();
  }

  @Test
  void publish_listenerThrows_othersStillCalled() {
    Video a = video("a");
    List<Video> seen = new ArrayList<>();
    events.subscribe(
        a.id(),
        v -> {
          throw new IllegalStateException("broken listener (expected in this test)");
        });
    events.subscribe(a.id(), seen::add);

    try (CapturedLogs logs = new CapturedLogs(VideoEvents.class)) {
      events.publish(a);

      assertThat(logs.messages())
          .containsExactly("video event listener failed for video " + a.id());
    }
    assertThat(seen).containsExactly(a);
  }

  @Test
  void publish_noSubscribers_nothingHappens() {
    events.publish(video("nobody listens"));

    assertThat(events.subscribedVideoCount()).isZero();
    assertThat(events.listenerCount(VideoId.of("AAAAAAAAAAA"))).isZero();
  }

  @Test
  void subscribeAndClose_concurrently_leaveNoEntryBehind() throws Exception {
    Video a = video("a");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < 8; t++) {
        pool.submit(
            () -> {
              start.await();
              for (int i = 0; i < 2_000; i++) {
                events.subscribe(a.id(), v -> {}).close();
                events.publish(a);
              }
              return null;
            });
      }
      start.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }

    assertThat(events.subscribedVideoCount()).isZero();
  }

  @Test
  void notifyingStore_feedsThePublisher() {
    Video a = video("a");
    List<Video> seen = new ArrayList<>();
    events.subscribe(a.id(), seen::add);
    var notifying =
        new org.reelbox.control.store.internal.NotifyingMetadataStore(store, events::publish);

    Video patched =
        notifying.updateVideoMetadata(a.id(), VideoPatch.NONE.withTitle("b")).orElseThrow();

    assertThat(seen).containsExactly(patched);
  }
}
