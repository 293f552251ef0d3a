package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.reelbox.control.store.internal.Fields;

/**
 * A video's metadata: what the control plane knows about one upload and its transcoding.
 *
 * @param id the public id
 * @param ownerId the creator who uploaded it
 * @param title see {@link #checkTitle}
 * @param description see {@link #checkDescription}; empty when there is none
 * @param language a BCP 47 tag such as {@code en} or {@code pt-BR}; null when unknown
 * @param tags see {@link #checkTags}; empty when there are none
 * @param state where the video is in its life
 * @param errorCode why it failed, such as {@code UNSUPPORTED_CONTAINER}: set exactly when {@code
 *     state} is {@link VideoState#FAILED}
 * @param filename the file name the client declared, see {@link #checkFilename}; null when not
 *     known (videos created before file names were recorded)
 * @param contentType the declared media type, see {@link #checkContentType}; null when not known
 * @param profile the pipeline profile, see {@link #checkProfile}
 * @param sizeBytes the original's size; null until the upload completes
 * @param sha256 the original's SHA-256 in lower-case hex; null until the upload completes
 * @param durationMs the duration found by the pipeline; null until it has inspected the video
 * @param uploadExpiresAt when the upload token handed out with the video expires; null when none
 *     was handed out
 * @param createdAt when the video was created
 * @param updatedAt when its metadata or state last changed
 * @param planOptions the creator's plan options as a JSON object ({@code {}}: none), see {@link
 *     #checkPlanOptions}
 * @param errorMessage for people: why it failed; null unless {@code state} is {@link
 *     VideoState#FAILED} (and may be null then)
 * @param visibility who may watch it besides its owner and admins
 */
