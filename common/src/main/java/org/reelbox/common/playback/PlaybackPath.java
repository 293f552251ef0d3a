package org.reelbox.common.playback;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.regex.Pattern;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;

/**
 * A parsed playback path: {@code [/t/{token}]/v/{videoId}/…}, and the blob key it maps to.
 *
 * <p>Parsing is a whitelist over the raw request target, before any decoding: the path is split on
 * {@code /} and every segment must match its exact pattern. Nothing is percent-decoded, so {@code
 * %2e%2e} and {@code %2f} are simply characters that no pattern allows; {@code ..}, {@code \},
 * empty segments ({@code //}) and absolute-form targets fail the same way. The blob key is then
 * built from the validated parts only, never from the request text, so no request can name an
 * object outside {@code hls/{id}/…} and {@code keys/{id}/…}. The query string is ignored: it never
 * reaches storage.
 *
 * <p>Routes ({@code id} is 11 base64url characters, {@code r} is {@code [a-z0-9]{1,16}} other than
 * {@code thumbs}, {@code keys} and {@code subs}, {@code l} is a subtitle language as {@link
 * #SUBTITLE_LANGUAGE}, {@code n} is 1 to 9 decimal digits, no leading zero, so each object has one
 * URL):
 *
 * <pre>
 * /v/{id}/master.m3u8          → hls/{id}/master.m3u8
 * /v/{id}/{r}/index.m3u8       → hls/{id}/{r}/index.m3u8
 * /v/{id}/{r}/iframes.m3u8     → hls/{id}/{r}/iframes.m3u8
 * /v/{id}/{r}/{n}.ts           → hls/{id}/{r}/{n}.ts
 * /v/{id}/thumbs/{n}.jpg       → hls/{id}/thumbs/{n}.jpg
 * /v/{id}/subs/{l}/index.m3u8  → hls/{id}/subs/{l}/index.m3u8
 * /v/{id}/subs/{l}/{n}.vtt     → hls/{id}/subs/{l}/{n}.vtt
 * /v/{id}/keys/{n}.key         → keys/{id}/{n}.key   (outside hls/: never public)
 * </pre>
 *
 * @param token the token of a {@code /t/{token}} prefix, or {@code null} when there is none
 * @param videoId the video id
 * @param kind what the path names
 * @param rendition the rendition, for media playlists and segments; the language, for subtitle
 *     playlists and subtitles; otherwise {@code null}
 * @param number the segment, thumbnail or key number; otherwise -1
 */
