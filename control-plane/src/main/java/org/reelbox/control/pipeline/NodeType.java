package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.reelbox.control.pipeline.internal.Show;

/**
 * A kind of node that a profile may use ({@code type: encode}): how it fans out, how the planner
 * treats it, which node types it needs upstream, and the parameters it accepts.
 *
 * <p>The planner knows node types only through these properties, so a new type (captions, a scene
 * detector, another filter) is a new {@code NodeType} in a {@link NodeTypes} registry, with no
 * change to the planner. The built-in types are in {@link NodeTypes#builtin()}.
 *
 * @param name the {@code type:} value in profiles; also what workers switch on
 * @param description one line for docs and {@code reelbox plan --help}
 * @param fanout how many tasks a node of this type becomes at run time
 * @param traits how the planner treats it; see {@link Trait}
 * @param requires node types that must be upstream of a node of this type (transitively); a profile
 *     without one is rejected with {@link ProfileProblem#MISSING_INPUT}
 * @param params the parameters it accepts, in the order plans print them
 */
public record NodeType(
    String name,
    String description,
    Fanout fanout,
    Set<Trait> traits,
    List<String> requires,
    List<ParamSpec> params) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  /** How the planner treats a node type. */
  public enum Trait {
    /**
     * Works frame by frame on the decoded picture (watermark): it is not a task of its own but is
     * fused into the one node it feeds, which must {@link #ACCEPTS_FILTERS}, the way Spark fuses
     * narrow stages; decoding and encoding each frame once is the whole point. Filters are always
     * {@link #OPTIONAL}.
     */
    PER_FRAME_FILTER,
    /** Runs a chain of fused per-frame filters before its own work (encode). */
    ACCEPTS_FILTERS,
    /** Cuts the source into chunks (split); its result gives the chunk count. At most one. */
    PRODUCES_CHUNKS,
    /** The end of the pipeline (package): exactly one, and every node must lead to it. */
    SINK,
    /** Can be switched off ({@code enabled: false}, or a per-video option); then bypassed. */
    OPTIONAL
  }

  public NodeType {
    requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "node type name must match " + NAME + ", got " + Show.value(name));
    }
    requireNonNull(description, "description");
    requireNonNull(fanout, "fanout");
    traits = traits.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(traits));
    requires = List.copyOf(requires);
    params = List.copyOf(params);
    if (traits.contains(Trait.PER_FRAME_FILTER)) {
      if (fanout != Fanout.ONCE
          || traits.contains(Trait.ACCEPTS_FILTERS)
          || traits.contains(Trait.PRODUCES_CHUNKS)
          || traits.contains(Trait.SINK)) {
        throw new IllegalArgumentException(
            "node type "
                + name
                + ": a per-frame filter is fused, so it has no fan-out of its own"
                + " and cannot accept filters, produce chunks or be the sink");
      }
    }
    if (traits.contains(Trait.SINK) || traits.contains(Trait.PRODUCES_CHUNKS)) {
      if (fanout != Fanout.ONCE || traits.contains(Trait.OPTIONAL)) {
        throw new IllegalArgumentException(
            "node type "
                + name
                + ": the sink and the chunk producer run once and cannot be"
                + " switched off");
      }
    }
    Set<String> seen = new HashSet<>();
    for (ParamSpec p : params) {
      if (!seen.add(p.name())) {
        throw new IllegalArgumentException("node type " + name + ": duplicate param " + p.name());
      }
    }
  }

  /** A builder with no traits, no requirements, no parameters and {@link Fanout#ONCE}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Whether it is fused into the node it feeds; see {@link Trait#PER_FRAME_FILTER}. */
  public boolean isPerFrameFilter() {
    return traits.contains(Trait.PER_FRAME_FILTER);
  }

  /** Whether fused filters can run inside it; see {@link Trait#ACCEPTS_FILTERS}. */
  public boolean acceptsFilters() {
    return traits.contains(Trait.ACCEPTS_FILTERS);
  }

  /** Whether it maps over the chunks that the split produces. */
  public boolean mapsOverChunks() {
    return fanout.perChunk();
  }

  /** Whether its result gives the chunk count; see {@link Trait#PRODUCES_CHUNKS}. */
  public boolean producesChunks() {
    return traits.contains(Trait.PRODUCES_CHUNKS);
  }

  /** Whether it is the end of the pipeline; see {@link Trait#SINK}. */
  public boolean isSink() {
    return traits.contains(Trait.SINK);
  }

  /** Whether a node of this type may be switched off; per-frame filters always may. */
  public boolean optional() {
    return traits.contains(Trait.OPTIONAL) || isPerFrameFilter();
  }

  /** The parameter called {@code name}, or null. */
  public ParamSpec param(String name) {
    for (ParamSpec p : params) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Checks a node's raw {@code params:} and returns them complete: every known parameter that has a
   * value or a default, in declaration order.
   *
   * @throws IllegalArgumentException naming the parameter and the problem: unknown, missing or bad
   */
  public Map<String, Object> resolveParams(Map<String, ?> raw) {
    requireNonNull(raw, "raw");
    for (String key : raw.keySet()) {
      if (param(key) == null) {
        String known =
            params.isEmpty()
                ? "this type takes no params"
                : "known: "
                    + params.stream().map(ParamSpec::name).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown param '" + key + "' (" + known + ")");
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (ParamSpec p : params) {
      Object value;
      if (raw.containsKey(p.name())) {
        try {
          value = p.check(raw.get(p.name()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("param '" + p.name() + "' " + e.getMessage(), e);
        }
      } else if (p.required()) {
        throw new IllegalArgumentException("param '" + p.name() + "' is required");
      } else {
        value = p.defaultValue();
      }
      if (value != null) {
        out.put(p.name(), value);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Builds a {@link NodeType}; every setter replaces what was set before. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private Fanout fanout = Fanout.ONCE;
    private final Set<Trait> traits = EnumSet.noneOf(Trait.class);
    private final List<String> requires = new ArrayList<>();
    private final List<ParamSpec> params = new ArrayList<>();

    private Builder(String name) {
      this.name = requireNonNull(name, "name");
    }

    public Builder description(String description) {
      this.description = requireNonNull(description, "description");
      return this;
    }

    public Builder fanout(Fanout fanout) {
      this.fanout = requireNonNull(fanout, "fanout");
      return this;
    }

    public Builder traits(Trait... traits) {
      this.traits.clear();
      this.traits.addAll(List.of(traits));
      return this;
    }

    public Builder requires(String... types) {
      this.requires.clear();
      this.requires.addAll(List.of(types));
      return this;
    }

    public Builder params(ParamSpec... params) {
      this.params.clear();
      this.params.addAll(List.of(params));
      return this;
    }

    public NodeType build() {
      return new NodeType(name, description, fanout, traits, requires, params);
    }
  }
}
