package org.reelbox.control.store;

import java.util.List;

/**
 * A change to a video's metadata, for {@link MetadataStore#updateVideoMetadata}: each field that is
 * null stays as it is, each other field replaces the stored value. The store writes the fields of
 * one patch together, so two patches that set different fields never undo each other (no
 * read-modify-write in the caller).
 *
 * <p>Start from {@link #NONE} and add fields with the {@code with…} methods.
 *
 * @param title a new title (see {@link Video#checkTitle}), or null
 * @param description a new description (see {@link Video#checkDescription}; empty clears it), or
 *     null
 * @param language a new language tag (see {@link Video#checkLanguage}), the empty string to make
 *     the language unknown again, or null
 * @param tags the new tags (see {@link Video#checkTags}; empty clears them), or null
 * @param visibility a new visibility, or null
 * @param planOptions new plan options (see {@link Video#checkPlanOptions}), or null; only the
 *     control plane sets them (a creator's thumbnail image uploaded after the video was created)
 */
public record VideoPatch(
    String title,
    String description,
    String language,
    List<String> tags,
    Visibility visibility,
    String planOptions) {
  /** The patch that changes nothing. */
  public static final VideoPatch NONE = new VideoPatch(null, null, null, null, null, null);

  public VideoPatch {
    if (title != null) {
      Video.checkTitle(title);
    }
    if (description != null) {
      Video.checkDescription(description);
    }
    if (language != null && !language.isEmpty()) {
      Video.checkLanguage(language);
    }
    if (tags != null) {
      tags = Video.checkTags(tags);
    }
    if (planOptions != null) {
      Video.checkPlanOptions(planOptions);
    }
  }

  /** A patch of the descriptive fields only. */
  public VideoPatch(String title, String description, String language, List<String> tags) {
    this(title, description, language, tags, null, null);
  }

  public VideoPatch withTitle(String newTitle) {
    return new VideoPatch(newTitle, description, language, tags, visibility, planOptions);
  }

  public VideoPatch withDescription(String newDescription) {
    return new VideoPatch(title, newDescription, language, tags, visibility, planOptions);
  }

  /** A patch that sets the language, or clears it when {@code newLanguage} is empty. */
  public VideoPatch withLanguage(String newLanguage) {
    return new VideoPatch(title, description, newLanguage, tags, visibility, planOptions);
  }

  public VideoPatch withTags(List<String> newTags) {
    return new VideoPatch(title, description, language, newTags, visibility, planOptions);
  }

  public VideoPatch withVisibility(Visibility newVisibility) {
    return new VideoPatch(title, description, language, tags, newVisibility, planOptions);
  }

  public VideoPatch withPlanOptions(String newPlanOptions) {
    return new VideoPatch(title, description, language, tags, visibility, newPlanOptions);
  }

  /** Whether the patch changes nothing. */
  public boolean isEmpty() {
    return title == null
        && description == null
        && language == null
        && tags == null
        && visibility == null
        && planOptions == null;
  }
}
