package org.reelbox.control.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.util.Optional;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.api.ApiKeyAuth;

/**
 * The guard of {@code /api/*} (and {@code /play/*}): an API key, or the session cookie.
 *
 * <ul>
 *   <li>A request with an API key ({@code Authorization: Bearer}, {@code X-Api-Key}) goes to {@link
 *       ApiKeyAuth}, whatever cookie it carries. A key is never sent by a browser on its own, so
 *       such requests need no CSRF defence.
 *   <li>Otherwise the {@code reelbox_session} cookie: unknown, expired or ended → 401 {@code
 *       UNAUTHORIZED} (and the cookie cleared). A browser sends the cookie on its own, so every
 *       method but GET, HEAD and OPTIONS must come from our own pages: a cross-site request ({@link
 *       CrossSite}) or one without {@code X-CSRF-Token} equal to the session's token → 403 {@code
 *       CSRF_REJECTED}. (A cross-site page cannot read the token, nor send the header without a
 *       CORS preflight we never allow.)
 *   <li>Neither → 401 {@code UNAUTHORIZED}.
 * </ul>
 *
 * The caller ends up under {@link ApiKeyAuth#USER}, so {@link ApiKeyAuth#user} works behind either;
 * with a cookie the session is also under {@link #SESSION}.
 */
public final class Authenticator implements Handler<RoutingContext> {
  /** The routing-context key of the {@link Session} of a cookie-authenticated request. */
  public static final String SESSION = "reelbox.session";

  /** The header that carries the session's CSRF token. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private final ApiKeyAuth apiKeys;
  private final CookieSessions sessions;

  public Authenticator(ApiKeyAuth apiKeys, CookieSessions sessions) {
    this.apiKeys = requireNonNull(apiKeys, "apiKeys");
    this.sessions = requireNonNull(sessions, "sessions");
  }

  /** The session of a request this handler let through with a cookie; empty with an API key. */
  public static Optional<Session> session(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(SESSION));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ApiKeyAuth.presentedKey(ctx).isPresent()) {
      apiKeys.handle(ctx);
      return;
    }
    Optional<String> cookie = CookieSessions.cookieValue(ctx);
    if (cookie.isEmpty()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(
          new ApiException(
              ErrorCode.UNAUTHORIZED, "an API key or a signed-in session is required"));
      return;
    }
    boolean changesState = changesState(ctx.request().method());
    // Before the lookup: a forged request costs no database work.
    if (changesState && CrossSite.isCrossSite(ctx.request())) {
      ctx.fail(new ApiException(ErrorCode.CSRF_REJECTED, "cross-site request refused"));
      return;
    }
    ctx.vertx()
        .executeBlocking(() -> sessions.store().resolve(cookie.get()), false)
        .onFailure(ctx::fail)
        .onSuccess(
            session -> {
              if (session.isEmpty()) {
                sessions.clearCookie(ctx);
                ctx.fail(
                    new ApiException(
                        ErrorCode.UNAUTHORIZED, "the session has expired or ended; sign in again"));
                return;
              }
              if (changesState && !tokenMatches(ctx, session.get())) {
                ctx.fail(
                    new ApiException(
                        ErrorCode.CSRF_REJECTED,
                        "a signed-in request that changes something needs the "
                            + CSRF_HEADER
                            + " header of its session"));
                return;
              }
              ctx.put(ApiKeyAuth.USER, session.get().user());
              ctx.put(SESSION, session.get());
              ctx.next();
            });
  }

  static boolean changesState(HttpMethod method) {
    return !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
  }

  private static boolean tokenMatches(RoutingContext ctx, Session session) {
    String sent = ctx.request().getHeader(CSRF_HEADER);
    // Constant time: the comparison must not tell a guesser how many characters were right.
    return sent != null
        && MessageDigest.isEqual(sent.trim().getBytes(UTF_8), session.csrfToken().getBytes(UTF_8));
  }
}
