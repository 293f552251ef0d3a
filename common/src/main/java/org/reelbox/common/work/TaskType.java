package org.reelbox.common.work;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The kinds of task a worker runs: one per executable pipeline node type. Per-frame filters
 * (watermark) are not task types: they are fused into {@link #ENCODE}. Wire names are the
 * lower-case node type names of {@code conf/pipelines/*.yaml}.
 */
public enum TaskType {
  @JsonProperty("inspect")
  INSPECT,
  @JsonProperty("split")
  SPLIT,
  @JsonProperty("encode")
  ENCODE,
  @JsonProperty("audio")
  AUDIO,
  @JsonProperty("thumbnail")
  THUMBNAIL,
  @JsonProperty("package")
  PACKAGE;

  /** The wire name, the same as the pipeline node type: {@code "encode"}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The task type of a pipeline node type name, if that node type runs as a task. */
  public static java.util.Optional<TaskType> ofNodeType(String nodeType) {
    for (TaskType t : values()) {
      if (t.wireName().equals(nodeType)) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }
}
