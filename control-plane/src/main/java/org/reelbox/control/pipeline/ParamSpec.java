package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import org.reelbox.common.storage.BlobKeys;
import org.reelbox.control.pipeline.internal.Show;

/**
 * One parameter a {@link NodeType} accepts under a node's {@code params:} in a profile: its name,
 * whether it is required, its default, and how a raw YAML value is checked.
 *
 * <p>{@link #check} returns the value the plan carries (an {@link Integer}, {@link String} or
 * {@link Boolean}), or throws an {@link IllegalArgumentException} whose message is the problem
 * alone ("must be an integer from 1 to 60, got 0"); the loader puts the node and parameter in
 * front.
 */
public sealed interface ParamSpec
    permits ParamSpec.IntParam, ParamSpec.ChoiceParam, ParamSpec.KeyParam, ParamSpec.BoolParam {

  /** The key under {@code params:}. */
  String name();

  /** Whether a profile must give it; a parameter that is not required has a default or none. */
  boolean required();

  /** The value used when the profile leaves it out; null when there is none. */
  Object defaultValue();

  /** Checks a value read from YAML and returns it in the plan's type. */
  Object check(Object raw);

  /** An integer parameter with an inclusive range. */
  static IntParam integer(String name, int min, int max, int defaultValue) {
    return new IntParam(name, min, max, defaultValue);
  }

  /** A string parameter that must be one of {@code choices}. */
  static ChoiceParam choice(String name, String defaultValue, String... choices) {
    return new ChoiceParam(name, defaultValue, List.of(choices));
  }

  /**
   * A blob-store key ({@link BlobKeys}) whose file name ends with one of {@code extensions}, such
   * as a watermark image.
   */
  static KeyParam key(String name, boolean required, String... extensions) {
    return new KeyParam(name, required, List.of(extensions));
  }

  /** A boolean parameter. */
  static BoolParam bool(String name, boolean defaultValue) {
    return new BoolParam(name, defaultValue);
  }

  /** See {@link ParamSpec#integer}. */
  record IntParam(String name, int min, int max, int defaultInt) implements ParamSpec {
    public IntParam {
      checkName(name);
      if (min > max || defaultInt < min || defaultInt > max) {
        throw new IllegalArgumentException(
            "param "
                + name
                + ": need min <= default <= max, got "
                + min
                + ", "
                + defaultInt
                + ", "
                + max);
      }
    }

    @Override
    public boolean required() {
      return false;
    }

    @Override
    public Object defaultValue() {
      return defaultInt;
    }

    @Override
    public Object check(Object raw) {
      // YAML gives Integer or Long for "4", Double for "4.0", String for "'4'": only the first two
      // are integers; a quoted number is refused rather than guessed at.
      if (!(raw instanceof Integer || raw instanceof Long)) {
        throw new IllegalArgumentException(
            "must be an integer from " + min + " to " + max + ", got " + Show.value(raw));
      }
      long value = ((Number) raw).longValue();
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            "must be an integer from " + min + " to " + max + ", got " + value);
      }
      return (int) value;
    }
  }

  /** See {@link ParamSpec#choice}. */
  record ChoiceParam(String name, String defaultChoice, List<String> choices) implements ParamSpec {
    public ChoiceParam {
      checkName(name);
      choices = List.copyOf(choices);
      if (!choices.contains(defaultChoice)) {
        throw new IllegalArgumentException(
            "param " + name + ": default " + defaultChoice + " is not one of " + choices);
      }
    }

    @Override
    public boolean required() {
      return false;
    }

    @Override
    public Object defaultValue() {
      return defaultChoice;
    }

    @Override
    public Object check(Object raw) {
      if (!(raw instanceof String s) || !choices.contains(s)) {
        throw new IllegalArgumentException(
            "must be one of " + String.join(", ", choices) + ", got " + Show.value(raw));
      }
      return s;
    }
  }

  /** See {@link ParamSpec#key}. */
  record KeyParam(String name, boolean required, List<String> extensions) implements ParamSpec {
    public KeyParam {
      checkName(name);
      extensions = List.copyOf(extensions);
      if (extensions.isEmpty()) {
        throw new IllegalArgumentException("param " + name + ": no extensions");
      }
    }

    @Override
    public Object defaultValue() {
      return null;
    }

    @Override
    public Object check(Object raw) {
      if (!(raw instanceof String s)) {
        throw new IllegalArgumentException("must be a blob key (a string), got " + Show.value(raw));
      }
      checkKey(s, extensions);
      return s;
    }

    /**
     * Checks that {@code key} is a valid blob key ending with one of {@code extensions}; used for
     * profile parameters and for per-video options alike.
     */
    static void checkKey(String key, List<String> extensions) {
      if (!BlobKeys.isValid(key)) {
        // BlobKeys' own message names the key and the broken rule.
        try {
          BlobKeys.requireValid(key);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("is an " + e.getMessage(), e);
        }
      }
      String lower = key.toLowerCase(Locale.ROOT);
      if (extensions.stream().noneMatch(ext -> lower.endsWith("." + ext))) {
        throw new IllegalArgumentException(
            "must end with " + alternatives(extensions) + ", got " + Show.value(key));
      }
    }
  }

  /** See {@link ParamSpec#bool}. */
  record BoolParam(String name, boolean defaultBool) implements ParamSpec {
    public BoolParam {
      checkName(name);
    }

    @Override
    public boolean required() {
      return false;
    }

    @Override
    public Object defaultValue() {
      return defaultBool;
    }

    @Override
    public Object check(Object raw) {
      if (!(raw instanceof Boolean b)) {
        throw new IllegalArgumentException("must be true or false, got " + Show.value(raw));
      }
      return b;
    }
  }

  /** ".png", ".jpg or .png", ".jpg, .jpeg or .png". */
  private static String alternatives(List<String> extensions) {
    List<String> dotted = extensions.stream().map(e -> "." + e).toList();
    if (dotted.size() == 1) {
      return dotted.get(0);
    }
    return String.join(", ", dotted.subList(0, dotted.size() - 1))
        + " or "
        + dotted.get(dotted.size() - 1);
  }

  private static void checkName(String name) {
    requireNonNull(name, "name");
    if (!name.matches("[a-z][A-Za-z0-9]{0,31}")) {
      throw new IllegalArgumentException("param name must be lowerCamelCase, got " + name);
    }
  }
}
