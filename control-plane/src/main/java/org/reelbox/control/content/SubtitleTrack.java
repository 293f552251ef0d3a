package org.reelbox.control.content;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.internal.Fields;

/**
 * One subtitle track of a video: a WebVTT file in the blob store ({@code
 * hls/{video}/subs/{language}/0.vtt}) and its row in {@code video_subtitles} (V16).
 *
 * @param videoId the video
 * @param language see {@link #checkLanguage}
 * @param name what the player's menu shows, see {@link #checkName}
 * @param sizeBytes the WebVTT file's size
 * @param createdAt when the track was first uploaded
 * @param updatedAt when it was last replaced
 */
public record SubtitleTrack(
    VideoId videoId,
    String language,
    String name,
    long sizeBytes,
    Instant createdAt,
    Instant updatedAt) {
  /** The longest name, in UTF-16 characters (the column's size). */
  public static final int MAX_NAME_LENGTH = 64;

  public SubtitleTrack {
    requireNonNull(videoId, "videoId");
    checkLanguage(language);
    checkName(name);
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must be 0 or more, got " + sizeBytes);
    }
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * Checks a track's language: a lower-case tag as {@link PlaybackPath#SUBTITLE_LANGUAGE} ({@code
   * en}, {@code pt-br}), so that it is a path segment the origin and the edges accept and each
   * track has one URL.
   *
   * @return the language
   */
  public static String checkLanguage(String language) {
    requireNonNull(language, "language");
    if (!PlaybackPath.SUBTITLE_LANGUAGE.matcher(language).matches()) {
      throw new IllegalArgumentException(
          "language must be a language tag such as en or pt-br (2 or 3 letters, optionally '-' and"
              + " 2 to 8 letters or digits), got '"
              + (language.length() > 40 ? language.substring(0, 40) + "…" : language)
              + "'");
    }
    return language;
  }

  /**
   * Checks a track's name: non-blank single-line text of at most {@value #MAX_NAME_LENGTH}
   * characters. It goes into a quoted-string of the master playlist, where a double quote cannot be
   * written (RFC 8216 §4.2), so none is allowed.
   *
   * @return the name
   */
  public static String checkName(String name) {
    Fields.nonBlankText("name", name, MAX_NAME_LENGTH);
    if (name.indexOf('"') >= 0) {
      throw new IllegalArgumentException("name must not contain '\"', got '" + name + "'");
    }
    return name;
  }

  /**
   * The name of a track whose creator gave none: the language's English display name ({@code en} →
   * "English", {@code pt-br} → "Portuguese (Brazil)"), or the tag itself when Java knows no name
   * for it.
   */
  public static String defaultName(String language) {
    Locale locale = Locale.forLanguageTag(checkLanguage(language));
    String name = locale.getDisplayName(Locale.ENGLISH);
    if (name.isBlank() || name.equalsIgnoreCase(locale.getLanguage())) {
      return language;
    }
    return name.length() > MAX_NAME_LENGTH ? language : name;
  }
}
