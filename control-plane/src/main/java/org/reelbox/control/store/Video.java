package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.reelbox.control.store.internal.Fields;

/**
 * A video's metadata: what the control plane knows about one upload and its transcoding.
 *
 * @param id the public id
 * @param ownerId the creator who uploaded it
 * @param title see {@link #checkTitle}
 * @param description see {@link #checkDescription}; empty when there is none
 * @param language a BCP 47 tag such as {@code en} or {@code pt-BR}; null when unknown
 * @param state where the video is in its life
 * @param errorCode why it failed, such as {@code UNSUPPORTED_CONTAINER}: set exactly when {@code
 *     state} is {@link VideoState#FAILED}
 * @param sizeBytes the original's size; null until the upload completes
 * @param sha256 the original's SHA-256 in lower-case hex; null until the upload completes
 * @param durationMs the duration found by the pipeline; null until it has inspected the video
 * @param createdAt when the video was created
 * @param updatedAt when its metadata or state last changed
 */
public record Video(
    VideoId id,
    long ownerId,
    String title,
    String description,
    String language,
    VideoState state,
    String errorCode,
    Long sizeBytes,
    String sha256,
    Long durationMs,
    Instant createdAt,
    Instant updatedAt) {
  /** The longest title, in UTF-16 characters. */
  public static final int MAX_TITLE_LENGTH = 200;

  /** The longest description, in UTF-16 characters. */
  public static final int MAX_DESCRIPTION_LENGTH = 5000;

  public Video {
    requireNonNull(id, "id");
    Fields.id("ownerId", ownerId);
    checkTitle(title);
    checkDescription(description);
    Fields.language("language", language);
    requireNonNull(state, "state");
    Fields.errorCode("errorCode", errorCode);
    if ((state == VideoState.FAILED) != (errorCode != null)) {
      throw new IllegalArgumentException(
          "errorCode must be set exactly when the state is FAILED; state "
              + state
              + ", errorCode "
              + errorCode);
    }
    Fields.nonNegative("sizeBytes", sizeBytes);
    Fields.sha256("sha256", sha256);
    Fields.nonNegative("durationMs", durationMs);
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * Checks a title: non-blank single-line text (no control characters) of at most {@value
   * #MAX_TITLE_LENGTH} characters.
   *
   * @return the title
   */
  public static String checkTitle(String title) {
    return Fields.nonBlankText("title", title, MAX_TITLE_LENGTH);
  }

  /**
   * Checks a description: text of at most {@value #MAX_DESCRIPTION_LENGTH} characters, possibly
   * empty; line breaks and tabs are allowed, other control characters are not.
   *
   * @return the description
   */
  public static String checkDescription(String description) {
    return Fields.text("description", description, MAX_DESCRIPTION_LENGTH, true);
  }

  /**
   * Checks a language tag.
   *
   * @return the tag, or null for "unknown"
   */
  public static String checkLanguage(String language) {
    return Fields.language("language", language);
  }
}
