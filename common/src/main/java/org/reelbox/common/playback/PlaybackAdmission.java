package org.reelbox.common.playback;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.function.Consumer;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;

/**
 * The checks a playback request passes before anything is looked up, cheapest and unauthenticated
 * first, the same at the origin and the edges: the path ({@link PlaybackPath#parse}: 400/404), the
 * method (405; {@code OPTIONS} is the CORS preflight), the token (403/410). A refused request costs
 * no storage read, no disk read and no origin fetch.
 *
 * @param path the parsed path; null only when the path itself was refused
 * @param preflight an {@code OPTIONS} request: answer {@link PlaybackCors#preflight()}
 * @param refusal why the request is refused, or null
 * @param allow the {@code Allow} header of a 405, or null
 */
public record PlaybackAdmission(
    PlaybackPath path, boolean preflight, ApiException refusal, String allow) {

  /**
   * @param authorize throws {@link ApiException} when the token does not allow the path ({@link
   *     PlaybackAuthorizer#authorize})
   */
  public static PlaybackAdmission check(HttpRequest request, Consumer<PlaybackPath> authorize) {
    PlaybackPath path;
    try {
      path = PlaybackPath.parse(request.uri());
    } catch (ApiException e) {
      return new PlaybackAdmission(null, false, e, null);
    }
    HttpMethod method = request.method();
    if (method.equals(HttpMethod.OPTIONS)) {
      return new PlaybackAdmission(path, true, null, null);
    }
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      return new PlaybackAdmission(
          path,
          false,
          new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "answers GET, HEAD and OPTIONS"),
          PlaybackCors.ALLOW);
    }
    try {
      authorize.accept(path);
    } catch (ApiException e) {
      return new PlaybackAdmission(path, false, e, null);
    }
    return new PlaybackAdmission(path, false, null, null);
  }
}
