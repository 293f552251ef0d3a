package org.reelbox.media.hls;

import static java.util.Objects.requireNonNull;
import static org.reelbox.media.hls.Checks.checkArgument;
import static org.reelbox.media.hls.Checks.checkQuotedString;

import java.util.Optional;

/**
 * An alternative rendition, an {@code EXT-X-MEDIA} tag of a {@link MasterPlaylist} (RFC 8216
 * §4.3.4.1). Renditions with the same type and GROUP-ID form a group that variants name in their
 * AUDIO or SUBTITLES attribute.
 *
 * @param type {@code TYPE}
 * @param groupId {@code GROUP-ID}
 * @param name {@code NAME}, a human-readable description, unique within its group
 * @param language {@code LANGUAGE}, an RFC 5646 language tag, if known
 * @param isDefault {@code DEFAULT=YES}: play this rendition when the user expressed no preference
 * @param autoselect {@code AUTOSELECT=YES}: the client may choose it by the user's preferences
 * @param uri {@code URI} of its media playlist; an AUDIO rendition without one is muxed into the
 *     variants' segments
 */
public record Rendition(
    Type type,
    String groupId,
    String name,
    Optional<String> language,
    boolean isDefault,
    boolean autoselect,
    Optional<String> uri) {

  /** The rendition types that this model supports (VIDEO and CLOSED-CAPTIONS are not). */
  public enum Type {
    AUDIO,
    SUBTITLES
  }

  public Rendition {
    requireNonNull(type, "type");
    checkQuotedString("groupId", groupId);
    checkQuotedString("name", name);
    requireNonNull(language, "language").ifPresent(tag -> checkQuotedString("language", tag));
    requireNonNull(uri, "uri").ifPresent(value -> checkQuotedString("uri", value));
    // RFC 8216 §4.3.4.1: if AUTOSELECT is present it MUST be YES when DEFAULT is YES; the writer
    // always writes AUTOSELECT, so the pair must agree.
    checkArgument(
        !isDefault || autoselect,
        "a DEFAULT rendition must be AUTOSELECT: %s in group %s",
        name,
        groupId);
    // RFC 8216 §4.3.4.2.1: the URI of a SUBTITLES rendition is REQUIRED.
    checkArgument(
        type != Type.SUBTITLES || uri.isPresent(),
        "a SUBTITLES rendition needs a URI: %s in group %s",
        name,
        groupId);
  }

  public static Builder builder(Type type, String groupId, String name) {
    return new Builder(type, groupId, name);
  }

  /** Builds a {@link Rendition}. Defaults: no LANGUAGE or URI, DEFAULT=NO, AUTOSELECT=NO. */
  public static final class Builder {
    private final Type type;
    private final String groupId;
    private final String name;
    private Optional<String> language = Optional.empty();
    private boolean isDefault;
    private boolean autoselect;
    private Optional<String> uri = Optional.empty();

    private Builder(Type type, String groupId, String name) {
      this.type = type;
      this.groupId = groupId;
      this.name = name;
    }

    public Builder language(String language) {
      this.language = Optional.of(language);
      return this;
    }

    /** Sets DEFAULT; a default rendition is made AUTOSELECT too, as RFC 8216 §4.3.4.1 asks. */
    public Builder isDefault(boolean isDefault) {
      this.isDefault = isDefault;
      this.autoselect |= isDefault;
      return this;
    }

    public Builder autoselect(boolean autoselect) {
      this.autoselect = autoselect;
      return this;
    }

    public Builder uri(String uri) {
      this.uri = Optional.of(uri);
      return this;
    }

    public Rendition build() {
      return new Rendition(type, groupId, name, language, isDefault, autoselect, uri);
    }
  }
}
