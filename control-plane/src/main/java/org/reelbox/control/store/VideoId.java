package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * A video's public id: 11 base64url characters ({@code A-Z a-z 0-9 - _}), 66 random bits, like
 * YouTube's. It appears in URLs and object keys ({@code hls/{videoId}/…}), so its alphabet needs no
 * escaping anywhere.
 *
 * @param value the 11 characters
 */
public record VideoId(String value) {
  /** The length of every id. */
  public static final int LENGTH = 11;

  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{" + LENGTH + "}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public VideoId {
    requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "a video id is "
              + LENGTH
              + " base64url characters, got '"
              + (value.length() > 40 ? value.substring(0, 40) + "…" : value)
              + "'");
    }
  }

  /** Parses an id from a path or a request; same as the constructor. */
  public static VideoId of(String value) {
    return new VideoId(value);
  }

  /** Whether {@code value} has the format of a video id. */
  public static boolean isValid(String value) {
    return value != null && FORMAT.matcher(value).matches();
  }

  /** A fresh id from a shared {@link SecureRandom}. */
  public static VideoId random() {
    return random(RANDOM);
  }

  /**
   * A fresh id from {@code random}. Ids must not be guessable (an unlisted video is private by
   * obscurity), so production code passes a {@link SecureRandom}; tests may pass a seeded one.
   */
  public static VideoId random(Random random) {
    requireNonNull(random, "random");
    // 9 bytes encode to 12 base64url characters with no padding; the first 11 carry 66 bits, each
    // character uniform over the 64-letter alphabet.
    byte[] bytes = new byte[9];
    random.nextBytes(bytes);
    return new VideoId(
        Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 11));
  }

  @Override
  public String toString() {
    return value;
  }
}
