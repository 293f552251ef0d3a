package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.reelbox.control.pipeline.internal.Show;

/**
 * One node of a profile's DAG, as written, with its parameters checked and completed.
 *
 * @param id unique in the profile; the prefix of its tasks' ids ({@code encode/c0003/720p}): 1 to
 *     32 of {@code [a-z0-9-]}, starting with a letter
 * @param type its node type
 * @param after the ids of the nodes whose output it needs, each at most once
 * @param params the type's parameters with defaults filled in ({@link NodeType#resolveParams})
 * @param enabled false to switch the node off; only for {@linkplain NodeType#optional() optional}
 *     types
 */
public record NodeSpec(
    String id, NodeType type, List<String> after, Map<String, Object> params, boolean enabled) {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  public NodeSpec {
    checkId(id);
    requireNonNull(type, "type");
    after = List.copyOf(after);
    Set<String> seen = new HashSet<>();
    for (String a : after) {
      if (!seen.add(a)) {
        throw new IllegalArgumentException("after names '" + a + "' twice");
      }
    }
    params = type.resolveParams(params);
    if (!enabled && !type.optional()) {
      throw new IllegalArgumentException(
          "enabled: false is only allowed for optional node types (per-frame filters such as"
              + " watermark), not for type "
              + type.name());
    }
  }

  /** An enabled node with the type's default parameters. */
  public static NodeSpec of(String id, NodeType type, String... after) {
    return new NodeSpec(id, type, List.of(after), Map.of(), true);
  }

  /** This node with {@code enabled} set. */
  public NodeSpec withEnabled(boolean enabled) {
    return new NodeSpec(id, type, after, params, enabled);
  }

  /** This node with one parameter set (checked by the type). */
  public NodeSpec withParam(String name, Object value) {
    Map<String, Object> p = new LinkedHashMap<>(params);
    p.put(name, value);
    return new NodeSpec(id, type, after, p, enabled);
  }

  /** Throws unless {@code id} is a valid node id. */
  static void checkId(String id) {
    requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "id must be 1 to 32 of a-z, 0-9 and '-', starting with a letter, got " + Show.value(id));
    }
  }
}
