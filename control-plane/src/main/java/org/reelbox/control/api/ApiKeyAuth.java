package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.User;

/**
 * Authenticates API calls by API key: {@code Authorization: Bearer rbx_…} (or {@code X-Api-Key}).
 * The key is looked up by its hash off the event loop; the user is left in the routing context
 * under {@link #USER}. No key, or a wrong or revoked one, or one of a disabled user, fails with 401
 * {@code UNAUTHORIZED}.
 *
 * <p>{@code /api/*} is guarded by {@code auth.Authenticator}, which hands requests with a key to
 * this handler and also takes the session cookie; either way {@link #user} is the caller.
 */
public final class ApiKeyAuth implements Handler<RoutingContext> {
  /** The routing-context key of the authenticated {@link User}. */
  public static final String USER = "reelbox.user";

  private final MetadataStore store;

  public ApiKeyAuth(MetadataStore store) {
    this.store = requireNonNull(store, "store");
  }

  /** The authenticated user of a request that passed this handler. */
  public static User user(RoutingContext ctx) {
    User user = ctx.get(USER);
    if (user == null) {
      throw new IllegalStateException("route is not behind ApiKeyAuth or Authenticator");
    }
    return user;
  }

  /** The authenticated user, or empty on a route that lets anonymous requests through. */
  public static Optional<User> optionalUser(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(USER));
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<String> key = presentedKey(ctx);
    if (key.isEmpty()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(new ApiException(ErrorCode.UNAUTHORIZED, "an API key is required"));
      return;
    }
    ctx.vertx()
        .executeBlocking(() -> store.findUserByApiKey(key.get()), false)
        .onFailure(ctx::fail)
        .onSuccess(
            user -> {
              if (user.isEmpty()) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                ctx.fail(new ApiException(ErrorCode.UNAUTHORIZED, "the API key is not valid"));
                return;
              }
              ctx.put(USER, user.get());
              ctx.next();
            });
  }

  /** The API key a request presents, if any; whether it is valid is not checked here. */
  public static Optional<String> presentedKey(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = auth.substring(7).trim();
      return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
    String header = ctx.request().getHeader("X-Api-Key");
    return header == null || header.isBlank() ? Optional.empty() : Optional.of(header.trim());
  }
}
