package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.reelbox.control.pipeline.internal.ProfileFile;
import org.reelbox.control.pipeline.internal.ProfileFile.AudioFile;
import org.reelbox.control.pipeline.internal.ProfileFile.NodeFile;
import org.reelbox.control.pipeline.internal.ProfileFile.RungFile;
import org.reelbox.control.pipeline.internal.ProfileFile.VideoFile;
import org.reelbox.control.pipeline.internal.Show;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads pipeline profiles ({@code conf/pipelines/*.yaml}, format in docs/pipelines.md) and rejects
 * a bad one with a {@link ProfileException} whose one-line message names the file, the node or
 * field, and the problem. Strict on purpose: unknown keys, duplicate keys, quoted numbers and
 * fractional integers are errors, because a profile that loads with a typo silently ignored
 * transcodes every video wrong.
 */
public final class ProfileLoader {
  private static final Logger log = LoggerFactory.getLogger(ProfileLoader.class);

  /** The profile a video gets when it names none; {@link #loadAll} requires it. */
  public static final String DEFAULT_PROFILE = "default";

  private static final String EXTENSION = ".yaml";

  private static final ObjectMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .withCoercionConfig(
              LogicalType.Textual,
              // Without these a YAML number or boolean silently becomes a string: an unquoted
              // "id: off" would be a node called "false".
              c ->
                  c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
          .build();

  private final NodeTypes types;

  /** A loader that accepts the node types of {@code types}. */
  public ProfileLoader(NodeTypes types) {
    this.types = requireNonNull(types, "types");
  }

  /** A loader for the built-in node types. */
  public static ProfileLoader builtin() {
    return new ProfileLoader(NodeTypes.builtin());
  }

  /**
   * Parses one profile from YAML text.
   *
   * @param source what messages call it: a file name, or a label in tests
   */
  public Profile parse(String yaml, String source) {
    requireNonNull(yaml, "yaml");
    requireNonNull(source, "source");
    ProfileFile file = read(yaml, source);
    try {
      return new Conversion(source).convert(file);
    } catch (ProfileException e) {
      // The whole-profile checks run in Profile's constructor, which names the profile, not the
      // file.
      throw e.withSource(source);
    }
  }

  /**
   * Loads {@code file}, whose name must be the profile's name plus {@code .yaml}.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public Profile load(Path file) {
    String source = file.toString();
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read pipeline profile " + file, e);
    }
    Profile profile = parse(yaml, source);
    String fileName = file.getFileName().toString();
    if (!fileName.equals(profile.name() + EXTENSION)) {
      // Creators pick profiles by name, operators edit them by file: the two must agree.
      throw new ProfileException(
          source,
          ProfileProblem.BAD_VALUE,
          "name '" + profile.name() + "' does not match the file name " + fileName);
    }
    return profile;
  }

  /**
   * Loads every {@code *.yaml} in {@code dir}, by name. The first bad profile stops the load: the
   * control plane should not start with a profile that some creator might pick and get an error
   * from. There must be a {@value #DEFAULT_PROFILE} profile.
   *
   * @throws UncheckedIOException when the directory cannot be listed or a file read
   */
  public SortedMap<String, Profile> loadAll(Path dir) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        String name = p.getFileName().toString();
        if (name.endsWith(EXTENSION) && Files.isRegularFile(p)) {
          files.add(p);
        } else if (name.endsWith(".yml")) {
          log.warn("ignoring {}: pipeline profiles end with {}", p, EXTENSION);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list pipeline profiles in " + dir, e);
    }
    Collections.sort(files);
    SortedMap<String, Profile> out = new TreeMap<>();
    for (Path f : files) {
      Profile p = load(f);
      out.put(p.name(), p);
    }
    if (!out.containsKey(DEFAULT_PROFILE)) {
      throw new ProfileException(
          dir.toString(),
          ProfileProblem.NO_DEFAULT,
          "no " + DEFAULT_PROFILE + EXTENSION + ": videos that name no profile get that one");
    }
    log.info("loaded pipeline profiles {} from {}", out.keySet(), dir);
    return Collections.unmodifiableSortedMap(out);
  }

  private static ProfileFile read(String yaml, String source) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ProfileException(
          source,
          ProfileProblem.INVALID_YAML,
          "invalid YAML" + where + ": " + e.getOriginalMessage());
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ProfileException(source, ProfileProblem.INVALID_YAML, "the file is empty");
    }
    if (!tree.isObject()) {
      throw new ProfileException(
          source,
          ProfileProblem.INVALID_YAML,
          "a profile must be a YAML mapping of keys to values");
    }
    try {
      return YAML.treeToValue(tree, ProfileFile.class);
    } catch (UnrecognizedPropertyException e) {
      String path = path(e, true);
      Collection<Object> known = e.getKnownPropertyIds();
      TreeSet<String> names = new TreeSet<>();
      if (known != null) {
        known.forEach(k -> names.add(String.valueOf(k)));
      }
      throw new ProfileException(
          source,
          ProfileProblem.UNKNOWN_FIELD,
          prefix(path)
              + "unknown field '"
              + e.getPropertyName()
              + "' (known: "
              + String.join(", ", names)
              + ")");
    } catch (MismatchedInputException e) {
      throw new ProfileException(
          source, ProfileProblem.BAD_VALUE, prefix(path(e, false)) + "expected " + expected(e));
    } catch (JsonProcessingException e) {
      throw new ProfileException(source, ProfileProblem.BAD_VALUE, e.getOriginalMessage());
    }
  }

  /** Turns a file into a profile; every message it throws names {@link #source}. */
  private final class Conversion {
    private final String source;

    Conversion(String source) {
      this.source = source;
    }

    private Profile convert(ProfileFile f) {
      if (f.name() == null) {
        throw new ProfileException(source, ProfileProblem.BAD_VALUE, "name is required");
      }
      VideoSpec video = video(f.video());
      AudioSpec audio = audio(f.audio());
      if (f.ladder() == null) {
        throw new ProfileException(source, ProfileProblem.BAD_LADDER, "ladder is required");
      }
      List<Rung> ladder = new ArrayList<>();
      for (int i = 0; i < f.ladder().size(); i++) {
        ladder.add(rung(i, f.ladder().get(i)));
      }
      if (f.nodes() == null) {
        throw new ProfileException(source, ProfileProblem.BAD_VALUE, "nodes is required");
      }
      List<NodeSpec> nodes = new ArrayList<>();
      for (int i = 0; i < f.nodes().size(); i++) {
        nodes.add(node(i, f.nodes().get(i)));
      }
      String description = f.description() == null ? "" : f.description();
      return new Profile(f.name(), description, video, audio, ladder, nodes);
    }

    private VideoSpec video(VideoFile v) {
      ProfileProblem p = ProfileProblem.BAD_VIDEO;
      if (v == null) {
        throw new ProfileException(source, p, "video is required");
      }
      String codec = required(v.codec(), "video: codec", p);
      Object rawLevel = required(v.maxLevel(), "video: maxLevel", p);
      String levelText = rawLevel instanceof String s ? s : String.valueOf(rawLevel);
      H264Level level =
          H264Level.parse(levelText)
              .orElseThrow(
                  () ->
                      new ProfileException(
                          source,
                          p,
                          "video: maxLevel must be an H.264 level such as 4.1, got "
                              + Show.value(rawLevel)));
      try {
        return new VideoSpec(codec, level);
      } catch (IllegalArgumentException e) {
        throw new ProfileException(source, p, "video: " + e.getMessage());
      }
    }

    private AudioSpec audio(AudioFile a) {
      ProfileProblem p = ProfileProblem.BAD_AUDIO;
      if (a == null) {
        throw new ProfileException(source, p, "audio is required");
      }
      String codec = required(a.codec(), "audio: codec", p);
      long bitrate = required(a.bitrateBps(), "audio: bitrateBps", p);
      int channels = required(a.channels(), "audio: channels", p);
      int rate = required(a.sampleRateHz(), "audio: sampleRateHz", p);
      try {
        return new AudioSpec(codec, bitrate, channels, rate);
      } catch (IllegalArgumentException e) {
        throw new ProfileException(source, p, "audio: " + e.getMessage());
      }
    }

    private Rung rung(int i, RungFile r) {
      ProfileProblem p = ProfileProblem.BAD_LADDER;
      String where = "ladder[" + i + "]";
      if (r == null) {
        throw new ProfileException(source, p, where + " is empty");
      }
      String name = required(r.name(), where + ": name", p);
      where += " (" + name + ")";
      int height = required(r.height(), where + ": height", p);
      long bitrate = required(r.videoBitrateBps(), where + ": videoBitrateBps", p);
      try {
        return new Rung(name, height, bitrate);
      } catch (IllegalArgumentException e) {
        throw new ProfileException(source, p, where + ": " + e.getMessage());
      }
    }

    private NodeSpec node(int i, NodeFile n) {
      ProfileProblem bad = ProfileProblem.BAD_VALUE;
      if (n == null) {
        throw new ProfileException(source, bad, "nodes[" + i + "] is empty");
      }
      String id = required(n.id(), "nodes[" + i + "]: id", bad);
      try {
        NodeSpec.checkId(id);
      } catch (IllegalArgumentException e) {
        throw new ProfileException(source, bad, "nodes[" + i + "]: " + e.getMessage());
      }
      String where = "node '" + id + "': ";
      String typeName = required(n.type(), where + "type", bad);
      NodeType type =
          types
              .get(typeName)
              .orElseThrow(
                  () ->
                      new ProfileException(
                          source,
                          ProfileProblem.UNKNOWN_NODE_TYPE,
                          where
                              + "unknown type "
                              + Show.value(typeName)
                              + " (known: "
                              + String.join(", ", types.names())
                              + ")"));
      Map<String, Object> params = n.params() == null ? Map.of() : n.params();
      try {
        type.resolveParams(params);
      } catch (IllegalArgumentException e) {
        throw new ProfileException(source, ProfileProblem.BAD_PARAMS, where + e.getMessage());
      }
      List<String> after = n.after() == null ? List.of() : n.after();
      if (after.stream().anyMatch(Objects::isNull)) {
        throw new ProfileException(source, bad, where + "after has an empty entry");
      }
      boolean enabled = n.enabled() == null || n.enabled();
      try {
        return new NodeSpec(id, type, after, params, enabled);
      } catch (IllegalArgumentException e) {
        throw new ProfileException(source, bad, where + e.getMessage());
      }
    }

    private <T> T required(T value, String what, ProfileProblem problem) {
      if (value == null) {
        throw new ProfileException(source, problem, what + " is required");
      }
      return value;
    }
  }

  private static String prefix(String path) {
    return path.isEmpty() ? "" : path + ": ";
  }

  /** "nodes[3].params", from Jackson's reference path; without the last field when asked. */
  private static String path(JsonMappingException e, boolean dropLast) {
    List<JsonMappingException.Reference> refs = e.getPath();
    int end = dropLast && !refs.isEmpty() ? refs.size() - 1 : refs.size();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < end; i++) {
      JsonMappingException.Reference ref = refs.get(i);
      if (ref.getFieldName() == null) {
        sb.append('[').append(ref.getIndex()).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      }
    }
    return sb.toString();
  }

  private static String expected(MismatchedInputException e) {
    Class<?> t = e.getTargetType();
    if (t == null) {
      return "a value of another type";
    }
    if (t == Integer.class || t == Long.class || t == int.class || t == long.class) {
      return "an integer";
    }
    if (t == String.class) {
      return e.getOriginalMessage().contains("Boolean")
          ? "a string (YAML reads unquoted yes, no, on and off as booleans: quote it)"
          : "a string";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "true or false";
    }
    if (List.class.isAssignableFrom(t) || Collection.class.isAssignableFrom(t)) {
      return "a list";
    }
    return "a mapping";
  }
}
