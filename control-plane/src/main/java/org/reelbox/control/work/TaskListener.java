package org.reelbox.control.work;

import org.reelbox.control.store.VideoId;

/**
 * Told when a task of a video's job changed state through this control plane: a claim, a
 * completion, a failure report, a lease that expired, a worker that left, and the completion
 * handler's processing of a task's outcome (new tasks, dependents queued, the job finished or
 * failed). Several tasks may change at once; a listener that does real work coalesces.
 *
 * <p>Called on the thread that made the change, after it committed; it must not block (hand the
 * work to a thread of its own) and should not throw (an exception is logged and dropped).
 */
@FunctionalInterface
public interface TaskListener {
  /** Ignores every change. */
  TaskListener NONE = videoId -> {};

  void taskChanged(VideoId videoId);
}
