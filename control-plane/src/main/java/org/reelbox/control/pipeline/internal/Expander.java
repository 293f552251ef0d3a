package org.reelbox.control.pipeline.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.reelbox.control.pipeline.Fanout;
import org.reelbox.control.pipeline.Plan;
import org.reelbox.control.pipeline.PlannedNode;
import org.reelbox.control.pipeline.Rendition;
import org.reelbox.control.pipeline.SourceInfo;
import org.reelbox.control.pipeline.Task;

/**
 * Fans a plan out into tasks. Not API; see {@link Plan#expand}.
 *
 * <p>A task of node N at (chunk c, rendition r) depends, for each input M of N, on M's tasks that
 * agree with it on every dimension both have: the same chunk if both are per-chunk, the same
 * rendition if both are per-rendition, and all of M's tasks along a dimension that only M has. That
 * gives narrow dependencies where they exist (a per-chunk step after encode waits only for its own
 * chunk) and a gather where a node runs once (package waits for every encode). Since ids are a
 * function of node, chunk and rendition, dependencies are computed, not looked up.
 */
public final class Expander {
  /** More chunks than any 1 GB upload has GOPs of a sensible length. */
  public static final int MAX_CHUNKS = 100_000;

  private Expander() {}

  public static List<Task> expand(
      Plan plan, SourceInfo source, int chunkCount, List<Rendition> ladder) {
    if (chunkCount < 1 || chunkCount > MAX_CHUNKS) {
      throw new IllegalArgumentException(
          "chunkCount must be from 1 to " + MAX_CHUNKS + ", got " + chunkCount);
    }
    // A chunk holds at least one frame: anything else is a split that went wrong.
    double frames = source.durationUs() / 1e6 * source.frameRate().fps();
    if (chunkCount > Math.max(1, Math.ceil(frames))) {
      throw new IllegalArgumentException(
          "chunkCount "
              + chunkCount
              + " is more than the source has frames ("
              + (long) Math.ceil(frames)
              + ")");
    }
    Map<String, PlannedNode> byId = new HashMap<>();
    plan.nodes().forEach(n -> byId.put(n.id(), n));
    List<Task> tasks = new ArrayList<>();
    for (PlannedNode node : plan.nodes()) {
      Fanout f = node.type().fanout();
      for (int c : chunks(f, chunkCount)) {
        for (Rendition r : renditions(f, ladder)) {
          String name = r == null ? null : r.name();
          List<String> deps = new ArrayList<>();
          for (String inputId : node.inputs()) {
            PlannedNode input = byId.get(inputId);
            Fanout g = input.type().fanout();
            int[] inputChunks = g.perChunk() && c >= 0 ? new int[] {c} : chunks(g, chunkCount);
            List<Rendition> inputRenditions =
                g.perRendition() && r != null ? List.of(r) : renditions(g, ladder);
            for (int ic : inputChunks) {
              for (Rendition ir : inputRenditions) {
                deps.add(Task.id(inputId, ic, ir == null ? null : ir.name()));
              }
            }
          }
          tasks.add(
              new Task(
                  Task.id(node.id(), c, name),
                  node.id(),
                  node.type(),
                  node.stage(),
                  c < 0 ? OptionalInt.empty() : OptionalInt.of(c),
                  Optional.ofNullable(r),
                  deps,
                  node.params(),
                  node.filters()));
        }
      }
    }
    return tasks;
  }

  private static int[] chunks(Fanout f, int chunkCount) {
    if (!f.perChunk()) {
      return new int[] {-1};
    }
    int[] all = new int[chunkCount];
    for (int i = 0; i < chunkCount; i++) {
      all[i] = i;
    }
    return all;
  }

  private static List<Rendition> renditions(Fanout f, List<Rendition> ladder) {
    if (!f.perRendition()) {
      List<Rendition> once = new ArrayList<>();
      once.add(null);
      return once;
    }
    return ladder;
  }
}
