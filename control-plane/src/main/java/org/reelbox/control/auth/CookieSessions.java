package org.reelbox.control.auth;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.reelbox.control.routing.ClientAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code reelbox_session} cookie: reading it, resolving it to a session (on a worker thread),
 * and setting and clearing it in answers.
 *
 * <p>The cookie is {@code HttpOnly} (no script reads it; the pages get the CSRF token in their boot
 * data instead), {@code SameSite=Lax} (a cross-site POST carries no cookie in browsers that honour
 * it), {@code Path=/}, {@code Max-Age} of {@link SessionStore#MAX_AGE}, and {@code Secure} when the
 * request came over HTTPS: TLS here, or {@code X-Forwarded-Proto: https} from a trusted proxy
 * ({@code routing.trustedProxies}). A plain-HTTP deployment (a laptop, a LAN) still works.
 */
public final class CookieSessions implements SessionResolver {
  private static final Logger log = LoggerFactory.getLogger(CookieSessions.class);

  /** The cookie's name. */
  public static final String COOKIE = "reelbox_session";

  private final SessionStore store;
  private final ClientAddress proxies;

  /**
   * @param proxies tells which peers are trusted proxies, whose {@code X-Forwarded-Proto} counts
   */
  public CookieSessions(SessionStore store, ClientAddress proxies) {
    this.store = requireNonNull(store, "store");
    this.proxies = requireNonNull(proxies, "proxies");
  }

  public SessionStore store() {
    return store;
  }

  /** The cookie's value, if the request carries a non-empty one. */
  public static Optional<String> cookieValue(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null || cookie.getValue() == null || cookie.getValue().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(cookie.getValue().trim());
  }

  /**
   * The request's live session; the one {@link Authenticator} already resolved if it ran, else
   * looked up now.
   */
  public Future<Optional<Session>> session(RoutingContext ctx) {
    Optional<Session> known = Authenticator.session(ctx);
    if (known.isPresent()) {
      return Future.succeededFuture(known);
    }
    Optional<String> value = cookieValue(ctx);
    if (value.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return ctx.vertx().executeBlocking(() -> store.resolve(value.get()), false);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A database failure is logged and answered as "no session": the page then offers the login
   * form, whose own request reports the failure.
   */
  @Override
  public Future<Optional<SessionUser>> resolve(RoutingContext ctx) {
    return session(ctx)
        .map(session -> session.map(Session::sessionUser))
        .recover(
            e -> {
              log.warn("cannot resolve the session of {}: {}", ctx.request().path(), e.toString());
              return Future.succeededFuture(Optional.empty());
            });
  }

  /** Sets the cookie of a new session on the answer. */
  public void setCookie(RoutingContext ctx, NewSession session) {
    ctx.response()
        .addCookie(cookie(ctx, session.cookieValue()).setMaxAge(SessionStore.MAX_AGE.toSeconds()));
  }

  /** Tells the browser to forget the cookie. */
  public void clearCookie(RoutingContext ctx) {
    ctx.response().addCookie(cookie(ctx, "").setMaxAge(0));
  }

  private Cookie cookie(RoutingContext ctx, String value) {
    return Cookie.cookie(COOKIE, value)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX)
        .setSecure(isHttps(ctx.request()));
  }

  /** Whether the client reached us over HTTPS, directly or through a trusted proxy. */
  public boolean isHttps(HttpServerRequest request) {
    if (request.isSSL()) {
      return true;
    }
    java.util.List<String> protos = request.headers().getAll("X-Forwarded-Proto");
    if (protos.isEmpty() || request.remoteAddress() == null) {
      return false;
    }
    // The last value: the one our trusted peer wrote (a proxy that appends rather than replaces
    // leaves the client's own claim in front, and that is not believed).
    String[] values = String.join(",", protos).split(",");
    String last = values.length == 0 ? "" : values[values.length - 1].trim();
    return last.equalsIgnoreCase("https")
        && proxies.isTrustedProxy(request.remoteAddress().hostAddress());
  }
}
