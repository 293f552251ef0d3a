package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /internal/work/leases/{leaseId}/complete}: the task's output record as
 * JSON ({@link MediaInfo}, {@link SplitOutput}, …), stored with the task and handed to the tasks
 * that depend on it.
 */
public record TaskCompletion(JsonNode output) {
  public TaskCompletion {
    requireNonNull(output, "output");
  }
}
