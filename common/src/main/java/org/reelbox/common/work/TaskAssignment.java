package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.reelbox.common.json.Json;

/**
 * A claimed task: the answer to a claim. The worker must renew the lease before {@code
 * leaseSeconds} pass, and report with the lease id; a report or renewal with a lease that is no
 * longer current (it expired and the task went to another worker) is refused with 409 {@code
 * LEASE_LOST}, and the worker must drop the task without writing anything more.
 *
 * @param leaseId opaque, unique per attempt: the fencing token
 * @param leaseSeconds how long the lease lasts from now unless renewed
 * @param jobId the job (one per video transcode)
 * @param videoId the video
 * @param taskId the plan's task id ({@code encode/c0003/720p})
 * @param type what to run
 * @param attempt 1 for the first run, then 2, 3, … after recoverable failures or lost leases
 * @param timeoutSeconds the wall-clock limit of this task; the worker kills it past that
 * @param input the type's input record as JSON ({@link InspectInput}, {@link SplitInput}, …)
 * @param companions tasks claimed with this one, to run as one fused process (the other renditions
 *     of the same chunk: one decode feeds every encoder), each with its own lease, renewed and
 *     reported like this one's; empty unless the claim's {@code fuseLimit} was above 1. A companion
 *     has no companions of its own
 */
public record TaskAssignment(
    String leaseId,
    int leaseSeconds,
    String jobId,
    String videoId,
    String taskId,
    TaskType type,
    int attempt,
    int timeoutSeconds,
    JsonNode input,
    List<TaskAssignment> companions) {
  public TaskAssignment {
    requireNonNull(leaseId, "leaseId");
    requireNonNull(jobId, "jobId");
    requireNonNull(videoId, "videoId");
    requireNonNull(taskId, "taskId");
    requireNonNull(type, "type");
    requireNonNull(input, "input");
    companions = companions == null ? List.of() : List.copyOf(companions);
    for (TaskAssignment c : companions) {
      if (!c.companions().isEmpty()) {
        throw new IllegalArgumentException("a companion task has no companions of its own");
      }
    }
  }

  /** A task claimed alone. */
  public TaskAssignment(
      String leaseId,
      int leaseSeconds,
      String jobId,
      String videoId,
      String taskId,
      TaskType type,
      int attempt,
      int timeoutSeconds,
      JsonNode input) {
    this(leaseId, leaseSeconds, jobId, videoId, taskId, type, attempt, timeoutSeconds, input, null);
  }

  /** This task and its companions, in claim order. */
  public List<TaskAssignment> group() {
    List<TaskAssignment> all = new ArrayList<>(1 + companions.size());
    all.add(this);
    all.addAll(companions);
    return all;
  }

  /** The input as its record type, e.g. {@code input(EncodeInput.class)}. */
  public <T> T input(Class<T> type) {
    try {
      return Json.mapper().treeToValue(input, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "task "
              + taskId
              + ": input is not a valid "
              + type.getSimpleName()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  /** Converts an input or output record to the JSON tree carried on the wire. */
  public static JsonNode tree(Object record) {
    return Json.mapper().valueToTree(record);
  }
}
