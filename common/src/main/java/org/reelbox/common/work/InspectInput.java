package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

/**
 * Input of an {@link TaskType#INSPECT} task; its output is a {@link MediaInfo}.
 *
 * @param sourceKey the original, {@code originals/{videoId}/source}
 * @param limits what is accepted
 */
public record InspectInput(String sourceKey, InputLimits limits) {
  public InspectInput {
    requireNonNull(sourceKey, "sourceKey");
    requireNonNull(limits, "limits");
  }
}
