package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.work.StagedProgress;
import org.reelbox.control.work.TaskListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the resource manager's task changes into progress events on the video streams ({@link
 * VideoEvents#publishProgress}), coalesced: the first change of a video schedules one read of its
 * job's progress a window later, and changes until then ride along. A split that fans out into a
 * thousand encode tasks, or a burst of chunk completions, so costs one query and one event per
 * window per video, and the event shows the state at the end of the window (trailing edge: the last
 * change is never left out).
 *
 * <p>Videos nobody follows cost nothing: a change of a video without listeners is dropped at once,
 * and a read is skipped when the last listener left meanwhile.
 *
 * <p>One thread of its own runs the reads (JDBC), never the publishing thread: a task transition
 * must not wait for a query.
 */
public final class ProgressEvents implements TaskListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProgressEvents.class);

  /** The default window: at most four progress events a second per video. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMillis(250);

  private final VideoEvents events;
  private final Function<VideoId, Optional<StagedProgress>> reader;
  private final long windowMillis;
  private final Set<VideoId> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "reelbox-progress-events");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param reader a video's job progress now (blocking; runs on this class's thread)
   * @param window how long changes are gathered before one read and one event
   */
  public ProgressEvents(
      VideoEvents events, Function<VideoId, Optional<StagedProgress>> reader, Duration window) {
    this.events = requireNonNull(events, "events");
    this.reader = requireNonNull(reader, "reader");
    this.windowMillis = requireNonNull(window, "window").toMillis();
    if (windowMillis < 1) {
      throw new IllegalArgumentException("window must be at least 1 ms, got " + window);
    }
  }

  @Override
  public void taskChanged(VideoId videoId) {
    if (events.listenerCount(videoId) == 0 || !pending.add(videoId)) {
      return;
    }
    try {
      executor.schedule(() -> flush(videoId), windowMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      pending.remove(videoId); // closing
    }
  }

  private void flush(VideoId videoId) {
    // Removed before the read: a change during the read schedules the next window, so that it
    // is not lost, and events stay at least a window apart.
    pending.remove(videoId);
    if (events.listenerCount(videoId) == 0) {
      return;
    }
    try {
      reader.apply(videoId).ifPresent(p -> events.publishProgress(videoId, p));
    } catch (RuntimeException e) {
      log.warn("progress of video {} not published: {}", videoId, e.toString());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
