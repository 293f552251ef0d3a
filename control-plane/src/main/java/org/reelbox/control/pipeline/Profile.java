package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.reelbox.control.pipeline.internal.ProfileChecks;

/**
 * A pipeline profile: the output formats (video, audio, the ladder) and the DAG of nodes that makes
 * them. Loaded from {@code conf/pipelines/NAME.yaml} by {@link ProfileLoader}; the format is in
 * docs/pipelines.md.
 *
 * <p>Every instance is valid: the constructor runs all of the load-time checks (ladder, ids, edges,
 * cycles, the sink, filters, required inputs, unused outputs) and throws a {@link ProfileException}
 * naming the node and the problem. So the {@link Planner} never meets a bad profile.
 *
 * @param name what creators pick ({@code default}); 1 to 32 of {@code [a-z0-9-]}
 * @param description one line for people, at most 200 characters; may be empty
 * @param video the video codec and the highest level
 * @param audio the audio format
 * @param ladder the renditions, 1 to {@value ProfileChecks#MAX_RUNGS}, names unique, each within
 *     {@code video.maxLevel} at 16:9
 * @param nodes the DAG, in the order the profile lists them (which orders plans and dumps)
 */
public record Profile(
    String name,
    String description,
    VideoSpec video,
    AudioSpec audio,
    List<Rung> ladder,
    List<NodeSpec> nodes) {

  public Profile {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    requireNonNull(video, "video");
    requireNonNull(audio, "audio");
    ladder = List.copyOf(ladder);
    nodes = List.copyOf(nodes);
    ProfileChecks.check("profile '" + name + "'", name, description, video, ladder, nodes);
  }

  /** The node called {@code id}. */
  public Optional<NodeSpec> node(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
  }

  /** The nodes of type {@code typeName}, in profile order. */
  public List<NodeSpec> nodesOfType(String typeName) {
    return nodes.stream().filter(n -> n.type().name().equals(typeName)).toList();
  }
}
