package org.reelbox.control.work;

import java.util.List;

/**
 * How far one plan stage of a job is, for the progress events and the admin's job view.
 *
 * @param stage the plan stage index
 * @param nodes the plan nodes of the stage, in profile order
 * @param done its tasks that succeeded
 * @param running its tasks leased to workers now
 * @param failed its tasks that failed for good
 * @param total its tasks known so far (a per-chunk node has none until split has run)
 */
public record StageProgress(
    int stage, List<String> nodes, int done, int running, int failed, int total) {
  public StageProgress {
    nodes = List.copyOf(nodes);
    if (stage < 0 || done < 0 || running < 0 || failed < 0 || total < done + running + failed) {
      throw new IllegalArgumentException(
          "bad stage progress: stage "
              + stage
              + ", done "
              + done
              + ", running "
              + running
              + ", failed "
              + failed
              + ", total "
              + total);
    }
  }
}
