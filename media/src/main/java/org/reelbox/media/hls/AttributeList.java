package org.reelbox.media.hls;

import static org.reelbox.media.hls.Checks.checkArgument;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed attribute-list (RFC 8216 §4.2): {@code NAME=value} pairs separated by commas, with no
 * whitespace. Parsing checks only the syntax; each typed getter then checks that its attribute was
 * written in the syntax its definition gives it (quoted-string vs. enumerated-string vs. number),
 * since a client cannot otherwise tell {@code CODECS=avc1} from an enumerated value. Failures are
 * {@link IllegalArgumentException}s naming the attribute; the parser adds the line number.
 */
final class AttributeList {

  private static final Pattern DECIMAL_INTEGER = Pattern.compile("[0-9]{1,20}");
  private static final Pattern HEXADECIMAL_SEQUENCE = Pattern.compile("0[xX]([0-9a-fA-F]+)");
  private static final Pattern DECIMAL_FLOATING_POINT = Pattern.compile("[0-9]+(\\.[0-9]*)?");
  private static final Pattern DECIMAL_RESOLUTION = Pattern.compile("([0-9]{1,9})x([0-9]{1,9})");

  private record Value(String text, boolean quoted) {}

  private final Map<String, Value> values;

  private AttributeList(Map<String, Value> values) {
    this.values = values;
  }

  static AttributeList parse(String text) {
    checkArgument(!text.isEmpty(), "empty attribute-list");
    Map<String, Value> values = new LinkedHashMap<>();
    int position = 0;
    while (true) {
      int nameStart = position;
      while (position < text.length() && isNameCharacter(text.charAt(position))) {
        position++;
      }
      checkArgument(
          position > nameStart,
          "expected an attribute name ([A-Z0-9-]) at column %s of '%s'",
          position + 1,
          text);
      String name = text.substring(nameStart, position);
      checkArgument(
          position < text.length() && text.charAt(position) == '=',
          "expected '=' after attribute %s in '%s'",
          name,
          text);
      position++;
      Value value;
      if (position < text.length() && text.charAt(position) == '"') {
        int close = text.indexOf('"', position + 1);
        checkArgument(close >= 0, "unterminated quoted-string in attribute %s", name);
        value = new Value(text.substring(position + 1, close), /* quoted= */ true);
        position = close + 1;
      } else {
        int end = text.indexOf(',', position);
        end = end < 0 ? text.length() : end;
        String raw = text.substring(position, end);
        checkArgument(!raw.isEmpty(), "attribute %s has no value", name);
        for (int i = 0; i < raw.length(); i++) {
          char c = raw.charAt(i);
          checkArgument(
              c != '"' && !Character.isWhitespace(c),
              "attribute %s has a malformed value '%s'",
              name,
              raw);
        }
        value = new Value(raw, /* quoted= */ false);
        position = end;
      }
      // RFC 8216 §4.2: an AttributeName MUST NOT appear twice; clients SHOULD refuse such lists.
      checkArgument(values.put(name, value) == null, "attribute %s appears twice", name);
      if (position == text.length()) {
        return new AttributeList(values);
      }
      checkArgument(
          text.charAt(position) == ',',
          "expected ',' after attribute %s, found '%s'",
          name,
          text.charAt(position));
      position++;
      checkArgument(position < text.length(), "attribute-list ends with ','");
    }
  }

  private static boolean isNameCharacter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  }

  int size() {
    return values.size();
  }

  boolean contains(String name) {
    return values.containsKey(name);
  }

  Optional<String> quotedString(String name) {
    Value value = values.get(name);
    if (value == null) {
      return Optional.empty();
    }
    checkArgument(value.quoted(), "%s must be a quoted-string: %s", name, value.text());
    return Optional.of(value.text());
  }

  String requireQuotedString(String name) {
    return quotedString(name).orElseThrow(() -> missing(name));
  }

  Optional<String> enumeratedString(String name) {
    Value value = values.get(name);
    if (value == null) {
      return Optional.empty();
    }
    checkArgument(
        !value.quoted(), "%s must be an enumerated-string, not quoted: \"%s\"", name, value.text());
    return Optional.of(value.text());
  }

  String requireEnumeratedString(String name) {
    return enumeratedString(name).orElseThrow(() -> missing(name));
  }

  /** A YES/NO enumerated-string; absent is {@code NO}. */
  boolean yesNo(String name) {
    String value = enumeratedString(name).orElse("NO");
    checkArgument(
        value.equals("YES") || value.equals("NO"), "%s must be YES or NO: %s", name, value);
    return value.equals("YES");
  }

  OptionalLong decimalInteger(String name) {
    Optional<String> text = unquoted(name, "a decimal-integer");
    if (text.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(parseDecimalInteger(name, text.get()));
  }

  long requireDecimalInteger(String name) {
    return decimalInteger(name).orElseThrow(() -> missing(name));
  }

  Optional<BigInteger> hexadecimalSequence(String name) {
    Optional<String> text = unquoted(name, "a hexadecimal-sequence");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher matcher = HEXADECIMAL_SEQUENCE.matcher(text.get());
    checkArgument(matcher.matches(), "%s must be a hexadecimal-sequence: %s", name, text.get());
    return Optional.of(new BigInteger(matcher.group(1), 16));
  }

  OptionalDouble decimalFloatingPoint(String name) {
    Optional<String> text = unquoted(name, "a decimal-floating-point");
    if (text.isEmpty()) {
      return OptionalDouble.empty();
    }
    checkArgument(
        DECIMAL_FLOATING_POINT.matcher(text.get()).matches(),
        "%s must be a decimal-floating-point: %s",
        name,
        text.get());
    return OptionalDouble.of(new BigDecimal(text.get()).doubleValue());
  }

  Optional<Resolution> decimalResolution(String name) {
    Optional<String> text = unquoted(name, "a decimal-resolution");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher matcher = DECIMAL_RESOLUTION.matcher(text.get());
    checkArgument(matcher.matches(), "%s must be a decimal-resolution (WxH): %s", name, text.get());
    return Optional.of(
        new Resolution(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
  }

  private Optional<String> unquoted(String name, String kind) {
    Value value = values.get(name);
    if (value == null) {
      return Optional.empty();
    }
    checkArgument(!value.quoted(), "%s must be %s, not quoted: \"%s\"", name, kind, value.text());
    return Optional.of(value.text());
  }

  /** A decimal-integer (RFC 8216 §4.2): digits only, here limited to what a long holds. */
  static long parseDecimalInteger(String name, String text) {
    checkArgument(
        DECIMAL_INTEGER.matcher(text).matches(), "%s must be a decimal-integer: %s", name, text);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is out of range: " + text, e);
    }
  }

  private static IllegalArgumentException missing(String name) {
    return new IllegalArgumentException("missing required attribute " + name);
  }
}
