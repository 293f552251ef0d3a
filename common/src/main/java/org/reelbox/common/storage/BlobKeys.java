package org.reelbox.common.storage;

import static java.util.Objects.requireNonNull;

/**
 * Validation of {@link BlobStore} keys and listing prefixes.
 *
 * <p>A key is one or more segments joined by {@code /}; each segment matches {@code
 * [A-Za-z0-9_-][A-Za-z0-9._-]*}, and the whole key is at most {@value #MAX_LENGTH} characters.
 *
 * <p>This is a whitelist on purpose. A blacklist of dangerous forms ({@code ..}, {@code %2e%2e},
 * {@code \}, NUL, absolute paths…) has to anticipate every way a file system, an HTTP client or an
 * S3 server might decode or normalize a key; a whitelist only has to be obviously safe. With it a
 * key can neither climb out of a directory ({@code .} and {@code ..} cannot be segments, and no
 * segment starts with a dot), nor name an absolute path (no leading {@code /}), nor be decoded into
 * something else ({@code %} is not allowed, so there are no percent-encoded separators), and it is
 * the same string on every file system and in every URL. The keys reelbox writes ({@code
 * hls/{videoId}/720p/3.ts}) all fit.
 */
public final class BlobKeys {
  /** The longest key accepted, in characters (S3 allows 1024 bytes; keys here are ASCII). */
  public static final int MAX_LENGTH = 1024;

  // Longest part of a rejected key quoted in an error message; keys come from requests, and an
  // exception message must not carry a megabyte of attacker-chosen text into the logs.
  private static final int MAX_QUOTED = 200;

  private BlobKeys() {}

  /**
   * Returns {@code key} if it is a valid object key.
   *
   * @throws IllegalArgumentException naming the key and what is wrong with it
   */
  public static String requireValid(String key) {
    requireNonNull(key, "key");
    String problem = problem(key);
    if (problem != null) {
      throw new IllegalArgumentException("invalid blob key " + quote(key) + ": " + problem);
    }
    return key;
  }

  /**
   * Returns {@code prefix} if it is a valid listing prefix: empty (everything), a valid key, or a
   * valid key followed by one {@code /}. A valid key is also a valid partial prefix, since prefixes
   * match plain strings: {@code hls/ab} matches {@code hls/ab/1.ts} and {@code hls/abc/1.ts}.
   *
   * @throws IllegalArgumentException naming the prefix and what is wrong with it
   */
  public static String requireValidPrefix(String prefix) {
    requireNonNull(prefix, "prefix");
    if (prefix.isEmpty()) {
      return prefix;
    }
    // "hls/abc/" lists the objects under hls/abc; without its trailing slash it must be a key.
    String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    String problem =
        prefix.length() > MAX_LENGTH
            ? tooLong(prefix)
            : body.isEmpty() ? "must not start with '/'" : problem(body);
    if (problem != null) {
      throw new IllegalArgumentException(
          "invalid blob key prefix " + quote(prefix) + ": " + problem);
    }
    return prefix;
  }

  /** Whether {@code key} is a valid object key; never throws. */
  public static boolean isValid(String key) {
    return key != null && problem(key) == null;
  }

  /** What is wrong with {@code key}, or null when it is valid. */
  private static String problem(String key) {
    if (key.isEmpty()) {
      return "is empty";
    }
    if (key.length() > MAX_LENGTH) {
      return tooLong(key);
    }
    int segment = 0;
    int segmentStart = 0;
    for (int i = 0; i <= key.length(); i++) {
      if (i == key.length() || key.charAt(i) == '/') {
        if (i == segmentStart) {
          return segmentStart == 0
              ? "must not start with '/'"
              : i == key.length() ? "must not end with '/'" : "has an empty segment ('//')";
        }
        segment++;
        segmentStart = i + 1;
        continue;
      }
      char c = key.charAt(i);
      if (i == segmentStart && c == '.') {
        // Covers ".", ".." and hidden names; a store may keep its own files under dot names.
        return "segment " + (segment + 1) + " starts with '.'";
      }
      if (!isSegmentChar(c)) {
        return "character "
            + quoteChar(c)
            + " at index "
            + i
            + " is not allowed (only A-Z a-z 0-9 . _ - and /)";
      }
    }
    return null;
  }

  private static boolean isSegmentChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }

  private static String tooLong(String key) {
    return "is " + key.length() + " characters long, more than " + MAX_LENGTH;
  }

  /** The key in double quotes, control and non-ASCII characters escaped, cut when very long. */
  static String quote(String key) {
    StringBuilder sb = new StringBuilder(Math.min(key.length(), MAX_QUOTED) + 8).append('"');
    int n = Math.min(key.length(), MAX_QUOTED);
    for (int i = 0; i < n; i++) {
      appendEscaped(sb, key.charAt(i));
    }
    if (key.length() > MAX_QUOTED) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }

  private static String quoteChar(char c) {
    StringBuilder sb = new StringBuilder("'");
    appendEscaped(sb, c);
    return sb.append('\'').toString();
  }

  private static void appendEscaped(StringBuilder sb, char c) {
    if (c == '"' || c == '\\') {
      sb.append('\\').append(c);
    } else if (c < 0x20 || c >= 0x7f) {
      sb.append(String.format("\\u%04x", (int) c));
    } else {
      sb.append(c);
    }
  }
}
