package org.reelbox.control.work;

import org.reelbox.control.store.VideoId;

/**
 * Told when the completion handler has marked a video READY: the control plane's own additions to
 * the published HLS (subtitle tracks in the master, a creator's thumbnail uploaded after the job
 * ran) hook in here.
 *
 * <p>Contract: called after the READY transition, on the completion handler's thread, every time
 * the job's last event is processed (completion events are delivered at least once, so possibly
 * more than once for one job): it must be idempotent. An exception is logged and swallowed; the
 * video stays READY.
 */
@FunctionalInterface
public interface PublishListener {
  /** Does nothing. */
  PublishListener NONE = videoId -> {};

  /** Called with the video now READY. */
  void published(VideoId videoId) throws Exception;
}
