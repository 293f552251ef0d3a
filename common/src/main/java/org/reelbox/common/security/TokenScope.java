package org.reelbox.common.security;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a signed token allows its bearer to do. Each scope has a stable wire name, the value of the
 * token's {@code scp} field.
 *
 * <p>To add a scope, add a constant with a new lower-case wire name. Never change or reuse a wire
 * name: tokens already handed out carry it.
 */
public enum TokenScope {
  /** Upload the bytes of one video to ingest (tus). */
  UPLOAD("upload"),
  /** Fetch the playlists, segments and thumbnails of one video from an origin or edge. */
  PLAY("play"),
  /** Fetch the AES-128 content key of one video. */
  KEY("key");

  private static final Map<String, TokenScope> BY_WIRE_NAME =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(s -> s.wireName, Function.identity()));

  private final String wireName;

  TokenScope(String wireName) {
    this.wireName = wireName;
  }

  /** The name written in tokens, such as {@code "play"}. */
  public String wireName() {
    return wireName;
  }

  /** The scope with this wire name, or empty if there is none (the match is exact). */
  public static Optional<TokenScope> fromWireName(String wireName) {
    return Optional.ofNullable(BY_WIRE_NAME.get(requireNonNull(wireName, "wireName")));
  }
}
