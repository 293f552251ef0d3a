package org.reelbox.common.playback;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The CORS part of every playback answer, origin and edge alike: browsers (hls.js) fetch segments
 * cross-origin, and need to read the range and validator headers of the answers.
 */
public final class PlaybackCors {
  /** The methods a playback target answers. */
  public static final String ALLOW = "GET, HEAD, OPTIONS";

  public static final String EXPOSE =
      "Content-Length, Content-Range, Accept-Ranges, ETag, Last-Modified";

  static final String ALLOW_HEADERS = "Range, If-None-Match, If-Modified-Since, If-Range";

  private PlaybackCors() {}

  /** Adds the headers every playback answer carries; returns {@code headers}. */
  public static HttpHeaders addTo(HttpHeaders headers) {
    return headers
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE);
  }

  /** The answer to an {@code OPTIONS} preflight: 204, cacheable by the browser for a day. */
  public static FullHttpResponse preflight() {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
    r.headers()
        .set(HttpHeaderNames.ALLOW, ALLOW)
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW)
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS)
        .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, 86400);
    addTo(r.headers());
    return r;
  }
}
