package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.work.StagedProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process publisher of video changes: listeners per video id, fed with the video as each
 * change through this control plane's store left it (the store is wrapped in a {@code
 * NotifyingMetadataStore} whose listener is {@link #publish}), and with the progress of the video's
 * job as its tasks move ({@link #publishProgress}, fed by {@link ProgressEvents}). The event stream
 * endpoint ({@link VideoEventsApi}) is its subscriber.
 *
 * <p><b>One control plane only.</b> A change made by another control plane on the same database (or
 * by hand in SQL) is never published here. Running several control planes needs a fan-out driven by
 * the database (PostgreSQL {@code LISTEN/NOTIFY}, or polling {@code updated_at}); that is a later
 * issue. Until then, a client whose stream ends early still finds the truth with {@code GET
 * /api/v1/videos/{id}}.
 *
 * <p><b>Threads.</b> {@link #publish} calls the listeners on the publishing thread (a worker
 * thread, after the write committed), in subscription order; a listener must hand the work to its
 * own thread (the stream hands it to its event loop) and must not block. An exception from a
 * listener is logged and does not stop the others.
 *
 * <p><b>No leaks.</b> The map holds an entry for a video only while it has listeners: the last
 * {@link Subscription#close()} removes it. Subscribing and closing are atomic per video id.
 */
public final class VideoEvents {
  private static final Logger log = LoggerFactory.getLogger(VideoEvents.class);

  /** A live subscription; {@link #close()} ends it and may be called any number of times. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  // Immutable lists replaced under ConcurrentMap.compute: publish iterates a snapshot without a
  // lock, and an entry disappears exactly when its last listener leaves.
  private final ConcurrentMap<VideoId, List<Listener>> listeners = new ConcurrentHashMap<>();

  private static final class Listener {
    final Consumer<Video> consumer;
    final Consumer<StagedProgress> progress;

    Listener(Consumer<Video> consumer, Consumer<StagedProgress> progress) {
      this.consumer = consumer;
      this.progress = progress;
    }
  }

  /** Calls {@code listener} with every change of {@code videoId} published from now on. */
  public Subscription subscribe(VideoId videoId, Consumer<Video> listener) {
    return subscribe(videoId, listener, p -> {});
  }

  /**
   * Calls {@code listener} with every change of {@code videoId}, and {@code progress} with every
   * progress of its job, published from now on.
   */
  public Subscription subscribe(
      VideoId videoId, Consumer<Video> listener, Consumer<StagedProgress> progress) {
    requireNonNull(videoId, "videoId");
    Listener entry =
        new Listener(requireNonNull(listener, "listener"), requireNonNull(progress, "progress"));
    listeners.compute(
        videoId,
        (id, current) -> {
          List<Listener> next = new ArrayList<>(current == null ? List.of() : current);
          next.add(entry);
          return List.copyOf(next);
        });
    return new Subscription() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (closed) {
          return;
        }
        closed = true;
        listeners.computeIfPresent(
            videoId,
            (id, current) -> {
              List<Listener> next = new ArrayList<>(current);
              // Identity, not equals: the same consumer may be subscribed twice.
              next.removeIf(l -> l == entry);
              return next.isEmpty() ? null : List.copyOf(next);
            });
      }
    };
  }

  /** Tells every listener of {@code video.id()} about {@code video}. */
  public void publish(Video video) {
    requireNonNull(video, "video");
    List<Listener> current = listeners.get(video.id());
    if (current == null) {
      return;
    }
    for (Listener listener : current) {
      try {
        listener.consumer.accept(video);
      } catch (RuntimeException e) {
        log.error("video event listener failed for video {}", video.id(), e);
      }
    }
  }

  /** Tells every listener of {@code videoId} how far its job is now. */
  public void publishProgress(VideoId videoId, StagedProgress progress) {
    requireNonNull(progress, "progress");
    List<Listener> current = listeners.get(requireNonNull(videoId, "videoId"));
    if (current == null) {
      return;
    }
    for (Listener listener : current) {
      try {
        listener.progress.accept(progress);
      } catch (RuntimeException e) {
        log.error("progress listener failed for video {}", videoId, e);
      }
    }
  }

  /** How many listeners {@code videoId} has; for tests and metrics. */
  public int listenerCount(VideoId videoId) {
    List<Listener> current = listeners.get(requireNonNull(videoId, "videoId"));
    return current == null ? 0 : current.size();
  }

  /** How many videos have at least one listener; for tests and metrics. */
  public int subscribedVideoCount() {
    return listeners.size();
  }
}
