package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.reelbox.control.store.internal.Fields;

/**
 * What a creator supplies to create a video; the store adds the id, the state ({@link
 * VideoState#UPLOADING}) and the timestamps. Build one with {@link #builder}.
 *
 * @param ownerId the creator
 * @param title see {@link Video#checkTitle}; the client may start with the file name
 * @param description see {@link Video#checkDescription}; empty when there is none
 * @param language see {@link Video#checkLanguage}; null when unknown
 * @param tags see {@link Video#checkTags}; empty when there are none
 * @param filename see {@link Video#checkFilename}; null when unknown
 * @param contentType see {@link Video#checkContentType}; null when unknown
 * @param profile see {@link Video#checkProfile}
 * @param uploadExpiresAt when the upload token expires; null when none was handed out. Kept at
 *     microsecond precision, what the databases store: finer digits are truncated
 * @param planOptions see {@link Video#checkPlanOptions}
 * @param visibility who may watch it
 */
public record NewVideo(
    long ownerId,
    String title,
    String description,
    String language,
    List<String> tags,
    String filename,
    String contentType,
    String profile,
    Instant uploadExpiresAt,
    String planOptions,
    Visibility visibility) {
  public NewVideo {
    Fields.id("ownerId", ownerId);
    Video.checkTitle(title);
    Video.checkDescription(description);
    Video.checkLanguage(language);
    tags = Video.checkTags(tags);
    Video.checkFilename(filename);
    Video.checkContentType(contentType);
    Video.checkProfile(profile);
    if (uploadExpiresAt != null) {
      uploadExpiresAt = uploadExpiresAt.truncatedTo(ChronoUnit.MICROS);
    }
    Video.checkPlanOptions(planOptions);
    requireNonNull(visibility, "visibility");
  }

  /** A {@link Visibility#PRIVATE} video. */
  public NewVideo(
      long ownerId,
      String title,
      String description,
      String language,
      List<String> tags,
      String filename,
      String contentType,
      String profile,
      Instant uploadExpiresAt,
      String planOptions) {
    this(
        ownerId,
        title,
        description,
        language,
        tags,
        filename,
        contentType,
        profile,
        uploadExpiresAt,
        planOptions,
        Visibility.PRIVATE);
  }

  /** A video with a title, a description and a language, and every other field at its default. */
  public NewVideo(long ownerId, String title, String description, String language) {
    this(
        ownerId,
        title,
        description,
        language,
        List.of(),
        null,
        null,
        Video.DEFAULT_PROFILE,
        null,
        Video.NO_PLAN_OPTIONS);
  }

  /** A video with only a title. */
  public static NewVideo titled(long ownerId, String title) {
    return new NewVideo(ownerId, title, "", null);
  }

  /**
   * A builder. Defaults: empty description, no language, no tags, no file name, no content type,
   * profile {@value Video#DEFAULT_PROFILE}, no upload expiry, no plan options, {@link
   * Visibility#PRIVATE}.
   */
  public static Builder builder(long ownerId, String title) {
    return new Builder(ownerId, title);
  }

  /** Builds a {@link NewVideo}; {@link #build} checks every field. */
  public static final class Builder {
    private final long ownerId;
    private final String title;
    private String description = "";
    private String language;
    private List<String> tags = List.of();
    private String filename;
    private String contentType;
    private String profile = Video.DEFAULT_PROFILE;
    private Instant uploadExpiresAt;
    private String planOptions = Video.NO_PLAN_OPTIONS;
    private Visibility visibility = Visibility.PRIVATE;

    private Builder(long ownerId, String title) {
      this.ownerId = ownerId;
      this.title = title;
    }

    public Builder description(String description) {
      this.description = requireNonNull(description, "description");
      return this;
    }

    public Builder language(String language) {
      this.language = language;
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags = requireNonNull(tags, "tags");
      return this;
    }

    public Builder filename(String filename) {
      this.filename = filename;
      return this;
    }

    public Builder contentType(String contentType) {
      this.contentType = contentType;
      return this;
    }

    public Builder profile(String profile) {
      this.profile = requireNonNull(profile, "profile");
      return this;
    }

    public Builder uploadExpiresAt(Instant uploadExpiresAt) {
      this.uploadExpiresAt = uploadExpiresAt;
      return this;
    }

    public Builder planOptions(String planOptions) {
      this.planOptions = requireNonNull(planOptions, "planOptions");
      return this;
    }

    public Builder visibility(Visibility visibility) {
      this.visibility = requireNonNull(visibility, "visibility");
      return this;
    }

    public NewVideo build() {
      return new NewVideo(
          ownerId,
          title,
          description,
          language,
          tags,
          filename,
          contentType,
          profile,
          uploadExpiresAt,
          planOptions,
          visibility);
    }
  }
}
