package org.reelbox.control.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A readable text dump of an expanded plan: profile → ladder → stages → tasks. It is the golden
 * format of the planner's tests and what {@code reelbox plan} prints, so it is stable: the same
 * plan always prints the same text, with {@code \n} line ends.
 */
public final class PlanDump {
  private static final int WIDTH = 100;

  private PlanDump() {}

  public static String render(ExpandedPlan x) {
    Plan plan = x.plan();
    Profile profile = plan.profile();
    StringBuilder sb = new StringBuilder();
    sb.append("profile: ").append(profile.name()).append('\n');
    if (!profile.description().isEmpty()) {
      sb.append("  ").append(profile.description()).append('\n');
    }
    sb.append("options: ").append(plan.options()).append('\n');
    SourceInfo s = x.source();
    sb.append("source: ")
        .append(s.width())
        .append('x')
        .append(s.height())
        .append(", ")
        .append(s.frameRate())
        .append(" fps, ")
        .append(String.format(Locale.ROOT, "%.3f", s.durationUs() / 1e6))
        .append(" s, ")
        .append(x.chunkCount())
        .append(x.chunkCount() == 1 ? " chunk" : " chunks")
        .append('\n');
    sb.append('\n');

    sb.append("ladder: ")
        .append(x.ladder().size())
        .append(x.ladder().size() == 1 ? " rendition" : " renditions")
        .append(" from rungs ")
        .append(plan.ladder().stream().map(Rung::name).collect(Collectors.joining(", ")))
        .append("; ")
        .append(profile.video().codec())
        .append(" up to level ")
        .append(profile.video().maxLevel().label())
        .append('\n');
    for (Rendition r : x.ladder()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-6s %-10s %-15s %8d bps  %-4s  level %s\n",
              r.name(),
              r.width() + "x" + r.height(),
              r.frameRate() + " fps",
              r.videoBitrateBps(),
              r.profile().label(),
              r.level().label()));
    }
    AudioSpec a = profile.audio();
    sb.append("audio: ")
        .append(a.codec())
        .append(' ')
        .append(a.bitrateBps())
        .append(" bps, ")
        .append(a.channels())
        .append(" ch, ")
        .append(a.sampleRateHz())
        .append(" Hz\n");
    sb.append('\n');

    sb.append("stages:\n");
    for (Stage stage : plan.stages()) {
      sb.append("  ").append(stage.index()).append(":\n");
      for (PlannedNode n : stage.nodes()) {
        sb.append("    ").append(label(n.id(), n.type())).append(' ').append(n.type().fanout());
        if (!n.inputs().isEmpty()) {
          sb.append(" <- ").append(String.join(", ", n.inputs()));
        }
        sb.append(params(n.params())).append('\n');
        for (Filter f : n.filters()) {
          sb.append("      + filter ")
              .append(label(f.id(), f.type()))
              .append(params(f.params()))
              .append('\n');
        }
      }
    }
    sb.append('\n');

    sb.append("tasks: ").append(x.tasks().size()).append('\n');
    for (Task t : x.tasks()) {
      String head = "  " + t.id();
      if (t.dependsOn().isEmpty()) {
        sb.append(head).append('\n');
      } else if (head.length() + 4 + String.join(", ", t.dependsOn()).length() <= WIDTH) {
        sb.append(head).append(" <- ").append(String.join(", ", t.dependsOn())).append('\n');
      } else {
        sb.append(head).append(" <- ").append(t.dependsOn().size()).append(" tasks:\n");
        wrap(sb, t.dependsOn(), "      ");
      }
    }
    return sb.toString();
  }

  private static String label(String id, NodeType type) {
    return id.equals(type.name()) ? id : id + " (" + type.name() + ")";
  }

  private static String params(Map<String, Object> params) {
    if (params.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    params.forEach((k, v) -> parts.add(k + "=" + v));
    return " {" + String.join(", ", parts) + "}";
  }

  private static void wrap(StringBuilder sb, List<String> items, String indent) {
    StringBuilder line = new StringBuilder(indent);
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i) + (i + 1 < items.size() ? "," : "");
      if (line.length() > indent.length() && line.length() + 1 + item.length() > WIDTH) {
        sb.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(item);
    }
    sb.append(line).append('\n');
  }
}
