package org.reelbox.common.playback;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.reelbox.common.error.ErrorBody;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.http.HttpResponses;

/**
 * The error answer of a playback target, origin and edge alike: the JSON error body (headers only
 * for {@code HEAD}), never cached, readable cross-origin so that a player sees why it failed.
 */
public final class PlaybackErrors {
  private PlaybackErrors() {}

  /**
   * @param allow the {@code Allow} header (405), or null
   * @param contentRange the {@code Content-Range} header (416: {@code bytes *}/size), or null
   */
  public static FullHttpResponse response(
      HttpRequest request, ErrorCode code, String message, String allow, String contentRange) {
    byte[] body = ErrorBody.of(code, message).toJson().getBytes(StandardCharsets.UTF_8);
    boolean head = request.method().equals(HttpMethod.HEAD);
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(code.httpStatus()),
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpResponses.JSON)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    PlaybackCors.addTo(r.headers());
    if (allow != null) {
      r.headers().set(HttpHeaderNames.ALLOW, allow);
    }
    if (contentRange != null) {
      r.headers().set(HttpHeaderNames.CONTENT_RANGE, contentRange);
    }
    return r;
  }
}
