package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One unit of work of an expanded plan: what a worker claims, runs and reports.
 *
 * <p>Ids are deterministic, so the resource manager can create the first tasks ({@code inspect},
 * {@code split}) before the expansion and recognise them in it: the node id, then {@code /c} and
 * the chunk index in at least four digits for a per-chunk node, then {@code /} and the rendition
 * name for a per-rendition node: {@code inspect}, {@code encode/c0003/720p}.
 *
 * @param id see above
 * @param nodeId the plan node it belongs to
 * @param type its node type
 * @param stage its node's stage; a task never depends on a task of a later stage
 * @param chunk the chunk index, for per-chunk nodes
 * @param rendition the rendition, for per-rendition nodes
 * @param dependsOn the ids of the tasks that must succeed first, in list order
 * @param params the node's parameters
 * @param filters the node's fused per-frame filters
 */
public record Task(
    String id,
    String nodeId,
    NodeType type,
    int stage,
    OptionalInt chunk,
    Optional<Rendition> rendition,
    List<String> dependsOn,
    Map<String, Object> params,
    List<Filter> filters) {
  public Task {
    requireNonNull(id, "id");
    requireNonNull(nodeId, "nodeId");
    requireNonNull(type, "type");
    requireNonNull(chunk, "chunk");
    requireNonNull(rendition, "rendition");
    dependsOn = List.copyOf(dependsOn);
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    filters = List.copyOf(filters);
  }

  /** The task id for a node, chunk (or -1) and rendition (or null). */
  public static String id(String nodeId, int chunk, String rendition) {
    StringBuilder sb = new StringBuilder(nodeId);
    if (chunk >= 0) {
      sb.append("/c").append(String.format("%04d", chunk));
    }
    if (rendition != null) {
      sb.append('/').append(rendition);
    }
    return sb.toString();
  }
}
