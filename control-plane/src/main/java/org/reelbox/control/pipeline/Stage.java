package org.reelbox.control.pipeline;

import java.util.List;

/**
 * One stage of a {@link Plan}: nodes whose inputs are all in earlier stages, so they can run side
 * by side once those are done.
 *
 * @param index 0 for the first stage
 * @param nodes in profile order
 */
public record Stage(int index, List<PlannedNode> nodes) {
  public Stage {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
    nodes = List.copyOf(nodes);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("stage " + index + " is empty");
    }
  }
}
