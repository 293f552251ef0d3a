package org.reelbox.ingest.tus;

import static java.util.Objects.requireNonNull;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed and validated {@code Upload-Metadata} header (tus 1.0.0, creation extension).
 *
 * <p>The header is "one or more comma-separated key-value pairs", key and value separated by a
 * space; keys are non-empty, unique and without spaces or commas; values are Base64 and may be
 * empty (then the space may be left out). The protocol warns that values are arbitrary bytes and
 * must be validated before they go back into a header. So the parse is strict, and {@link
 * #header()} — what HEAD echoes, as the protocol requires — is only ever a header that passed it:
 *
 * <ul>
 *   <li>keys are printable ASCII ({@code !} to {@code ~}) other than the comma;
 *   <li>values are canonical standard Base64 (RFC 4648 §4), padded or not;
 *   <li>a decoded value must not contain CR, LF or NUL (header smuggling, C-string truncation);
 *   <li>no other spaces: a pair is exactly {@code key} or {@code key value}, so a leading space is
 *       an empty key;
 *   <li>the whole header is at most {@value #MAX_HEADER_CHARS} characters.
 * </ul>
 *
 * Anything else is {@link TusError#INVALID_METADATA} (400), whose message names the pair by its
 * position and never quotes the header.
 */
public final class UploadMetadata {
  public static final int MAX_HEADER_CHARS = 4096;

  private final String header;
  private final Map<String, byte[]> values;

  private UploadMetadata(String header, Map<String, byte[]> values) {
    this.header = header;
    this.values = values;
  }

  /**
   * Parses the header.
   *
   * @throws TusException {@link TusError#INVALID_METADATA} when it is not valid
   */
  public static UploadMetadata parse(String header) {
    requireNonNull(header, "header");
    if (header.length() > MAX_HEADER_CHARS) {
      throw TusError.INVALID_METADATA.exception("longer than " + MAX_HEADER_CHARS + " characters");
    }
    Map<String, byte[]> values = new LinkedHashMap<>();
    String[] pairs = header.split(",", -1);
    for (int i = 0; i < pairs.length; i++) {
      String pair = pairs[i];
      int n = i + 1;
      if (pair.isEmpty()) {
        throw TusError.INVALID_METADATA.exception("pair " + n + " has an empty key");
      }
      int space = pair.indexOf(' ');
      String key = space < 0 ? pair : pair.substring(0, space);
      String encoded = space < 0 ? "" : pair.substring(space + 1);
      if (key.isEmpty()) {
        throw TusError.INVALID_METADATA.exception("pair " + n + " has an empty key");
      }
      for (int c = 0; c < key.length(); c++) {
        char ch = key.charAt(c);
        if (ch < '!' || ch > '~') {
          throw TusError.INVALID_METADATA.exception(
              "key of pair " + n + " has a character that is not printable ASCII");
        }
      }
      if (encoded.indexOf(' ') >= 0) {
        throw TusError.INVALID_METADATA.exception("pair " + n + " has more than one space");
      }
      byte[] value = decode(encoded, n);
      for (byte b : value) {
        if (b == '\r' || b == '\n' || b == 0) {
          throw TusError.INVALID_METADATA.exception(
              "value of pair " + n + " contains CR, LF or NUL");
        }
      }
      if (values.put(key, value) != null) {
        throw TusError.INVALID_METADATA.exception("pair " + n + " repeats a key");
      }
    }
    return new UploadMetadata(header, Collections.unmodifiableMap(values));
  }

  private static byte[] decode(String encoded, int n) {
    byte[] value;
    try {
      // The basic decoder rejects anything outside the Base64 alphabet, whitespace included.
      value = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw TusError.INVALID_METADATA.exception("value of pair " + n + " is not valid Base64");
    }
    // Canonical only: the decoder ignores unused low bits of the last character, so without this
    // check several spellings would carry the same value.
    String padded = Base64.getEncoder().encodeToString(value);
    String unpadded = Base64.getEncoder().withoutPadding().encodeToString(value);
    if (!encoded.equals(padded) && !encoded.equals(unpadded)) {
      throw TusError.INVALID_METADATA.exception("value of pair " + n + " is not valid Base64");
    }
    return value;
  }

  /** The header as received; safe to send back, since it passed the parse. */
  public String header() {
    return header;
  }

  /** Keys in header order. */
  public java.util.Set<String> keys() {
    return values.keySet();
  }

  /** The decoded value of {@code key}, or null when absent. */
  public byte[] value(String key) {
    byte[] value = values.get(key);
    return value == null ? null : value.clone();
  }

  @Override
  public String toString() {
    return "UploadMetadata" + values.keySet();
  }
}
