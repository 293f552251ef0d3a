package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;
import org.reelbox.control.pipeline.OptionsException;
import org.reelbox.control.pipeline.PlanOptions;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoPatch;
import org.reelbox.control.store.VideoState;
import org.reelbox.control.store.Visibility;
import org.reelbox.control.work.JobProgress;
import org.reelbox.control.work.PlanOptionsJson;
import org.reelbox.control.work.ProfileCatalog;
import org.reelbox.control.work.ResourceManager;

/**
 * {@code /api/v1/videos}: create a video and get its upload URL, read it, patch its metadata
 * (docs/upload.md §1 and §4). Behind {@link ApiKeyAuth}.
 *
 * <p>Who sees what ({@link #readableVideo}, {@link #ownedVideo}): a {@code PRIVATE} video is
 * visible to its owner and to admins only; an {@code UNLISTED} or {@code PUBLIC} one may be read
 * and played by any signed-in user, without the fields that only its owner needs (file name,
 * checksum, upload expiry, plan options, progress). Changing a video stays its owner's and the
 * admins' whatever its visibility. To anyone who may not see it a video does not exist (404, the
 * same answer as for an unknown or malformed id), so ids cannot be probed.
 */
public final class VideosApi {
  /** The largest video, in bytes: 1 GiB (DESIGN.md; ingest's {@code Tus-Max-Size}). */
  public static final long MAX_VIDEO_BYTES = 1L << 30;

  private static final Set<String> CREATE_FIELDS =
      Set.of(
          "filename",
          "size",
          "contentType",
          "title",
          "description",
          "language",
          "tags",
          "profile",
          "renditions",
          "watermark",
          "thumbnailImage",
          "visibility");
  private static final Set<String> PATCH_FIELDS =
      Set.of("title", "description", "language", "tags", "visibility");

