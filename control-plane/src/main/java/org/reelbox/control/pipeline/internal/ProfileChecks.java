package org.reelbox.control.pipeline.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.reelbox.control.pipeline.H264Level;
import org.reelbox.control.pipeline.H264Profile;
import org.reelbox.control.pipeline.NodeSpec;
import org.reelbox.control.pipeline.NodeType;
import org.reelbox.control.pipeline.ProfileException;
import org.reelbox.control.pipeline.ProfileProblem;
import org.reelbox.control.pipeline.Rung;
import org.reelbox.control.pipeline.VideoSpec;

/**
 * The whole-profile checks that no single field can make: the ladder as a set, and the DAG. Runs
 * from {@link org.reelbox.control.pipeline.Profile}'s constructor. Not API.
 *
 * <p>The checks run in a fixed order and the first failure wins, so a profile with several mistakes
 * gets the same message every time, and the messages that assume an earlier check passed (a cycle
 * path assumes every {@code after} resolves) are never wrong.
 */
public final class ProfileChecks {
  public static final int MAX_RUNGS = 10;
  public static final int MAX_DESCRIPTION = 200;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private ProfileChecks() {}

  /** Throws a {@link ProfileException} from {@code source} for the first problem found. */
  public static void check(
      String source,
      String name,
      String description,
      VideoSpec video,
      List<Rung> ladder,
      List<NodeSpec> nodes) {
    new Run(source).check(name, description, video, ladder, nodes);
  }

  /** The short side's 16:9 partner, rounded to even: 1280 for 720, 854 for 480, 426 for 240. */
  public static int widthAt16x9(int shortSide) {
    return evenRound(shortSide * 16.0 / 9.0);
  }

  /** {@code x} rounded to the nearest even integer, at least 2 (4:2:0 needs even sides). */
  public static int evenRound(double x) {
    return Math.max(2, (int) Math.round(x / 2.0) * 2);
  }

  private static final class Run {
    private final String source;

    Run(String source) {
      this.source = source;
    }

    private ProfileException fail(ProfileProblem problem, String detail) {
      return new ProfileException(source, problem, detail);
    }

    private ProfileException failNode(ProfileProblem problem, String id, String detail) {
      return fail(problem, "node '" + id + "': " + detail);
    }

    void check(
        String name, String description, VideoSpec video, List<Rung> ladder, List<NodeSpec> nodes) {
      if (!NAME.matcher(name).matches()) {
        throw fail(
            ProfileProblem.BAD_VALUE,
            "name must be 1 to 32 of a-z, 0-9 and '-', got " + Show.value(name));
      }
      if (description.length() > MAX_DESCRIPTION) {
        throw fail(
            ProfileProblem.BAD_VALUE,
            "description must be at most "
                + MAX_DESCRIPTION
                + " characters, got "
                + description.length());
      }
      checkLadder(video, ladder);
      checkDag(nodes);
    }

    private void checkLadder(VideoSpec video, List<Rung> ladder) {
      if (ladder.isEmpty()) {
        throw fail(ProfileProblem.BAD_LADDER, "ladder must have at least one rendition");
      }
      if (ladder.size() > MAX_RUNGS) {
        throw fail(
            ProfileProblem.BAD_LADDER,
            "ladder must have at most " + MAX_RUNGS + " renditions, got " + ladder.size());
      }
      Map<String, Integer> firstIndex = new HashMap<>();
      for (int i = 0; i < ladder.size(); i++) {
        Rung r = ladder.get(i);
        Integer first = firstIndex.putIfAbsent(r.name(), i);
        if (first != null) {
          throw fail(
              ProfileProblem.BAD_LADDER,
              "ladder: duplicate rendition name '"
                  + r.name()
                  + "' (ladder["
                  + first
                  + "] and ladder["
                  + i
                  + "])");
        }
        // Checked at 16:9, the shape of nearly every upload; a wider source that does not fit
        // loses the rung at run time (see Ladders), like a source smaller than the rung does.
        String where = "ladder[" + i + "] (" + r.name() + "): ";
        H264Level max = video.maxLevel();
        int width = widthAt16x9(r.height());
        if (!max.fitsFrame(width, r.height())) {
          throw fail(
              ProfileProblem.BAD_LADDER,
              where
                  + "a 16:9 frame of "
                  + width
                  + "x"
                  + r.height()
                  + " is larger than level "
                  + max.label()
                  + " allows ("
                  + max.maxFrameMbs()
                  + " macroblocks)");
        }
        H264Profile profile = H264Profile.forHeight(r.height());
        long maxBitrate = max.maxBitrateBps(profile);
        if (r.videoBitrateBps() > maxBitrate) {
          throw fail(
              ProfileProblem.BAD_LADDER,
              where
                  + "videoBitrateBps "
                  + r.videoBitrateBps()
                  + " is above level "
                  + max.label()
                  + "'s limit for "
                  + profile.label()
                  + " ("
                  + maxBitrate
                  + ")");
        }
      }
    }

