package org.reelbox.media.hls;

import java.util.Locale;

/** Argument checks shared by the playlist value types; every failure names the bad value. */
final class Checks {
  private Checks() {}

  static void checkArgument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
  }

  /**
   * A value written inside a quoted-string: RFC 8216 §4.2 forbids CR, LF and the double quote in
   * it, and §4.1 forbids control characters anywhere in a playlist.
   */
  static String checkQuotedString(String field, String value) {
    checkArgument(value != null, "%s must not be null", field);
    checkArgument(!value.isEmpty(), "%s must not be empty", field);
    checkArgument(value.indexOf('"') < 0, "%s must not contain a double quote: %s", field, value);
    checkNoControlCharacters(field, value);
    return value;
  }

  /**
   * A URI written on a line of its own. RFC 8216 §4.1: a line that starts with '#' is a tag or a
   * comment, so a URI line must not; whitespace around it would not survive a parse.
   */
  static String checkUriLine(String field, String value) {
    checkArgument(value != null, "%s must not be null", field);
    checkArgument(!value.isEmpty(), "%s must not be empty", field);
    checkArgument(!value.startsWith("#"), "%s must not start with '#': %s", field, value);
    checkArgument(
        value.equals(value.strip()),
        "%s must not start or end with whitespace: '%s'",
        field,
        value);
    checkNoControlCharacters(field, value);
    return value;
  }

  /** RFC 8216 §4.1: no control characters (U+0000-U+001F, U+007F-U+009F) in a playlist. */
  static String checkNoControlCharacters(String field, String value) {
    checkArgument(value != null, "%s must not be null", field);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s must not contain control character U+%04X: %s",
                field,
                (int) c,
                value.replaceAll("\\p{Cntrl}", "?")));
      }
    }
    return value;
  }

  /**
   * The codecs of a {@code CODECS} attribute: each an RFC 6381 codec string, which the
   * comma-separated list and the quoted-string around it (RFC 8216 §4.3.4.2) leave no room for
   * commas, quotes or whitespace in.
   */
  static java.util.List<String> checkCodecs(java.util.List<String> codecs) {
    checkArgument(codecs != null, "codecs must not be null");
    java.util.List<String> copy = java.util.List.copyOf(codecs);
    for (String codec : copy) {
      checkArgument(!codec.isEmpty(), "codecs must not contain an empty codec: %s", copy);
      for (int i = 0; i < codec.length(); i++) {
        char c = codec.charAt(i);
        checkArgument(
            c > 0x20 && c < 0x7f && c != ',' && c != '"',
            "codec must be printable ASCII without ',', '\"' or spaces: '%s'",
            codec);
      }
    }
    return copy;
  }
}
