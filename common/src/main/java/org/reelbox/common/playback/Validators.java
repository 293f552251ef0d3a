package org.reelbox.common.playback;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.reelbox.common.storage.BlobInfo;

/**
 * The validators of a stored object (RFC 9110 §8.8) and the conditional-request checks on them.
 *
 * <p>The {@code ETag} is strong and made from the object's size and modification time: {@code
 * "<size hex>-<mtime millis hex>"}. Objects are immutable once written and are only ever replaced
 * whole by an atomic rename (file store) or PUT (S3), which changes the modification time, so two
 * different contents never share a tag. It costs nothing to compute, unlike a content hash, which
 * would mean reading the whole object (or storing the hash beside it) before the first byte.
 * Origins that share one S3 bucket compute the same tags; origins with separate file stores may not
 * (an edge then just re-fetches).
 */
public final class Validators {
  private Validators() {}

  /** The strong entity tag of an object, quoted. */
  public static String etag(BlobInfo info) {
    return "\""
        + Long.toHexString(info.sizeBytes())
        + "-"
        + Long.toHexString(info.lastModified().toEpochMilli())
        + "\"";
  }

  /** The {@code Last-Modified} value: an IMF-fixdate, whole seconds. */
  public static String httpDate(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
  }

  /**
   * Whether a GET or HEAD is answered 304 (RFC 9110 §13.2.2): {@code If-None-Match} when present
   * (weak comparison, §13.1.2), else {@code If-Modified-Since}.
   */
  public static boolean notModified(
      String ifNoneMatch, String ifModifiedSince, String etag, Instant lastModified) {
    if (ifNoneMatch != null) {
      return noneMatchHits(ifNoneMatch, etag);
    }
    if (ifModifiedSince != null) {
      Instant since = parseHttpDate(ifModifiedSince);
      // An invalid date is ignored (§13.1.3).
      return since != null && !lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
    }
    return false;
  }

  /**
   * Whether {@code If-Range} (§13.1.5) lets a Range apply: absent, the same strong tag, or exactly
   * the {@code Last-Modified} date.
   */
  public static boolean ifRangeHolds(String ifRange, String etag, Instant lastModified) {
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.trim();
    if (v.startsWith("\"") || v.startsWith("W/")) {
      return v.equals(etag); // strong comparison: a weak tag never matches
    }
    Instant date = parseHttpDate(v);
    return date != null && date.equals(lastModified.truncatedTo(ChronoUnit.SECONDS));
  }

  private static boolean noneMatchHits(String header, String etag) {
    String opaque = stripWeak(etag);
    for (String candidate : header.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || stripWeak(c).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  private static String stripWeak(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  private static Instant parseHttpDate(String value) {
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
