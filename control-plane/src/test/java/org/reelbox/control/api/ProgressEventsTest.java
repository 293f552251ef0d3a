package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.work.JobState;
import org.reelbox.control.work.StagedProgress;

/** The coalescing of task changes into progress events. */
class ProgressEventsTest {
  private static final VideoId A = VideoId.of("AAAAAAAAAAA");
  private static final VideoId B = VideoId.of("BBBBBBBBBBB");
  private static final Duration WINDOW = Duration.ofMillis(300);

  private final VideoEvents events = new VideoEvents();
  private final AtomicInteger reads = new AtomicInteger();
  private final ProgressEvents progress =
      new ProgressEvents(
          events,
          id -> {
            int n = reads.incrementAndGet();
            return Optional.of(new StagedProgress(JobState.RUNNING, n, 100, List.of()));
          },
          WINDOW);

  @AfterEach
  void close() {
    progress.close();
  }

  @Test
  void burstOfChanges_oneReadAndOneEventPerWindow_showingTheLatest() throws Exception {
    List<StagedProgress> seen = new CopyOnWriteArrayList<>();
    events.subscribe(A, v -> {}, seen::add);

    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      progress.taskChanged(A); // a thousand chunk tasks finishing at once
    }
    assertThat(System.nanoTime() - start).isLessThan(WINDOW.toNanos());
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
    Thread.sleep(WINDOW.toMillis() * 2);
    assertThat(seen).hasSize(1);
    assertThat(reads.get()).isEqualTo(1);

    // A later change gets its own event: nothing is lost after a window closes.
    progress.taskChanged(A);
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(seen.get(1).tasksDone()).isEqualTo(2);
  }

  @Test
  void videoWithoutListeners_neverRead() throws Exception {
    events.subscribe(B, v -> {}, p -> {});

    for (int i = 0; i < 100; i++) {
      progress.taskChanged(A);
    }
    Thread.sleep(WINDOW.toMillis() * 2);

    assertThat(reads.get()).isZero();
  }

  @Test
  void listenerLeftDuringTheWindow_noRead() throws Exception {
    VideoEvents.Subscription s = events.subscribe(A, v -> {}, p -> {});
    progress.taskChanged(A);
    s.close();
    Thread.sleep(WINDOW.toMillis() * 2);

    assertThat(reads.get()).isZero();
  }

  @Test
  void readFails_loggedAndTheNextChangeStillPublishes() {
    AtomicInteger calls = new AtomicInteger();
    List<StagedProgress> seen = new CopyOnWriteArrayList<>();
    try (ProgressEvents flaky =
        new ProgressEvents(
            events,
            id -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
              }
              return Optional.of(new StagedProgress(JobState.RUNNING, 1, 1, List.of()));
            },
            Duration.ofMillis(20))) {
      events.subscribe(A, v -> {}, seen::add);
      flaky.taskChanged(A);
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 1);
      flaky.taskChanged(A);
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
    }
  }
}
