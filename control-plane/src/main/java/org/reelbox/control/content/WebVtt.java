package org.reelbox.control.content;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The check of an uploaded WebVTT file: what the W3C WebVTT spec (§4.1, "WebVTT file structure")
 * requires of a file's start, and valid UTF-8 throughout, which is the only encoding WebVTT has.
 * Cues are not parsed: a player skips the cues it cannot read, but a file that is not WebVTT at all
 * or not UTF-8 would fail as a whole in the player, so those are refused here with a message.
 */
public final class WebVtt {
  /** The largest file accepted, in bytes: 1 MiB, hours of dense dialogue. */
  public static final int MAX_BYTES = 1 << 20;

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final String SIGNATURE = "WEBVTT";

  private WebVtt() {}

  /**
   * Checks a file and returns it without a leading byte order mark (the form stored, so that every
   * copy starts with {@code WEBVTT}).
   *
   * @throws IllegalArgumentException with the reason, when it is not a WebVTT file
   */
  public static byte[] check(byte[] file) {
    if (file.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "a WebVTT file may be at most " + MAX_BYTES + " bytes, got " + file.length);
    }
    byte[] body = startsWith(file, BOM) ? Arrays.copyOfRange(file, BOM.length, file.length) : file;
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a WebVTT file must be UTF-8 text");
    }
    // §4.1: "WEBVTT", then a space, a tab or a line terminator (or the end of the file).
    if (!text.startsWith(SIGNATURE)) {
      throw new IllegalArgumentException("a WebVTT file must start with WEBVTT");
    }
    if (text.length() > SIGNATURE.length()) {
      char next = text.charAt(SIGNATURE.length());
      if (next != ' ' && next != '\t' && next != '\n' && next != '\r') {
        throw new IllegalArgumentException(
            "a WebVTT file must start with WEBVTT followed by a space, a tab or a line break");
      }
    }
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a WebVTT file must not contain NUL characters");
    }
    return body;
  }

  private static boolean startsWith(byte[] file, byte[] prefix) {
    return file.length >= prefix.length
        && Arrays.equals(file, 0, prefix.length, prefix, 0, prefix.length);
  }
}