public record Video(
    VideoId id,
    long ownerId,
    String title,
    String description,
    String language,
    List<String> tags,
    VideoState state,
    String errorCode,
    String filename,
    String contentType,
    String profile,
    Long sizeBytes,
    String sha256,
    Long durationMs,
    Instant uploadExpiresAt,
    Instant createdAt,
    Instant updatedAt,
    String planOptions,
    String errorMessage,
    Visibility visibility) {
  /** The longest title, in UTF-16 characters. */
  public static final int MAX_TITLE_LENGTH = 200;

  /** The longest description, in UTF-16 characters. */
  public static final int MAX_DESCRIPTION_LENGTH = 5000;

  /** The most tags a video may have. */
  public static final int MAX_TAGS = 20;

  /** The longest tag, in UTF-16 characters. */
  public static final int MAX_TAG_LENGTH = 40;

  /** The longest file name, in UTF-16 characters (what most file systems allow, in bytes). */
  public static final int MAX_FILENAME_LENGTH = 255;

  /** The profile of a video whose creator named none. */
  public static final String DEFAULT_PROFILE = "default";

  /** The longest plan options JSON, in characters (the column's size). */
  public static final int MAX_PLAN_OPTIONS_LENGTH = 4000;

  /** The longest error message, in characters. */
  public static final int MAX_ERROR_MESSAGE_LENGTH = 1000;

  /** The plan options of a video whose creator set none. */
  public static final String NO_PLAN_OPTIONS = "{}";

  private static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  public Video {
    requireNonNull(id, "id");
    Fields.id("ownerId", ownerId);
    checkTitle(title);
    checkDescription(description);
    Fields.language("language", language);
    tags = checkTags(tags);
    requireNonNull(state, "state");
    Fields.errorCode("errorCode", errorCode);
    if ((state == VideoState.FAILED) != (errorCode != null)) {
      throw new IllegalArgumentException(
          "errorCode must be set exactly when the state is FAILED; state "
              + state
              + ", errorCode "
              + errorCode);
    }
    checkFilename(filename);
    checkContentType(contentType);
    checkProfile(profile);
    Fields.nonNegative("sizeBytes", sizeBytes);
    Fields.sha256("sha256", sha256);
    Fields.nonNegative("durationMs", durationMs);
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
    checkPlanOptions(planOptions);
    if (errorMessage != null && state != VideoState.FAILED) {
      throw new IllegalArgumentException("errorMessage is only for a FAILED video; state " + state);
    }
    errorMessage = clipMessage(errorMessage);
    requireNonNull(visibility, "visibility");
  }

  /** A {@link Visibility#PRIVATE} video (the fields before V16). */
  public Video(
      VideoId id,
      long ownerId,
      String title,
      String description,
      String language,
      List<String> tags,
      VideoState state,
      String errorCode,
      String filename,
      String contentType,
      String profile,
      Long sizeBytes,
      String sha256,
      Long durationMs,
      Instant uploadExpiresAt,
      Instant createdAt,
      Instant updatedAt,
      String planOptions,
      String errorMessage) {
    this(
        id,
        ownerId,
        title,
        description,
        language,
        tags,
        state,
        errorCode,
        filename,
        contentType,
        profile,
        sizeBytes,
        sha256,
        durationMs,
        uploadExpiresAt,
        createdAt,
        updatedAt,
        planOptions,
        errorMessage,
        Visibility.PRIVATE);
  }

  /** A video without plan options or error message (the fields before the resource manager). */
  public Video(
      VideoId id,
      long ownerId,
      String title,
      String description,
      String language,
      List<String> tags,
      VideoState state,
      String errorCode,
      String filename,
      String contentType,
      String profile,
      Long sizeBytes,
      String sha256,
      Long durationMs,
      Instant uploadExpiresAt,
      Instant createdAt,
      Instant updatedAt) {
    this(
        id,
        ownerId,
        title,
        description,
        language,
        tags,
        state,
        errorCode,
        filename,
        contentType,
        profile,
        sizeBytes,
        sha256,
        durationMs,
        uploadExpiresAt,
        createdAt,
        updatedAt,
        NO_PLAN_OPTIONS,
        null);
  }

  /**
   * Checks plan options: a JSON object as text ({@code {}} for none) of at most {@value
   * #MAX_PLAN_OPTIONS_LENGTH} characters. What is inside is the planner's business.
   *
   * @return the options
   */
  public static String checkPlanOptions(String planOptions) {
    requireNonNull(planOptions, "planOptions");
    String t = planOptions.trim();
    if (!t.startsWith("{") || !t.endsWith("}") || planOptions.length() > MAX_PLAN_OPTIONS_LENGTH) {
      throw new IllegalArgumentException(
          "planOptions must be a JSON object of at most "
              + MAX_PLAN_OPTIONS_LENGTH
              + " characters, got '"
              + shorten(planOptions)
              + "'");
    }
    return planOptions;
  }

  /** An error message cut to {@value #MAX_ERROR_MESSAGE_LENGTH} characters; null stays null. */
  public static String clipMessage(String message) {
    if (message == null || message.length() <= MAX_ERROR_MESSAGE_LENGTH) {
      return message;
    }
    int end = MAX_ERROR_MESSAGE_LENGTH - 1;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end) + "…";
  }

  /** This video with the metadata a {@link VideoPatch} sets, changed at {@code now}. */
  public Video patched(VideoPatch patch, Instant now) {
    requireNonNull(patch, "patch");
    requireNonNull(now, "now");
    return new Video(
        id,
        ownerId,
        patch.title() != null ? patch.title() : title,
        patch.description() != null ? patch.description() : description,
        patch.language() == null ? language : patch.language().isEmpty() ? null : patch.language(),
        patch.tags() != null ? patch.tags() : tags,
        state,
        errorCode,
        filename,
        contentType,
        profile,
        sizeBytes,
        sha256,
        durationMs,
        uploadExpiresAt,
        createdAt,
        now,
        patch.planOptions() != null ? patch.planOptions() : planOptions,
        errorMessage,
        patch.visibility() != null ? patch.visibility() : visibility);
  }

  /** This video after {@code transition} applied at {@code now}: its state and its details. */
  public Video transitioned(VideoTransition transition, Instant now) {
    requireNonNull(transition, "transition");
    requireNonNull(now, "now");
    return new Video(
        id,
        ownerId,
        title,
        description,
        language,
        tags,
        transition.to(),
        transition.errorCode(),
        filename,
        contentType,
        profile,
        transition.sizeBytes() != null ? transition.sizeBytes() : sizeBytes,
        transition.sha256() != null ? transition.sha256() : sha256,
        transition.durationMs() != null ? transition.durationMs() : durationMs,
        uploadExpiresAt,
        createdAt,
        now,
        planOptions,
        transition.errorMessage(),
        visibility);
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

  /**
   * Checks tags: at most {@value #MAX_TAGS}, each non-blank single-line text of at most {@value
   * #MAX_TAG_LENGTH} characters, no two equal. Their order is kept.
   *
   * @return an immutable copy of the tags
   */
  public static List<String> checkTags(List<String> tags) {
    requireNonNull(tags, "tags");
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException(
          "tags must be at most " + MAX_TAGS + ", got " + tags.size());
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      String tag = Fields.nonBlankText("tags[" + i + "]", tags.get(i), MAX_TAG_LENGTH);
      if (!seen.add(tag)) {
        throw new IllegalArgumentException("tags[" + i + "] repeats the tag '" + tag + "'");
      }
    }
    return List.copyOf(tags);
  }

  /**
   * Checks a file name: non-blank single-line text of at most {@value #MAX_FILENAME_LENGTH}
   * characters with no {@code /} or {@code \}: the name of a file, not its path.
   *
   * @return the file name, or null for "unknown"
   */
  public static String checkFilename(String filename) {
    if (filename == null) {
      return null;
    }
    Fields.nonBlankText("filename", filename, MAX_FILENAME_LENGTH);
    if (filename.indexOf('/') >= 0 || filename.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(
          "filename must be a file name without '/' or '\\', got '" + shorten(filename) + "'");
    }
    return filename;
  }

  /**
   * Checks a content type: a lower-case media type without parameters, such as {@code video/mp4}.
   *
   * @return the content type, or null for "unknown"
   */
  public static String checkContentType(String contentType) {
    return Fields.mediaType("contentType", contentType);
  }

  /**
   * Checks a profile name: 1 to 64 lower-case letters, digits, {@code _} or {@code -}, starting
   * with a letter or digit (it names {@code conf/pipelines/{profile}.yaml}).
   *
   * @return the profile
   */
  public static String checkProfile(String profile) {
    requireNonNull(profile, "profile");
    if (!PROFILE.matcher(profile).matches()) {
      throw new IllegalArgumentException(
          "profile must be 1 to 64 lower-case letters, digits, '_' or '-', starting with a letter"
              + " or digit; got '"
              + shorten(profile)
              + "'");
    }
    return profile;
  }

  private static String shorten(String value) {
    return value.length() > 80 ? value.substring(0, 80) + "…" : value;
  }
}
