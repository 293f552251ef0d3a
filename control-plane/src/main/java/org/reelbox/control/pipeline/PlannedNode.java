package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a {@link Plan}: a profile node that is switched on and is not a per-frame filter, with
 * the filters fused into it and its inputs after fusion and bypassing.
 *
 * @param id the profile node's id
 * @param type its node type
 * @param stage its stage: 0 for a node without inputs, else one more than its latest input's
 * @param inputs the plan nodes it needs, in profile order
 * @param params its checked parameters, per-video options applied
 * @param filters the per-frame filters it runs on each frame, in the order they apply (upstream
 *     first); empty unless its type {@linkplain NodeType#acceptsFilters() accepts filters}
 */
public record PlannedNode(
    String id,
    NodeType type,
    int stage,
    List<String> inputs,
    Map<String, Object> params,
    List<Filter> filters) {
  public PlannedNode {
    requireNonNull(id, "id");
    requireNonNull(type, "type");
    if (stage < 0) {
      throw new IllegalArgumentException("stage must be >= 0, got " + stage);
    }
    inputs = List.copyOf(inputs);
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    filters = List.copyOf(filters);
    if (!filters.isEmpty() && !type.acceptsFilters()) {
      throw new IllegalArgumentException("node " + id + " (" + type.name() + ") takes no filters");
    }
  }
}
