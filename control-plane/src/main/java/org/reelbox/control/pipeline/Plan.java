package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.reelbox.control.pipeline.internal.Expander;
import org.reelbox.control.pipeline.internal.Ladders;

/**
 * A profile planned for one video, before its source is known: the per-video options applied,
 * switched-off nodes bypassed, per-frame filters fused into the node they feed, and the nodes
 * ordered into stages. Made by {@link Planner#plan} when a job starts.
 *
 * <p>At run time, once inspect has described the source and split has said how many chunks there
 * are, {@link #expand} turns it into the concrete tasks.
 *
 * @param profile the profile as loaded
 * @param options the per-video options that were applied
 * @param ladder the profile's rungs, narrowed to the creator's subset; not yet capped to a source
 * @param stages in order; every node's inputs are in earlier stages
 */
public record Plan(Profile profile, PlanOptions options, List<Rung> ladder, List<Stage> stages) {
  public Plan {
    requireNonNull(profile, "profile");
    requireNonNull(options, "options");
    ladder = List.copyOf(ladder);
    stages = List.copyOf(stages);
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).index() != i) {
        throw new IllegalArgumentException("stage " + i + " has index " + stages.get(i).index());
      }
    }
  }

  /** Every node, stage by stage. */
  public List<PlannedNode> nodes() {
    List<PlannedNode> all = new ArrayList<>();
    stages.forEach(s -> all.addAll(s.nodes()));
    return all;
  }

  /** The node called {@code id}; a fused filter or a switched-off node is not a plan node. */
  public Optional<PlannedNode> node(String id) {
    return nodes().stream().filter(n -> n.id().equals(id)).findFirst();
  }

  /**
   * The ladder this plan encodes {@code source} into: each rung's 16:9 box fitted around the
   * source, rungs that would upscale it dropped, or, when the source is smaller than every rung,
   * one rendition at the source's size; each with its size, frame rate, H.264 profile and level.
   *
   * @throws IllegalArgumentException when no rung fits {@code video.maxLevel} for this source
   */
  public List<Rendition> ladderFor(SourceInfo source) {
    return Ladders.resolve(ladder, profile.video().maxLevel(), source);
  }

  /**
   * The concrete tasks for a source that split cut into {@code chunkCount} chunks: one task per
   * node, chunk and rendition as each node's {@link Fanout} says, with deterministic ids and
   * dependencies. The same inputs always give the same list.
   *
   * @throws IllegalArgumentException when {@code chunkCount} is not from 1 to {@value
   *     Expander#MAX_CHUNKS}, or more than the source has frames, or see {@link #ladderFor}
   */
  public ExpandedPlan expand(SourceInfo source, int chunkCount) {
    requireNonNull(source, "source");
    List<Rendition> renditions = ladderFor(source);
    return new ExpandedPlan(
        this,
        source,
        chunkCount,
        renditions,
        Expander.expand(this, source, chunkCount, renditions));
  }
}