public record PlaybackPath(
    String token, String videoId, ObjectKind kind, String rendition, int number) {

  public static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{11}");
  public static final Pattern RENDITION = Pattern.compile("[a-z0-9]{1,16}");
  public static final Pattern NUMBER_FILE =
      Pattern.compile("(0|[1-9][0-9]{0,8})\\.(ts|jpg|key|vtt)");

  /**
   * A subtitle track's language: a lower-case language tag, the primary language and at most one
   * subtag ({@code en}, {@code pt-br}, {@code zh-hant}). Lower case so that each track has one URL.
   */
  public static final Pattern SUBTITLE_LANGUAGE = Pattern.compile("[a-z]{2,3}(-[a-z0-9]{2,8})?");

  /** The directory of the subtitle tracks below a video: {@code /v/{id}/subs/{lang}/…}. */
  public static final String SUBTITLES_DIR = "subs";

  /** Tokens are base64url parts joined by a dot ({@code Tokens}); the length bound is theirs. */
  public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.-]{1,2048}");

  /**
   * The one rendition of the origin's just-in-time packaging of an untranscoded original
   * (docs/streaming.md). No profile may name a transcoded rendition so (the control plane refuses
   * it), so a {@code src} URL can never name other bytes and its segments may be cached as
   * immutable.
   */
  public static final String JIT_RENDITION = "src";

  /** Names no transcoded rendition may have: words that paths use for something else. */
  public static final Set<String> RESERVED_RENDITIONS =
      Set.of(JIT_RENDITION, "thumbs", "keys", SUBTITLES_DIR);

  /** Longest request path looked at; longer ones are refused unread. */
  public static final int MAX_PATH_LENGTH = 2300;

  public PlaybackPath {
    requireNonNull(videoId, "videoId");
    requireNonNull(kind, "kind");
  }

  /** Whether this server claims a request target: it starts with {@code /v/} or {@code /t/}. */
  public static boolean isPlaybackTarget(String uri) {
    return uri.startsWith("/v/") || uri.startsWith("/t/");
  }

  /**
   * Parses a request target ({@link io.netty.handler.codec.http.HttpRequest#uri()}).
   *
   * @throws ApiException {@code BAD_REQUEST} (400) when a segment has characters or a form no route
   *     allows (traversal, encoding, empty segments); {@code NOT_FOUND} (404) when the path is well
   *     formed but names nothing served here
   */
  public static PlaybackPath parse(String uri) {
    requireNonNull(uri, "uri");
    int query = uri.indexOf('?');
    String path = query >= 0 ? uri.substring(0, query) : uri;
    if (path.length() > MAX_PATH_LENGTH) {
      throw badRequest();
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '/'
              || c == '.'
              || c == '_'
              || c == '-';
      if (!allowed) {
        throw badRequest(); // %, \, NUL, #, ;, spaces, non-ASCII…
      }
    }
    if (!path.startsWith("/")) {
      throw badRequest();
    }
    // split with limit -1 keeps trailing empty segments, so "/v/x/" and "//" are seen.
    String[] parts = path.substring(1).split("/", -1);
    for (String part : parts) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw badRequest();
      }
    }
    int i = 0;
    String token = null;
    if (parts[0].equals("t")) {
      if (parts.length < 2 || !TOKEN.matcher(parts[1]).matches()) {
        throw badRequest();
      }
      token = parts[1];
      i = 2;
    }
    if (parts.length - i < 3 || !parts[i].equals("v")) {
      throw notFound();
    }
    String videoId = parts[i + 1];
    if (!VIDEO_ID.matcher(videoId).matches()) {
      throw badRequest();
    }
    int rest = parts.length - (i + 2);
    String a = parts[i + 2];
    if (rest == 1) {
      if (a.equals("master.m3u8")) {
        return new PlaybackPath(token, videoId, ObjectKind.MASTER_PLAYLIST, null, -1);
      }
      throw notFound();
    }
    if (rest == 3 && a.equals(SUBTITLES_DIR)) {
      return subtitle(token, videoId, parts[i + 3], parts[i + 4]);
    }
    if (rest != 2 || a.equals(SUBTITLES_DIR)) {
      throw notFound();
    }
    String b = parts[i + 3];
    var file = NUMBER_FILE.matcher(b);
    if (a.equals("thumbs") || a.equals("keys")) {
      String ext = a.equals("thumbs") ? "jpg" : "key";
      if (!file.matches() || !file.group(2).equals(ext)) {
        throw notFound();
      }
      ObjectKind kind = a.equals("thumbs") ? ObjectKind.THUMBNAIL : ObjectKind.KEY;
      return new PlaybackPath(token, videoId, kind, null, Integer.parseInt(file.group(1)));
    }
    if (!RENDITION.matcher(a).matches()) {
      throw badRequest();
    }
    return switch (b) {
      case "index.m3u8" -> new PlaybackPath(token, videoId, ObjectKind.MEDIA_PLAYLIST, a, -1);
      case "iframes.m3u8" -> new PlaybackPath(token, videoId, ObjectKind.IFRAME_PLAYLIST, a, -1);
      default -> {
        if (!file.matches() || !file.group(2).equals("ts")) {
          throw notFound();
        }
        yield new PlaybackPath(
            token, videoId, ObjectKind.SEGMENT, a, Integer.parseInt(file.group(1)));
      }
    };
  }

  private static PlaybackPath subtitle(String token, String videoId, String language, String name) {
    if (!SUBTITLE_LANGUAGE.matcher(language).matches()) {
      throw badRequest();
    }
    if (name.equals("index.m3u8")) {
      return new PlaybackPath(token, videoId, ObjectKind.SUBTITLE_PLAYLIST, language, -1);
    }
    var file = NUMBER_FILE.matcher(name);
    if (!file.matches() || !file.group(2).equals("vtt")) {
      throw notFound();
    }
    return new PlaybackPath(
        token, videoId, ObjectKind.SUBTITLE, language, Integer.parseInt(file.group(1)));
  }

  /** The blob key this path is served from; built only from the validated parts. */
  public String blobKey() {
    String hls = "hls/" + videoId + "/";
    return switch (kind) {
      case MASTER_PLAYLIST -> hls + "master.m3u8";
      case MEDIA_PLAYLIST -> hls + rendition + "/index.m3u8";
      case IFRAME_PLAYLIST -> hls + rendition + "/iframes.m3u8";
      case SEGMENT -> hls + rendition + "/" + number + ".ts";
      case THUMBNAIL -> hls + "thumbs/" + number + ".jpg";
      case SUBTITLE_PLAYLIST -> hls + SUBTITLES_DIR + "/" + rendition + "/index.m3u8";
      case SUBTITLE -> hls + SUBTITLES_DIR + "/" + rendition + "/" + number + ".vtt";
      case KEY -> keyBlobKey(videoId, number);
    };
  }

  /**
   * The path below {@code /v/}, without any token: {@code {id}/master.m3u8}, {@code
   * {id}/{r}/{n}.ts}, {@code {id}/thumbs/{n}.jpg}, {@code {id}/keys/{n}.key}. Built from the
   * validated parts only. The edge uses it as its cache key (so all viewers share one copy whatever
   * their token) and as the path it asks the origin for ({@code /v/} + this).
   */
  public String relativePath() {
    String v = videoId + "/";
    return switch (kind) {
      case MASTER_PLAYLIST -> v + "master.m3u8";
      case MEDIA_PLAYLIST -> v + rendition + "/index.m3u8";
      case IFRAME_PLAYLIST -> v + rendition + "/iframes.m3u8";
      case SEGMENT -> v + rendition + "/" + number + ".ts";
      case THUMBNAIL -> v + "thumbs/" + number + ".jpg";
      case SUBTITLE_PLAYLIST -> v + SUBTITLES_DIR + "/" + rendition + "/index.m3u8";
      case SUBTITLE -> v + SUBTITLES_DIR + "/" + rendition + "/" + number + ".vtt";
      case KEY -> v + "keys/" + number + ".key";
    };
  }

  /** Where the AES-128 key {@code n} of a video is stored: {@code keys/{videoId}/{n}.key}. */
  public static String keyBlobKey(String videoId, int n) {
    return "keys/" + videoId + "/" + n + ".key";
  }

  @Override
  public String toString() {
    // Never the token: it is a bearer credential.
    return "PlaybackPath[" + (token == null ? "" : "t=<redacted>, ") + blobKey() + "]";
  }

  private static ApiException badRequest() {
    return new ApiException(ErrorCode.BAD_REQUEST, "malformed playback path");
  }

  private static ApiException notFound() {
    return new ApiException(ErrorCode.NOT_FOUND, "no such resource");
  }
}
