package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A per-frame filter fused into the node it feeds: it runs inside that node's tasks, on each
 * decoded frame, before the encoder sees it.
 *
 * @param id the filter node's id in the profile
 * @param type its node type (a {@linkplain NodeType#isPerFrameFilter() per-frame filter})
 * @param params its checked parameters
 */
public record Filter(String id, NodeType type, Map<String, Object> params) {
  public Filter {
    requireNonNull(id, "id");
    requireNonNull(type, "type");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }
}
