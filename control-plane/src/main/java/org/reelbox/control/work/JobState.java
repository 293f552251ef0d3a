package org.reelbox.control.work;

/** Where a job is; stored by name in {@code jobs.state}. */
public enum JobState {
  RUNNING,
  SUCCEEDED,
  FAILED
}
