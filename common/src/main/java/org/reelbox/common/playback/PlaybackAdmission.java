package org.reelbox.common.playback;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.function.Function;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.security.TokenClaims;

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
 * @param claims the admitted request's token, or null when it has none (or was not admitted)
 */
public record PlaybackAdmission(
    PlaybackPath path, boolean preflight, ApiException refusal, String allow, TokenClaims claims) {

  /**
   * @param authorize answers the token's claims (null without one), or throws {@link ApiException}
   *     when the token does not allow the path ({@link PlaybackAuthorizer#authorize})
   */
  public static PlaybackAdmission check(
      HttpRequest request, Function<PlaybackPath, TokenClaims> authorize) {
    PlaybackPath path;
    try {
      path = PlaybackPath.parse(request.uri());
    } catch (ApiException e) {
      return new PlaybackAdmission(null, false, e, null, null);
    }
    HttpMethod method = request.method();
    if (method.equals(HttpMethod.OPTIONS)) {
      return new PlaybackAdmission(path, true, null, null, null);
    }
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      return new PlaybackAdmission(
          path,
          false,
          new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "answers GET, HEAD and OPTIONS"),
          PlaybackCors.ALLOW,
          null);
    }
    TokenClaims claims;
    try {
      claims = authorize.apply(path);
    } catch (ApiException e) {
      return new PlaybackAdmission(path, false, e, null, null);
    }
    return new PlaybackAdmission(path, false, null, null, claims);
  }

  /**
   * Whether the admitted request is an edge box's fetch: its token was minted by an edge ({@link
   * PlaybackAuthorizer#EDGE_OWNER}), which only holders of the cluster secret can sign.
   */
  public boolean edgeFetch() {
    return claims != null && PlaybackAuthorizer.EDGE_OWNER.equals(claims.owner());
  }
}
