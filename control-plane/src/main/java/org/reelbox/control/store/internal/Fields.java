package org.reelbox.control.store.internal;

import java.util.regex.Pattern;

/**
 * Argument checks shared by the store's value types and implementations. Each failure is an {@link
 * IllegalArgumentException} whose message names the field and shows the bad value.
 *
 * <p>Not API: the public types validate themselves; this class only keeps the rules in one place.
 */
public final class Fields {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  // BCP 47 in its common shapes ("en", "pt-BR", "zh-Hant-TW"), not the full grammar: the store
  // only needs something a player can hand to a browser, and 35 characters is the RFC 5646 §4.4.1
  // minimum buffer size.
  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");
  // RFC 6838 §4.2 restricted-name for both type and subtype, lower case (media types compare
  // case-insensitively, so the store keeps one spelling), no parameters.
  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

  private Fields() {}

  /**
   * Checks a piece of text that people write and read.
   *
   * <p>Why these rules: PostgreSQL rejects U+0000 in text while H2 stores it, and a lone surrogate
   * becomes '?' on its way through UTF-8; refusing both here keeps the two databases storing the
   * same strings. Lengths are in UTF-16 units ({@link String#length()}), which is never less than
   * what either database counts, so a value that passes here fits the column on both.
   *
   * @param multiline whether line breaks and tabs are allowed (descriptions) or not (titles)
   */
  public static String text(String field, String value, int maxLength, boolean multiline) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(
          field + " must be at most " + maxLength + " characters, got " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
        continue;
      }
      if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            field + " has an unpaired surrogate at index " + i + ": " + quote(value));
      }
      boolean allowedControl = multiline && (c == '\n' || c == '\r' || c == '\t');
      if (Character.isISOControl(c) && !allowedControl) {
        throw new IllegalArgumentException(
            field
                + " must not contain control character U+"
                + String.format("%04X", (int) c)
                + ": "
                + quote(value));
      }
    }
    return value;
  }

  /** {@link #text} that also refuses an empty or all-blank value. */
  public static String nonBlankText(String field, String value, int maxLength) {
    text(field, value, maxLength, false);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return value;
  }

  /** A BCP 47 language tag such as {@code en} or {@code pt-BR}, or null for "unknown". */
  public static String language(String field, String value) {
    if (value != null && (value.length() > 35 || !LANGUAGE.matcher(value).matches())) {
      throw new IllegalArgumentException(
          field + " must be a language tag such as 'en' or 'pt-BR', got " + quote(value));
    }
    return value;
  }

  /**
   * A lower-case media type without parameters, such as {@code video/mp4} (RFC 6838 §4.2 names), or
   * null.
   */
  public static String mediaType(String field, String value) {
    if (value != null && !MEDIA_TYPE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + " must be a lower-case media type such as 'video/mp4', without parameters, got "
              + quote(value));
    }
    return value;
  }

  /** Lower-case hex SHA-256, or null. */
  public static String sha256(String field, String value) {
    if (value != null && !SHA256_HEX.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must be 64 lower-case hex digits, got " + quote(value));
    }
    return value;
  }

  /** An error code such as {@code UNSUPPORTED_CONTAINER}, or null. */
  public static String errorCode(String field, String value) {
    if (value != null && !ERROR_CODE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + " must be an UPPER_SNAKE_CASE code of at most 64 characters, got "
              + quote(value));
    }
    return value;
  }

  /** A count that may be unknown (null) but never negative. */
  public static Long nonNegative(String field, Long value) {
    if (value != null && value < 0) {
      throw new IllegalArgumentException(field + " must not be negative, got " + value);
    }
    return value;
  }

  /** A database id: generated by the database, always positive. */
  public static long id(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be a positive id, got " + value);
    }
    return value;
  }

  /** Offset and limit of a page of results. */
  public static void page(int offset, int limit, int maxLimit) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
    if (limit < 1 || limit > maxLimit) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + maxLimit + ", got " + limit);
    }
  }

  // Bad values go into messages, but cut short: a 5000-character description would drown the log.
  private static String quote(String value) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    return "'" + shown + "'";
  }
}
