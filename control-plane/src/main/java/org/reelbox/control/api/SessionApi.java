package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.auth.Authenticator;
import org.reelbox.control.auth.CookieSessions;
import org.reelbox.control.auth.CrossSite;
import org.reelbox.control.auth.LoginLimiter;
import org.reelbox.control.auth.NewSession;
import org.reelbox.control.auth.Session;
import org.reelbox.control.routing.ClientAddress;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.PasswordHasher;
import org.reelbox.control.store.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/session}: signing a browser in and out (docs/web-ui.md, "Sessions, CSRF, login").
 *
 * <ul>
 *   <li>{@code POST} (public, no API key) {@code {"username", "password"}} → 200 {@code {"user":
 *       {"id", "username", "role"}, "csrfToken"}} and the {@code reelbox_session} cookie. A wrong
 *       name or password, or a disabled user → 401 {@code INVALID_CREDENTIALS}; too many failures →
 *       429 {@code TOO_MANY_REQUESTS} with {@code Retry-After} ({@link LoginLimiter}); a cross-site
 *       request → 403 {@code CSRF_REJECTED} (login CSRF: signing a victim into the attacker's
 *       account).
 *   <li>{@code GET} → 200 the same body for the request's session; 401 without one (an API key has
 *       no session).
 *   <li>{@code DELETE} → 204, the session deleted and the cookie cleared. Behind the guard, so with
 *       a cookie it needs the CSRF token like any other change.
 * </ul>
 *
 * <p>The answer to a failed login is the same, and takes the same bcrypt time, whether the user
 * exists or not: an unknown name is checked against {@link PasswordHasher#dummyHash}, and a
 * disabled user's password is checked before they are refused.
 */
public final class SessionApi {
  private static final Logger log = LoggerFactory.getLogger(SessionApi.class);

  static final String PATH = "/api/v1/session";

  private final MetadataStore store;
  private final PasswordHasher hasher;
  private final CookieSessions sessions;
  private final LoginLimiter limiter;
  private final ClientAddress clientAddress;

  /**
   * @param clientAddress finds the client's address behind trusted proxies, for the limiter
   */
  public SessionApi(
      MetadataStore store,
      PasswordHasher hasher,
      CookieSessions sessions,
      LoginLimiter limiter,
      ClientAddress clientAddress) {
    this.store = requireNonNull(store, "store");
    this.hasher = requireNonNull(hasher, "hasher");
    this.sessions = requireNonNull(sessions, "sessions");
    this.limiter = requireNonNull(limiter, "limiter");
    this.clientAddress = requireNonNull(clientAddress, "clientAddress");
  }

  /**
   * Mounts {@code POST /api/v1/session}, which needs no credential: call it before {@link
   * ApiRoutes#authenticateApi}, so that it answers before the {@code /api/*} guard runs.
   */
  public void mountPublic(Router router) {
    router
        .post(PATH)
        .handler(ApiSupport.bodyHandler())
        .handler(this::login)
        .failureHandler(ApiFailureHandler.INSTANCE);
  }

  /** Mounts {@code GET} and {@code DELETE}; the router must already guard {@code /api/*}. */
  public void mount(Router router) {
    router.get(PATH).handler(this::current);
    router.delete(PATH).handler(this::logout);
  }

  // ---- POST

  private void login(RoutingContext ctx) {
    if (CrossSite.isCrossSite(ctx.request())) {
      throw new ApiException(ErrorCode.CSRF_REJECTED, "cross-site sign-in refused");
    }
    JsonBody body = JsonBody.of(ctx).allowOnly(Set.of("username", "password"));
    // Usernames are lower case (User.checkUsername); "Alice" on a phone keyboard means alice.
    String username = body.requiredString("username").trim().toLowerCase(Locale.ROOT);
    String password = body.requiredString("password");
    String address = clientAddress(ctx);
    Optional<Duration> wait = limiter.tryBegin(username, address);
    if (wait.isPresent()) {
      log.warn("login refused for '{}' from {}: too many failures", shorten(username), address);
      ctx.response().putHeader("Retry-After", Long.toString(wait.get().toSeconds()));
      throw new ApiException(
          ErrorCode.TOO_MANY_REQUESTS,
          "too many failed sign-ins; try again in " + wait.get().toSeconds() + " s");
    }
    Optional<String> previous = CookieSessions.cookieValue(ctx);
    ApiSupport.blocking(ctx, () -> authenticate(username, password, previous))
        .onFailure(ctx::fail)
        .onSuccess(
            session -> {
              if (session.isEmpty()) {
                log.info("login failed for '{}' from {}", shorten(username), address);
                ctx.fail(
                    new ApiException(ErrorCode.INVALID_CREDENTIALS, "wrong username or password"));
                return;
              }
              limiter.succeeded(username, address);
              sessions.setCookie(ctx, session.get());
              ApiSupport.sendJson(ctx, 200, sessionJson(session.get().session()));
            });
  }

  private Optional<NewSession> authenticate(
      String username, String password, Optional<String> previous) {
    Optional<User> user = store.findUserByUsername(username);
    String hash = user.flatMap(u -> store.findPasswordHash(u.id())).orElse(hasher.dummyHash());
    // bcrypt first, whatever the user: the time must not tell an unknown or a disabled user apart.
    boolean matches = hasher.verify(password, hash);
    if (!matches || user.isEmpty() || user.get().disabled()) {
      return Optional.empty();
    }
    // A new session for a new sign-in: a cookie planted before it (session fixation) or left by
    // another account on this browser must not live on.
    previous.ifPresent(value -> sessions.store().delete(value));
    return Optional.of(sessions.store().create(user.get()));
  }

  private String clientAddress(RoutingContext ctx) {
    var peer = ctx.request().remoteAddress();
    String host = peer == null ? "" : peer.hostAddress();
    return clientAddress
        .resolve(host, ctx.request().headers().getAll("X-Forwarded-For"))
        .map(InetAddress::getHostAddress)
        .orElse(host);
  }

  // ---- GET

  private void current(RoutingContext ctx) {
    Session session =
        Authenticator.session(ctx)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.UNAUTHORIZED, "no signed-in session (an API key has none)"));
    ApiSupport.sendJson(ctx, 200, sessionJson(session));
  }

  // ---- DELETE

  private void logout(RoutingContext ctx) {
    Optional<Session> session = Authenticator.session(ctx);
    sessions.clearCookie(ctx);
    if (session.isEmpty()) {
      // An API key signs nothing out; the cookie is cleared all the same.
      ctx.response().setStatusCode(204).end();
      return;
    }
    ApiSupport.blocking(ctx, () -> sessions.store().deleteByHash(session.get().idHash()))
        .onFailure(ctx::fail)
        .onSuccess(deleted -> ctx.response().setStatusCode(204).end());
  }

  static Map<String, Object> sessionJson(Session session) {
    User user = session.user();
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Object> userJson = new LinkedHashMap<>();
    userJson.put("id", user.id());
    userJson.put("username", user.username());
    userJson.put("role", user.role().name());
    json.put("user", userJson);
    json.put("csrfToken", session.csrfToken());
    return json;
  }

  private static String shorten(String value) {
    // A log line per attempt: no control characters from the client in it.
    String printable = value.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
  }
}
