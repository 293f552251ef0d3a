package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a {@link Profile} and a creator's {@link PlanOptions} into a {@link Plan}.
 *
 * <ol>
 *   <li><b>Options.</b> The ladder is narrowed to the chosen renditions; watermark nodes are
 *       switched on or off; a custom thumbnail becomes the thumbnail node's {@code image}.
 *   <li><b>Bypass.</b> A switched-off node disappears, and whatever depended on it depends on its
 *       inputs instead (so {@code split → watermark → encode} with the watermark off is {@code
 *       split → encode}).
 *   <li><b>Fusion.</b> A per-frame filter is not a task: it becomes a {@link Filter} of the node it
 *       feeds, whose inputs become the filter's. Decoding and encoding each frame once, rather than
 *       writing a watermarked intermediate, is what makes the filter nearly free (Spark fuses
 *       narrow stages for the same reason).
 *   <li><b>Stages.</b> A node's stage is 0 without inputs, else one more than its latest input's
 *       (longest path from a root), so a stage starts only once everything it needs is done and
 *       independent nodes (audio, thumbnail, split) share one.
 * </ol>
 *
 * <p>The planner knows node types only through their {@link NodeType} properties; the option names
 * are the one place that refers to built-in types ({@code watermark}, {@code thumbnail}).
 */
public final class Planner {
  /**
   * Plans {@code profile} with {@code options}.
   *
   * @throws OptionsException when an option does not fit the profile
   */
  public Plan plan(Profile profile, PlanOptions options) {
    requireNonNull(profile, "profile");
    requireNonNull(options, "options");
    List<Rung> ladder = subset(profile, options);
    Map<String, NodeSpec> nodes = applyOptions(profile, options);

    Map<String, Integer> order = new HashMap<>();
    int i = 0;
    for (String id : nodes.keySet()) {
      order.put(id, i++);
    }
    Map<String, List<String>> live = new HashMap<>();
    for (NodeSpec n : nodes.values()) {
      if (n.enabled()) {
        live.put(n.id(), liveInputs(n, nodes, new HashMap<>()));
      }
    }

    Map<String, PlannedNode> planned = new LinkedHashMap<>();
    Map<String, Integer> stages = new HashMap<>();
    for (NodeSpec n : nodes.values()) {
      if (n.enabled() && !n.type().isPerFrameFilter()) {
        plan(n, nodes, live, order, stages, planned);
      }
    }

    TreeMap<Integer, List<PlannedNode>> byStage = new TreeMap<>();
    for (NodeSpec n : nodes.values()) {
      PlannedNode p = planned.get(n.id());
      if (p != null) {
        byStage.computeIfAbsent(p.stage(), k -> new ArrayList<>()).add(p);
      }
    }
    List<Stage> stageList = new ArrayList<>();
    byStage.forEach((index, list) -> stageList.add(new Stage(index, list)));
    return new Plan(profile, options, ladder, stageList);
  }

  private static PlannedNode plan(
      NodeSpec n,
      Map<String, NodeSpec> nodes,
      Map<String, List<String>> live,
      Map<String, Integer> order,
      Map<String, Integer> stages,
      Map<String, PlannedNode> planned) {
    PlannedNode done = planned.get(n.id());
    if (done != null) {
      return done;
    }
    Set<String> inputs = new HashSet<>();
    List<Filter> filters = new ArrayList<>();
    for (String in : live.get(n.id())) {
      fuse(in, nodes, live, inputs, filters);
    }
    List<String> sorted = new ArrayList<>(inputs);
    sorted.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
    int stage = 0;
    for (String in : sorted) {
      PlannedNode input = plan(nodes.get(in), nodes, live, order, stages, planned);
      stage = Math.max(stage, input.stage() + 1);
    }
    PlannedNode p = new PlannedNode(n.id(), n.type(), stage, sorted, n.params(), filters);
    planned.put(n.id(), p);
    return p;
  }

  /** Adds a live input: a filter adds its own inputs first, then itself to the chain. */
  private static void fuse(
      String id,
      Map<String, NodeSpec> nodes,
      Map<String, List<String>> live,
      Set<String> inputs,
      List<Filter> filters) {
    NodeSpec n = nodes.get(id);
    if (!n.type().isPerFrameFilter()) {
      inputs.add(id);
      return;
    }
    for (String in : live.get(id)) {
      fuse(in, nodes, live, inputs, filters);
    }
    filters.add(new Filter(n.id(), n.type(), n.params()));
  }

  /** {@code n}'s inputs with every switched-off node replaced by its own live inputs. */
  private static List<String> liveInputs(
      NodeSpec n, Map<String, NodeSpec> nodes, Map<String, List<String>> memo) {
    List<String> cached = memo.get(n.id());
    if (cached != null) {
      return cached;
    }
    List<String> out = new ArrayList<>();
    for (String a : n.after()) {
      NodeSpec input = nodes.get(a);
      List<String> add = input.enabled() ? List.of(a) : liveInputs(input, nodes, memo);
      for (String x : add) {
        if (!out.contains(x)) {
          out.add(x);
        }
      }
    }
    memo.put(n.id(), out);
    return out;
  }

  private static List<Rung> subset(Profile profile, PlanOptions options) {
    if (options.renditions().isEmpty()) {
      return profile.ladder();
    }
    List<String> wanted = options.renditions().get();
    if (wanted.isEmpty()) {
      throw new OptionsException("renditions: name at least one rendition, or leave it out");
    }
    Set<String> seen = new HashSet<>();
    List<String> known = profile.ladder().stream().map(Rung::name).toList();
    for (String w : wanted) {
      if (!known.contains(w)) {
        throw new OptionsException(
            "renditions: unknown rendition '"
                + w
                + "' (profile "
                + profile.name()
                + " has "
                + String.join(", ", known)
                + ")");
      }
      if (!seen.add(w)) {
        throw new OptionsException("renditions: '" + w + "' is named twice");
      }
    }
    return profile.ladder().stream().filter(r -> seen.contains(r.name())).toList();
  }

  private static Map<String, NodeSpec> applyOptions(Profile profile, PlanOptions options) {
    Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    profile.nodes().forEach(n -> nodes.put(n.id(), n));
    if (options.watermark().isPresent()) {
      boolean on = options.watermark().get();
      List<NodeSpec> marks = profile.nodesOfType(NodeTypes.WATERMARK);
      if (on && marks.isEmpty()) {
        throw new OptionsException(
            "watermark: profile " + profile.name() + " has no watermark node to switch on");
      }
      marks.forEach(n -> nodes.put(n.id(), n.withEnabled(on)));
    }
    if (options.thumbnailImage().isPresent()) {
      String key = options.thumbnailImage().get();
      List<NodeSpec> thumbs = profile.nodesOfType(NodeTypes.THUMBNAIL);
      if (thumbs.isEmpty()) {
        throw new OptionsException(
            "thumbnailImage: profile " + profile.name() + " makes no thumbnails");
      }
      for (NodeSpec n : thumbs) {
        try {
          nodes.put(n.id(), n.withParam(NodeTypes.THUMBNAIL_IMAGE_PARAM, key));
        } catch (IllegalArgumentException e) {
          // The type's own check of its image parameter: a blob key ending .jpg, .jpeg or .png.
          String problem = e.getMessage().replaceFirst("^param '[^']*' ", "");
          throw new OptionsException("thumbnailImage " + problem);
        }
      }
    }
    return nodes;
  }
}