  // video/ and an RFC 6838 §4.2 restricted-name, after parameters are dropped and case folded.
  private static final Pattern VIDEO_MEDIA_TYPE =
      Pattern.compile("video/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

  private final MetadataStore store;
  private final Tokens tokens;
  private final String ingestUrl;
  private final Duration uploadTokenTtl;
  private final Clock clock;
  private final ProfileCatalog profiles;
  private final ResourceManager work;
  private final String originUrl;

  /**
   * @param store the (notifying) metadata store
   * @param tokens signs upload tokens
   * @param ingestUrl ingest's public base URL, without a trailing slash
   * @param uploadTokenTtl how long an upload token lives
   * @param clock the time tokens expire from
   * @param profiles the pipeline profiles a creator may pick, and the planner that checks options
   * @param work the resource manager, for a video's progress
   * @param originUrl the origin's public base URL, without a trailing slash
   */
  public VideosApi(
      MetadataStore store,
      Tokens tokens,
      String ingestUrl,
      Duration uploadTokenTtl,
      Clock clock,
      ProfileCatalog profiles,
      ResourceManager work,
      String originUrl) {
    this.profiles = requireNonNull(profiles, "profiles");
    this.work = requireNonNull(work, "work");
    this.originUrl = requireNonNull(originUrl, "originUrl");
    this.store = requireNonNull(store, "store");
    this.tokens = requireNonNull(tokens, "tokens");
    this.ingestUrl = requireNonNull(ingestUrl, "ingestUrl");
    this.uploadTokenTtl = requireNonNull(uploadTokenTtl, "uploadTokenTtl");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Mounts the routes; the router must already authenticate {@code /api/*}. */
  public void mount(Router router) {
    router.post("/api/v1/videos").handler(this::create);
    router.get("/api/v1/videos/:id").handler(this::get);
    router.patch("/api/v1/videos/:id").handler(this::patch);
  }

  // ---- POST /api/v1/videos

  private void create(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    if (user.role() == UserRole.VIEWER) {
      throw new ApiException(ErrorCode.FORBIDDEN, "viewers cannot upload videos");
    }
    JsonBody body = JsonBody.of(ctx).allowOnly(CREATE_FIELDS);
    String filename = check(() -> Video.checkFilename(body.requiredString("filename")));
    long size = checkSize(body.requiredInteger("size"));
    String contentType = videoContentType(body.requiredString("contentType"));
    String title = body.optionalString("title").orElseGet(() -> titleFrom(filename));
    Instant expiresAt = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(uploadTokenTtl);
    NewVideo.Builder builder =
        NewVideo.builder(user.id(), title)
            .filename(filename)
            .contentType(contentType)
            .uploadExpiresAt(expiresAt);
    body.optionalString("description").ifPresent(builder::description);
    body.clearableString("language").filter(l -> !l.isEmpty()).ifPresent(builder::language);
    body.optionalStringList("tags").ifPresent(builder::tags);
    body.optionalString("visibility").map(VideosApi::visibility).ifPresent(builder::visibility);
    String profile = body.optionalString("profile").orElse(Video.DEFAULT_PROFILE);
    builder.profile(profile);
    PlanOptions options = PlanOptions.defaults();
    Optional<List<String>> renditions = body.optionalStringList("renditions");
    if (renditions.isPresent()) {
      options = options.withRenditions(renditions.get());
    }
    Optional<Boolean> watermark = body.optionalBoolean("watermark");
    if (watermark.isPresent()) {
      options = options.withWatermark(watermark.get());
    }
    Optional<String> thumbnailImage = body.optionalString("thumbnailImage");
    if (thumbnailImage.isPresent()) {
      options = options.withThumbnailImage(thumbnailImage.get());
    }
    try {
      // Planned now so that a bad choice is the creator's 400, not a failed job after the upload.
      profiles.plan(profile, options);
    } catch (OptionsException e) {
      throw e.toApiException();
    }
    builder.planOptions(PlanOptionsJson.write(options));
    NewVideo newVideo = check(builder::build);

    ApiSupport.blocking(ctx, () -> store.createVideo(newVideo))
        .onFailure(ctx::fail)
        .onSuccess(
            video -> {
              // The token names the video, so it is signed once the id exists.
              String token =
                  tokens.sign(
                      TokenClaims.unsigned(
                          video.id().value(),
                          TokenScope.UPLOAD,
                          Long.toString(user.id()),
                          size,
                          expiresAt));
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("id", video.id().value());
              answer.put("uploadUrl", ingestUrl + "/t/" + token + "/files/");
              answer.put("expiresAt", expiresAt);
              answer.put("state", video.state().name());
              ctx.response().putHeader(HttpHeaders.LOCATION, "/api/v1/videos/" + video.id());
              ApiSupport.sendJson(ctx, 201, answer);
            });
  }

  private static long checkSize(BigInteger size) {
    if (size.signum() <= 0) {
      throw JsonBody.invalid("size must be at least 1 byte, got " + size);
    }
    if (size.compareTo(BigInteger.valueOf(MAX_VIDEO_BYTES)) > 0) {
      throw new ApiException(
          ErrorCode.VIDEO_TOO_LARGE,
          "a video may be at most " + MAX_VIDEO_BYTES + " bytes (1 GiB), got " + size);
    }
    return size.longValue();
  }

  /**
   * The declared content type, normalised: parameters dropped, lower case. Anything but a {@code
   * video/*} type is 415.
   */
  static String videoContentType(String declared) {
    int semicolon = declared.indexOf(';');
    String type =
        (semicolon < 0 ? declared : declared.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    if (!VIDEO_MEDIA_TYPE.matcher(type).matches()) {
      throw new ApiException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "contentType must be a video/* media type such as video/mp4, got '"
              + (declared.length() > 80 ? declared.substring(0, 80) + "…" : declared)
              + "'");
    }
    return type;
  }

  /**
   * The default title: the file name without its extension ("cat.mp4" → "cat"), cut to the longest
   * title; the whole file name when that leaves nothing ("…mp4", ".mp4").
   */
  static String titleFrom(String filename) {
    int dot = filename.lastIndexOf('.');
    String stem = dot > 0 ? filename.substring(0, dot) : filename;
    if (stem.isBlank()) {
      stem = filename;
    }
    if (stem.length() > Video.MAX_TITLE_LENGTH) {
      int end = Video.MAX_TITLE_LENGTH;
      // Never cut a surrogate pair in two: the half would be refused as text.
      if (Character.isHighSurrogate(stem.charAt(end - 1))) {
        end--;
      }
      stem = stem.substring(0, end);
    }
    return stem;
  }

  // ---- GET /api/v1/videos/{id}

  private void get(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    VideoId id = videoId(ctx);
    ApiSupport.blocking(
            ctx,
            () -> {
              Video video = readableVideo(store, user, id);
              Map<String, Object> json = toJson(video, user);
              Optional<JobProgress> progress = work.progress(id);
              json.put(
                  "progress",
                  isOwnerOrAdmin(video, user)
                      ? progress.map(VideosApi::progressJson).orElse(null)
                      : null);
              List<String> early = earlyRenditions(video, progress);
              boolean ready = video.state() == VideoState.READY;
              json.put("playable", playable(video, early));
              Map<String, Object> playback = null;
              if (ready) {
                playback = playbackJson(video, originUrl);
              } else if (!early.isEmpty()) {
                playback = playbackJson(video, originUrl);
                playback.put("renditions", early);
              }
              json.put("playback", playback);
              return json;
            })
        .onFailure(ctx::fail)
        .onSuccess(json -> ApiSupport.sendJson(ctx, 200, json));
  }

  /**
   * Progressive publishing (docs/transcoding.md §10): the renditions an early package has published
   * while the others are still being encoded; empty unless the video is PROCESSING.
   */
  static List<String> earlyRenditions(Video video, Optional<JobProgress> progress) {
    return video.state() == VideoState.PROCESSING
        ? progress.map(JobProgress::publishedRenditions).orElse(List.of())
        : List.of();
  }

  /** Whether a master playlist of transcoded HLS is published: READY, or an early package. */
  static boolean playable(Video video, List<String> earlyRenditions) {
    return video.state() == VideoState.READY || !earlyRenditions.isEmpty();
  }

  private static Map<String, Object> progressJson(JobProgress progress) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("tasksDone", progress.tasksDone());
    json.put("tasksRunning", progress.tasksRunning());
    json.put("tasksTotal", progress.tasksTotal());
    return json;
  }

  /** Where a READY video plays from: the master playlist, relative to the origin, and in full. */
  static Map<String, Object> playbackJson(Video video, String originUrl) {
    String path = "/v/" + video.id().value() + "/master.m3u8";
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("masterPath", path);
    json.put("masterUrl", originUrl + path);
    return json;
  }

  // ---- PATCH /api/v1/videos/{id}

  private void patch(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    VideoId id = videoId(ctx);
    JsonBody body = JsonBody.of(ctx).allowOnly(PATCH_FIELDS);
    if (body.isEmpty()) {
      throw JsonBody.invalid("nothing to change: give at least one of " + PATCH_FIELDS);
    }
    VideoPatch patch =
        check(
            () -> {
              VideoPatch p = VideoPatch.NONE;
              p = p.withTitle(body.optionalString("title").orElse(null));
              p = p.withDescription(body.optionalString("description").orElse(null));
              // null or "" makes the language unknown again.
              p = p.withLanguage(body.clearableString("language").orElse(null));
              p =
                  p.withVisibility(
                      body.optionalString("visibility").map(VideosApi::visibility).orElse(null));
              return p.withTags(body.optionalStringList("tags").orElse(null));
            });
    ApiSupport.blocking(
            ctx,
            () -> {
              ownedVideo(store, user, id);
              // Found a moment ago: empty now only if it was deleted in between.
              return store.updateVideoMetadata(id, patch).orElseThrow(VideosApi::notFound);
            })
        .onFailure(ctx::fail)
        .onSuccess(video -> ApiSupport.sendJson(ctx, 200, toJson(video)));
  }

  // ---- shared with the event stream

  /** The {@code :id} path parameter; a malformed id is 404, like an unknown one. */
  static VideoId videoId(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    if (!VideoId.isValid(raw)) {
      throw notFound();
    }
    return VideoId.of(raw);
  }

  /**
   * The video if {@code user} may read and play it: its owner, an admin, or anyone signed in when
   * it is {@code UNLISTED} or {@code PUBLIC}. Blocking (reads the store).
   *
   * @throws ApiException 404 if there is no such video or the user may not see it
   */
  /**
   * The video if anyone, signed in or not, may watch it: public or unlisted (a smart TV opening
   * {@code /play/{id}.m3u8}). Blocking.
   *
   * @throws ApiException 404 otherwise, as for a video that does not exist
   */
  static Video watchableByAnyone(MetadataStore store, VideoId id) {
    Optional<Video> video = store.findVideo(id);
    if (video.isEmpty() || !video.get().visibility().readableByOthers()) {
      throw notFound();
    }
    return video.get();
  }

  static Video readableVideo(MetadataStore store, User user, VideoId id) {
    Optional<Video> video = store.findVideo(id);
    if (video.isEmpty()
        || !(isOwnerOrAdmin(video.get(), user) || video.get().visibility().readableByOthers())) {
      throw notFound();
    }
    return video.get();
  }

  /**
   * The video if {@code user} may change it (and see its job): its owner or an admin, whatever its
   * visibility. Blocking (reads the store).
   *
   * @throws ApiException 404 if there is no such video or the user may not see it; 403 {@code
   *     FORBIDDEN} if the user may read it (it is not private) but not change it
   */
  static Video ownedVideo(MetadataStore store, User user, VideoId id) {
    Video video = readableVideo(store, user, id);
    if (!isOwnerOrAdmin(video, user)) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only the video's owner or an admin may do this");
    }
    return video;
  }

  static boolean isOwnerOrAdmin(Video video, User user) {
    return video.ownerId() == user.id() || user.role() == UserRole.ADMIN;
  }

  /** A visibility named in a request body; anything else is 400 {@code VALIDATION_FAILED}. */
  static Visibility visibility(String name) {
    return Visibility.parse(name)
        .orElseThrow(
            () ->
                JsonBody.invalid(
                    "visibility must be one of PRIVATE, UNLISTED, PUBLIC, got '"
                        + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                        + "'"));
  }

  static ApiException notFound() {
    return new ApiException(ErrorCode.NOT_FOUND, "no such video");
  }

  /**
   * A video as the API shows it to {@code viewer}: in full to its owner and admins; to anyone else
   * without what only the owner needs (file name, content type, size, checksum, upload expiry, plan
   * options and the error message), those keys present as {@code null}.
   */
  static Map<String, Object> toJson(Video video, User viewer) {
    Map<String, Object> json = toJson(video);
    if (!isOwnerOrAdmin(video, viewer)) {
      for (String key :
          List.of(
              "filename",
              "contentType",
              "sizeBytes",
              "sha256",
              "uploadExpiresAt",
              "planOptions",
              "error")) {
        json.put(key, null);
      }
    }
    return json;
  }

  /** A video as the API shows it; every field is present, unknown ones as {@code null}. */
  static Map<String, Object> toJson(Video video) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", video.id().value());
    json.put("ownerId", video.ownerId());
    json.put("state", video.state().name());
    json.put("errorCode", video.errorCode());
    json.put(
        "error",
        video.errorCode() == null ? null : errorJson(video.errorCode(), video.errorMessage()));
    json.put("title", video.title());
    json.put("description", video.description());
    json.put("language", video.language());
    json.put("tags", video.tags());
    json.put("visibility", video.visibility().name());
    json.put("filename", video.filename());
    json.put("contentType", video.contentType());
    json.put("profile", video.profile());
    json.put("planOptions", planOptionsJson(video.planOptions()));
    json.put("sizeBytes", video.sizeBytes());
    json.put("sha256", video.sha256());
    json.put("durationMs", video.durationMs());
    json.put("uploadExpiresAt", video.uploadExpiresAt());
    json.put("createdAt", video.createdAt());
    json.put("updatedAt", video.updatedAt());
    return json;
  }

  private static Object planOptionsJson(String stored) {
    try {
      return org.reelbox.common.json.Json.mapper().readTree(stored);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static Map<String, Object> errorJson(String code, String message) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("code", code);
    json.put("message", message);
    return json;
  }

  /** Runs a value check; its {@link IllegalArgumentException} is the client's 400. */
  private static <T> T check(java.util.function.Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw JsonBody.invalid(e.getMessage());
    }
  }
}
