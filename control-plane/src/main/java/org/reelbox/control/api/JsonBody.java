package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.json.Json;

/**
 * A request body read as one JSON object, with typed accessors that fail with 400 and a message
 * naming the field.
 *
 * <p>Why not bind to a record with Jackson: its default coercions turn {@code "size": "12"} and
 * {@code "size": 1.5} into numbers, and a client that sends a string where a number belongs has a
 * bug we want to tell it about. Here a field has exactly one JSON type.
 *
 * <ul>
 *   <li>Not JSON, not an object, a duplicate key, trailing content: 400 {@code INVALID_JSON}.
 *   <li>An unknown field, a missing required field, a wrong type, a {@code null} where none is
 *       allowed: 400 {@code VALIDATION_FAILED}.
 * </ul>
 */
final class JsonBody {
  // Duplicate keys: {"title": "a", "title": "b"} means nothing sensible, so it is not JSON we take.
  private static final ObjectReader READER =
      Json.mapper()
          .reader()
          .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ObjectNode node;
  // For a nested object: "stats." in front of its field names in messages.
  private final String prefix;

  private JsonBody(ObjectNode node, String prefix) {
    this.node = node;
    this.prefix = prefix;
  }

  /** The request's body as a JSON object. */
  static JsonBody of(RoutingContext ctx) {
    Buffer buffer = ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      throw new ApiException(ErrorCode.INVALID_JSON, "the request body must be a JSON object");
    }
    return parse(buffer.getBytes());
  }

  static JsonBody parse(byte[] bytes) {
    JsonNode node;
    try {
      node = READER.readTree(bytes);
    } catch (IOException e) {
      // The parser's message quotes the input; the client has it already, so keep it short.
      throw new ApiException(ErrorCode.INVALID_JSON, "the request body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(ErrorCode.INVALID_JSON, "the request body must be a JSON object");
    }
    return new JsonBody((ObjectNode) node, "");
  }

  /** Fails on the first field not in {@code allowed}: a typo must not be silently ignored. */
  JsonBody allowOnly(Set<String> allowed) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw invalid(
            "unknown field '"
                + prefix
                + shorten(name)
                + "'; allowed: "
                + allowed.stream().sorted().toList());
      }
    }
    return this;
  }

  /** Whether the body has the field, with any value including {@code null}. */
  boolean has(String field) {
    return node.has(field);
  }

  /** Whether the body has no fields. */
  boolean isEmpty() {
    return node.isEmpty();
  }

  /** A string field that must be present and not null. */
  String requiredString(String field) {
    return optionalString(field).orElseThrow(() -> invalid(prefix + field + " is required"));
  }

  /** A string field that may be absent; {@code null} is refused. */
  Optional<String> optionalString(String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw invalid(prefix + field + " must be a string, got " + typeOf(value));
    }
    return Optional.of(value.textValue());
  }

  /**
   * A string field that may be absent or {@code null}: empty when absent, an empty string for
   * {@code null} (the caller's "clear it"), the string otherwise.
   */
  Optional<String> clearableString(String field) {
    JsonNode value = node.get(field);
    if (value != null && value.isNull()) {
      return Optional.of("");
    }
    return optionalString(field);
  }

  /** An integer field that must be present: any size, so the caller can say "too large". */
  BigInteger requiredInteger(String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw invalid(prefix + field + " is required");
    }
    if (!value.isIntegralNumber()) {
      throw invalid(prefix + field + " must be an integer, got " + typeOf(value));
    }
    return value.bigIntegerValue();
  }

  /** A finite number that may be absent; {@code null} and other types are refused. */
  Optional<Double> optionalNumber(String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      throw invalid(prefix + field + " must be a number, got " + typeOf(value));
    }
    return Optional.of(value.doubleValue());
  }

  /** An integer field that must be present and fit a long. */
  long requiredLong(String field) {
    BigInteger value = requiredInteger(field);
    if (value.bitLength() > 63) {
      throw invalid(prefix + field + " is out of range: " + value);
    }
    return value.longValue();
  }

  /**
   * An object field that must be present and not null, read with the same rules as the body; its
   * fields are named {@code field.name} in error messages.
   */
  JsonBody requiredObject(String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw invalid(prefix + field + " is required");
    }
    if (!value.isObject()) {
      throw invalid(prefix + field + " must be an object, got " + typeOf(value));
    }
    return new JsonBody((ObjectNode) value, prefix + field + ".");
  }

  /** An object field that may be absent, read like {@link #requiredObject}; null is refused. */
  Optional<JsonBody> optionalObject(String field) {
    return node.has(field) ? Optional.of(requiredObject(field)) : Optional.empty();
  }

  /** The names of the fields present, in the body's order. */
  List<String> fieldNames() {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** A boolean field that may be absent; {@code null} and other types are refused. */
  Optional<Boolean> optionalBoolean(String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw invalid(prefix + field + " must be true or false, got " + typeOf(value));
    }
    return Optional.of(value.booleanValue());
  }

  /** An array-of-strings field that may be absent; {@code null} and other types are refused. */
  Optional<List<String>> optionalStringList(String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isArray()) {
      throw invalid(prefix + field + " must be an array of strings, got " + typeOf(value));
    }
    List<String> items = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isTextual()) {
        throw invalid(prefix + field + "[" + i + "] must be a string, got " + typeOf(item));
      }
      items.add(item.textValue());
    }
    return Optional.of(items);
  }

  static ApiException invalid(String message) {
    return new ApiException(ErrorCode.VALIDATION_FAILED, requireNonNull(message, "message"));
  }

  private static String typeOf(JsonNode value) {
    return switch (value.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number with a fraction";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String shorten(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}
