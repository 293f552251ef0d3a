package org.reelbox.common.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Loads a role's typed configuration: YAML files bound to records, every key overridable by an
 * environment variable.
 *
 * <p>Three layers, later ones win:
 *
 * <ol>
 *   <li>the role's defaults, {@code conf/ROLE.yaml} on the classpath (the files in the top-level
 *       {@code conf/} folder), which name every key;
 *   <li>the operator's file ({@code --config FILE}), which names only the keys it changes;
 *   <li>environment variables {@code REELBOX_<ROLE>_<KEY>}: the role and the dotted key in upper
 *       snake case, so {@code http.port} of {@code control-plane} is {@code
 *       REELBOX_CONTROL_PLANE_HTTP_PORT}. List values are comma-separated.
 * </ol>
 *
 * <p>Anything wrong fails with one {@link ConfigException} naming the key: an unknown key in a file
 * or the environment, a value of the wrong type, or a value its record rejects.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private final String role;
  private final Map<String, String> env;

  private ConfigLoader(String role, Map<String, String> env) {
    this.role = requireNonNull(role, "role");
    this.env = Map.copyOf(requireNonNull(env, "env"));
  }

  /** A loader for {@code role} (such as {@code ingest}) that reads the given environment. */
  public static ConfigLoader forRole(String role, Map<String, String> env) {
    return new ConfigLoader(role, env);
  }

  /** The environment-variable prefix of this role, such as {@code REELBOX_INGEST_}. */
  public String envPrefix() {
    return "REELBOX_" + role.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
  }

  /** The environment variable that overrides {@code dottedKey}. */
  public String envName(String dottedKey) {
    StringBuilder sb = new StringBuilder(envPrefix());
    for (int i = 0; i < dottedKey.length(); i++) {
      char c = dottedKey.charAt(i);
      if (c == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  /**
   * Loads the role's config: defaults from the classpath, then {@code file} when present, then the
   * environment.
   */
  public <T> T load(Class<T> type, Optional<Path> file) {
    ObjectNode tree = readDefaults();
    if (file.isPresent()) {
      Path path = file.get();
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw new ConfigException("--config", "cannot read file " + path);
      }
      try (InputStream in = Files.newInputStream(path)) {
        merge(tree, readTree(in, path.toString()), "");
      } catch (IOException e) {
        throw new ConfigException("--config", "cannot read file " + path + ": " + e.getMessage());
      }
    }
    return bind(type, applyEnv(type, tree));
  }

  /** Binds an already-built tree (tests and {@code run all} use it), still applying the env. */
  public <T> T load(Class<T> type, ObjectNode overrides) {
    ObjectNode tree = readDefaults();
    merge(tree, overrides, "");
    return bind(type, applyEnv(type, tree));
  }

  private ObjectNode readDefaults() {
    String resource = "conf/" + role + ".yaml";
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no default config " + resource + " on the classpath");
      }
      return readTree(in, resource);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  private static ObjectNode readTree(InputStream in, String source) {
    JsonNode node;
    try {
      node = YAML.readTree(in);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(
          source, "is not valid YAML" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(source, "cannot be read: " + e.getMessage());
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!node.isObject()) {
      throw new ConfigException(source, "must be a YAML mapping of keys to values");
    }
    return (ObjectNode) node;
  }

  /** Deep-merges {@code over} into {@code base}: mappings merge, anything else replaces. */
  private static void merge(ObjectNode base, ObjectNode over, String path) {
    Iterator<Map.Entry<String, JsonNode>> it = over.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode existingObject && e.getValue() instanceof ObjectNode o) {
        merge(existingObject, o, path + e.getKey() + ".");
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  private ObjectNode applyEnv(Class<?> type, ObjectNode tree) {
    Map<String, Leaf> leaves = new LinkedHashMap<>();
    collectLeaves(type, "", leaves);
    Map<String, Leaf> byEnv = new TreeMap<>();
    for (Leaf leaf : leaves.values()) {
      byEnv.put(envName(leaf.key()), leaf);
    }
    String prefix = envPrefix();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      Leaf leaf = byEnv.get(e.getKey());
      if (leaf == null) {
        throw new ConfigException(e.getKey(), "unknown key (no such setting for " + role + ")");
      }
      set(tree, leaf, e.getValue());
    }
    return tree;
  }

  private static void set(ObjectNode tree, Leaf leaf, String value) {
    String[] parts = leaf.key().split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (!(child instanceof ObjectNode)) {
        child = node.putObject(parts[i]);
      }
      node = (ObjectNode) child;
    }
    String last = parts[parts.length - 1];
    if (leaf.list()) {
      ArrayNode array = node.putArray(last);
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          array.add(item.trim());
        }
      }
    } else {
      node.put(last, value);
    }
  }

  private record Leaf(String key, boolean list) {}

  private static void collectLeaves(Class<?> type, String prefix, Map<String, Leaf> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      String key = prefix + c.getName();
      Class<?> t = c.getType();
      if (t.isRecord()) {
        collectLeaves(t, key + ".", out);
      } else {
        boolean list = Collection.class.isAssignableFrom(t);
        if (list) {
          Type generic = c.getGenericType();
          if (!(generic instanceof ParameterizedType)) {
            throw new IllegalStateException("raw collection in config record: " + key);
          }
        }
        out.put(key, new Leaf(key, list));
      }
    }
  }

  private <T> T bind(Class<T> type, ObjectNode tree) {
    try {
      return YAML.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          path(e, e.getPropertyName()), "unknown key (no such setting for " + role + ")");
    } catch (InvalidFormatException e) {
      String key = path(e, null);
      throw new ConfigException(
          key + " (" + envName(key) + ")",
          "'"
              + e.getValue()
              + "' is not a valid "
              + e.getTargetType().getSimpleName().toLowerCase(Locale.ROOT));
    } catch (ValueInstantiationException e) {
      String key = path(e, null);
      if (e.getCause() instanceof ConfigValueException cv) {
        String full = key.isEmpty() ? cv.field() : key + "." + cv.field();
        throw new ConfigException(full + " (" + envName(full) + ")", cv.problem());
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ConfigException(key.isEmpty() ? role : key, String.valueOf(cause.getMessage()));
    } catch (MismatchedInputException e) {
      String key = path(e, null);
      throw new ConfigException(
          key, "has the wrong type, expected " + e.getTargetType().getSimpleName());
    } catch (JsonMappingException e) {
      throw new ConfigException(path(e, null), e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ConfigException(role, e.getOriginalMessage());
    }
  }

  private static String path(JsonMappingException e, String last) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      String name = ref.getFieldName();
      if (name == null) {
        sb.append('[').append(ref.getIndex()).append(']');
        continue;
      }
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(name);
    }
    if (last != null && !sb.toString().endsWith(last)) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(last);
    }
    return sb.toString();
  }
}
