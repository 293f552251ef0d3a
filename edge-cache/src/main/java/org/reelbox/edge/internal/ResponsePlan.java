package org.reelbox.edge.internal;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import org.reelbox.common.playback.ByteRange;
import org.reelbox.common.playback.PlaybackCors;
import org.reelbox.common.playback.Validators;

/**
 * What to answer for one object, decided from the request and the object's size and validators,
 * exactly as the origin decides: 304 (If-None-Match, else If-Modified-Since), 416, 206 for one
 * satisfiable range (If-Range permitting, GET only), else 200. Hits and misses both use it; a miss
 * decides as soon as the origin's headers are in, before the body.
 *
 * @param status the status to answer
 * @param headers the response headers (CORS, validators, Cache-Control, framing)
 * @param offset the first body byte to send
 * @param length the number of body bytes to send; 0 when there is no body (HEAD, 304)
 * @param unsatisfiable when true, answer 416 with {@code Content-Range: bytes *}{@code /size}
 */
record ResponsePlan(
    HttpResponseStatus status,
    HttpHeaders headers,
    long offset,
    long length,
    boolean unsatisfiable,
    long size) {

  static ResponsePlan decide(
      HttpRequest request,
      long size,
      String contentType,
      String etag,
      Instant lastModified,
      String lastModifiedText,
      String cacheControl,
      String cacheStatus) {
    HttpHeaders rh = new DefaultHttpHeaders(false);
    PlaybackCors.addTo(rh);
    if (etag != null) {
      rh.set(HttpHeaderNames.ETAG, etag);
    }
    if (lastModifiedText != null) {
      rh.set(HttpHeaderNames.LAST_MODIFIED, lastModifiedText);
    }
    rh.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
    rh.set("X-Cache", cacheStatus);
    HttpHeaders h = request.headers();
    if (notModified(
        h.get(HttpHeaderNames.IF_NONE_MATCH),
        h.get(HttpHeaderNames.IF_MODIFIED_SINCE),
        etag,
        lastModified)) {
      return new ResponsePlan(HttpResponseStatus.NOT_MODIFIED, rh, 0, 0, false, size);
    }
    rh.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    rh.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    // RFC 9110 §14.2: Range applies to GET only.
    boolean get = request.method().equals(HttpMethod.GET);
    String range =
        get && ifRangeHolds(h.get(HttpHeaderNames.IF_RANGE), etag, lastModified)
            ? h.get(HttpHeaderNames.RANGE)
            : null;
    ByteRange.Request wanted = ByteRange.parse(range, size);
    if (wanted instanceof ByteRange.Unsatisfiable) {
      return new ResponsePlan(
          HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, rh, 0, 0, true, size);
    }
    HttpResponseStatus status = HttpResponseStatus.OK;
    long offset = 0;
    long length = size;
    if (wanted instanceof ByteRange.Partial partial) {
      status = HttpResponseStatus.PARTIAL_CONTENT;
      rh.set(HttpHeaderNames.CONTENT_RANGE, partial.range().contentRange(size));
      offset = partial.range().first();
      length = partial.range().length();
    }
    rh.set(HttpHeaderNames.CONTENT_LENGTH, length);
    return new ResponsePlan(status, rh, offset, get ? length : 0, false, size);
  }

  private static boolean notModified(
      String ifNoneMatch, String ifModifiedSince, String etag, Instant lastModified) {
    if (ifNoneMatch != null) {
      return etag != null
          && Validators.notModified(ifNoneMatch, null, etag, lastModifiedOrEpoch(lastModified));
    }
    return ifModifiedSince != null
        && lastModified != null
        && Validators.notModified(null, ifModifiedSince, "\"\"", lastModified);
  }

  private static boolean ifRangeHolds(String ifRange, String etag, Instant lastModified) {
    if (ifRange == null) {
      return true;
    }
    if (etag == null && lastModified == null) {
      return false; // nothing to compare against: send the whole object
    }
    return Validators.ifRangeHolds(
        ifRange, etag == null ? "" : etag, lastModifiedOrEpoch(lastModified));
  }

  private static Instant lastModifiedOrEpoch(Instant lastModified) {
    return lastModified == null ? Instant.EPOCH : lastModified;
  }
}
