package org.reelbox.control.store.internal;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.Consumer;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.TransitionResult;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoPatch;
import org.reelbox.control.store.VideoTransition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MetadataStore} that tells a listener about every change to a video made through it: a
 * metadata update that found its video, and a transition that {@linkplain
 * TransitionResult.Outcome#APPLIED applied}. The listener gets the video as the write left it.
 *
 * <p>Why a decorator rather than calls in the API handlers: every writer (the REST API, the
 * internal endpoints, later the pipeline's completion handler) then feeds the listener, and none
 * can forget to. Only writes through this instance are seen; see {@code VideoEvents} for what that
 * means with several control planes.
 *
 * <p>The listener runs on the writing thread after the write has committed. An exception from it is
 * logged and swallowed: the write happened, and its caller must hear so.
 */
public final class NotifyingMetadataStore extends ForwardingMetadataStore {
  private static final Logger log = LoggerFactory.getLogger(NotifyingMetadataStore.class);

  private final Consumer<Video> onChange;

  public NotifyingMetadataStore(MetadataStore delegate, Consumer<Video> onChange) {
    super(delegate);
    this.onChange = requireNonNull(onChange, "onChange");
  }

  @Override
  public Optional<Video> updateVideoMetadata(VideoId videoId, VideoPatch patch) {
    Optional<Video> updated = delegate().updateVideoMetadata(videoId, patch);
    updated.ifPresent(this::notifyChange);
    return updated;
  }

  @Override
  public TransitionResult transitionVideo(VideoTransition transition) {
    TransitionResult result = delegate().transitionVideo(transition);
    if (result.outcome() == TransitionResult.Outcome.APPLIED) {
      notifyChange(result.video());
    }
    return result;
  }

  private void notifyChange(Video video) {
    try {
      onChange.accept(video);
    } catch (RuntimeException e) {
      log.error("video change listener failed for video {}", video.id(), e);
    }
  }
}