    private void checkDag(List<NodeSpec> nodes) {
      Map<String, NodeSpec> byId = new LinkedHashMap<>();
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        NodeSpec n = nodes.get(i);
        Integer first = index.putIfAbsent(n.id(), i);
        if (first != null) {
          throw failNode(
              ProfileProblem.DUPLICATE_NODE_ID,
              n.id(),
              "duplicate id (nodes[" + first + "] and nodes[" + i + "])");
        }
        byId.put(n.id(), n);
      }
      for (NodeSpec n : nodes) {
        for (String a : n.after()) {
          if (!byId.containsKey(a)) {
            throw failNode(
                ProfileProblem.UNKNOWN_INPUT,
                n.id(),
                "after names '" + a + "', which is not a node of this profile");
          }
        }
      }
      checkAcyclic(nodes, byId);

      Map<String, List<String>> dependents = new HashMap<>();
      for (NodeSpec n : nodes) {
        dependents.put(n.id(), new ArrayList<>());
      }
      for (NodeSpec n : nodes) {
        for (String a : n.after()) {
          dependents.get(a).add(n.id());
        }
      }

      NodeSpec sink = null;
      NodeSpec chunker = null;
      for (NodeSpec n : nodes) {
        if (n.type().isSink()) {
          if (sink != null) {
            throw failNode(
                ProfileProblem.SINK,
                n.id(),
                "a second sink (the first is '"
                    + sink.id()
                    + "'); exactly one node must be the sink");
          }
          sink = n;
        }
        if (n.type().producesChunks()) {
          if (chunker != null) {
            throw failNode(
                ProfileProblem.CHUNK_PRODUCERS,
                n.id(),
                "a second chunk producer (the first is '"
                    + chunker.id()
                    + "'); at most one node may produce chunks");
          }
          chunker = n;
        }
      }
      if (sink == null) {
        throw fail(
            ProfileProblem.SINK,
            "no sink: exactly one node must be the sink (a package node), found none");
      }

      for (NodeSpec n : nodes) {
        if (!n.type().isPerFrameFilter()) {
          continue;
        }
        List<String> deps = dependents.get(n.id());
        String rule =
            "a per-frame filter must feed exactly one node that accepts filters (such as encode)";
        if (deps.isEmpty()) {
          throw failNode(ProfileProblem.BAD_FILTER, n.id(), rule + ", but nothing depends on it");
        }
        if (deps.size() > 1) {
          throw failNode(
              ProfileProblem.BAD_FILTER,
              n.id(),
              rule
                  + ", but "
                  + deps.size()
                  + " nodes depend on it ("
                  + String.join(", ", deps)
                  + ")");
        }
        NodeType next = byId.get(deps.get(0)).type();
        if (!next.isPerFrameFilter() && !next.acceptsFilters()) {
          throw failNode(
              ProfileProblem.BAD_FILTER,
              n.id(),
              rule + ", but '" + deps.get(0) + "' (" + next.name() + ") does not accept filters");
        }
      }

      Map<String, Set<String>> upstreamTypes = new HashMap<>();
      for (NodeSpec n : nodes) {
        Set<String> up = upstreamTypes(n, byId, upstreamTypes);
        for (String required : n.type().requires()) {
          if (!up.contains(required)) {
            throw failNode(
                ProfileProblem.MISSING_INPUT,
                n.id(),
                "needs an upstream node of type "
                    + required
                    + ", but none of its inputs leads to one");
          }
        }
        if (n.type().mapsOverChunks() && (chunker == null || !upstream(n, chunker.id(), byId))) {
          throw failNode(
              ProfileProblem.MISSING_INPUT,
              n.id(),
              "maps over chunks, so it needs a chunk producer (split) upstream, but none of its"
                  + " inputs leads to one");
        }
      }

      // In a DAG every path along dependents ends at a node nothing depends on; if that is
      // always the sink, every node's output reaches the sink.
      for (NodeSpec n : nodes) {
        if (n != sink && dependents.get(n.id()).isEmpty()) {
          throw failNode(
              ProfileProblem.UNUSED_OUTPUT,
              n.id(),
              "nothing uses its output: no node names it in after, and it is not the sink");
        }
      }
    }

    /**
     * Depth-first over {@code after} edges in profile order; the first back edge found is the cycle
     * reported, printed in data-flow order from its earliest-listed node.
     */
    private void checkAcyclic(List<NodeSpec> nodes, Map<String, NodeSpec> byId) {
      Map<String, Integer> state = new HashMap<>(); // absent: new; 1: on the path; 2: done
      Map<String, Integer> order = new HashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        order.put(nodes.get(i).id(), i);
      }
      for (NodeSpec root : nodes) {
        if (state.containsKey(root.id())) {
          continue;
        }
        // Iterative DFS: a frame is a node and the index of its next input.
        Deque<String> path = new ArrayDeque<>();
        Deque<int[]> next = new ArrayDeque<>();
        path.push(root.id());
        next.push(new int[] {0});
        state.put(root.id(), 1);
        while (!path.isEmpty()) {
          String id = path.peek();
          int[] i = next.peek();
          List<String> after = byId.get(id).after();
          if (i[0] == after.size()) {
            state.put(id, 2);
            path.pop();
            next.pop();
            continue;
          }
          String input = after.get(i[0]++);
          Integer s = state.get(input);
          if (s == null) {
            state.put(input, 1);
            path.push(input);
            next.push(new int[] {0});
          } else if (s == 1) {
            // Each node on the path was pushed as an input of the one below it, so reading the
            // path from the top (id) down to input follows the data: id -> … -> input, and input
            // feeds id, which closes the cycle.
            List<String> cycle = new ArrayList<>();
            for (String p : path) {
              cycle.add(p);
              if (p.equals(input)) {
                break;
              }
            }
            int start = 0;
            for (int k = 1; k < cycle.size(); k++) {
              if (order.get(cycle.get(k)) < order.get(cycle.get(start))) {
                start = k;
              }
            }
            List<String> rotated = new ArrayList<>(cycle.subList(start, cycle.size()));
            rotated.addAll(cycle.subList(0, start));
            rotated.add(rotated.get(0));
            throw fail(ProfileProblem.CYCLE, "cycle " + String.join(" -> ", rotated));
          }
        }
      }
    }

    private static Set<String> upstreamTypes(
        NodeSpec n, Map<String, NodeSpec> byId, Map<String, Set<String>> memo) {
      Set<String> done = memo.get(n.id());
      if (done != null) {
        return done;
      }
      Set<String> types = new HashSet<>();
      for (String a : n.after()) {
        NodeSpec input = byId.get(a);
        types.add(input.type().name());
        types.addAll(upstreamTypes(input, byId, memo));
      }
      memo.put(n.id(), types);
      return types;
    }

    private static boolean upstream(NodeSpec n, String target, Map<String, NodeSpec> byId) {
      Deque<String> todo = new ArrayDeque<>(n.after());
      Set<String> seen = new HashSet<>();
      while (!todo.isEmpty()) {
        String id = todo.pop();
        if (id.equals(target)) {
          return true;
        }
        if (seen.add(id)) {
          todo.addAll(byId.get(id).after());
        }
      }
      return false;
    }
  }
}
