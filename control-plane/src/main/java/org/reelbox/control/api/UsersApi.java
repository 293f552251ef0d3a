package org.reelbox.control.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.auth.SessionStore;
import org.reelbox.control.store.ApiKey;
import org.reelbox.control.store.CreatedApiKey;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.PasswordHasher;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserPatch;
import org.reelbox.control.store.UserRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/users}: accounts and their API keys (docs/upload.md §5). Behind {@link
 * ApiKeyAuth}.
 *
 * <ul>
 *   <li>{@code POST /api/v1/users} (admin): {@code {"username", "role"?, "password"?}} → 201 the
 *       user, plus {@code "password"} when it was generated (shown this once).
 *   <li>{@code GET /api/v1/users?offset=&limit=} (admin): {@code {"users": […], "offset", "limit"}}
 *       in creation order.
 *   <li>{@code PATCH /api/v1/users/{id}} (admin): {@code {"role"?, "password"?, "disabled"?}} → 200
 *       the user. Disabling ends the user's sessions and refuses their API keys; a new password
 *       ends their sessions too (a reset after a leak must lock the holder of the old one out). An
 *       admin cannot disable or demote themself (409 {@code CONFLICT}): that could leave nobody to
 *       undo it.
 *   <li>{@code POST /api/v1/users/{id}/keys} (admin, or the user themself): {@code {"name"}} → 201
 *       {@code {"id", "name", "prefix", "createdAt", "key"}}; the key is shown this once.
 * </ul>
 *
 * A user is shown as {@code {"id", "username", "role", "disabled", "createdAt", "updatedAt"}}.
 *
 * <p>Passwords are hashed with bcrypt on a worker thread (a quarter of a second of CPU each).
 */
public final class UsersApi {
  private static final Logger log = LoggerFactory.getLogger(UsersApi.class);

  /** The shortest password a person may choose; generated ones are 32 characters. */
  public static final int MIN_PASSWORD_LENGTH = 8;

  /** The page size of {@code GET /api/v1/users} when the request names none. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  private static final Set<String> CREATE_FIELDS = Set.of("username", "role", "password");
  private static final Set<String> KEY_FIELDS = Set.of("name");
  private static final Set<String> PATCH_FIELDS = Set.of("role", "password", "disabled");

  private final MetadataStore store;
  private final PasswordHasher hasher;
  private final SecureRandom random;
  private final SessionStore sessions;

  /**
   * @param sessions whose sessions a disabled user or a password reset ends
   */
  public UsersApi(
      MetadataStore store, PasswordHasher hasher, SecureRandom random, SessionStore sessions) {
    this.store = requireNonNull(store, "store");
    this.hasher = requireNonNull(hasher, "hasher");
    this.random = requireNonNull(random, "random");
    this.sessions = requireNonNull(sessions, "sessions");
  }

  /** Mounts the routes; the router must already authenticate {@code /api/*}. */
  public void mount(Router router) {
    router.post("/api/v1/users").handler(this::create);
    router.get("/api/v1/users").handler(this::list);
    router.patch("/api/v1/users/:id").handler(this::update);
    router.post("/api/v1/users/:id/keys").handler(this::createKey);
  }

  // ---- POST /api/v1/users

  private void create(RoutingContext ctx) {
    requireAdmin(ctx);
    JsonBody body = JsonBody.of(ctx).allowOnly(CREATE_FIELDS);
    String username = body.requiredString("username");
    try {
      User.checkUsername(username);
    } catch (IllegalArgumentException e) {
      throw JsonBody.invalid(e.getMessage());
    }
    UserRole role = body.optionalString("role").map(UsersApi::role).orElse(UserRole.CREATOR);
    String chosen = body.optionalString("password").map(UsersApi::checkPassword).orElse(null);
    String password = chosen != null ? chosen : randomPassword();
    ApiSupport.blocking(ctx, () -> store.createUser(username, role, hasher.hash(password)))
        .onFailure(ctx::fail)
        .onSuccess(
            user -> {
              Map<String, Object> answer = userJson(user);
              if (chosen == null) {
                answer.put("password", password);
              }
              ctx.response().putHeader(HttpHeaders.LOCATION, "/api/v1/users/" + user.id());
              ApiSupport.sendJson(ctx, 201, answer);
            });
  }

  private static UserRole role(String name) {
    try {
      return UserRole.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw JsonBody.invalid(
          "role must be one of " + List.of(UserRole.values()) + ", got '" + shorten(name) + "'");
    }
  }

  // The message never shows the password.
  private static String checkPassword(String password) {
    if (password.length() < MIN_PASSWORD_LENGTH) {
      throw JsonBody.invalid("password must be at least " + MIN_PASSWORD_LENGTH + " characters");
    }
    if (password.getBytes(UTF_8).length > PasswordHasher.MAX_PASSWORD_BYTES) {
      throw JsonBody.invalid(
          "password must be at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes in UTF-8");
    }
    return password;
  }

  private String randomPassword() {
    // As AdminBootstrap: 192 bits, 32 base64url characters, nothing to quote anywhere.
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // ---- GET /api/v1/users

  private void list(RoutingContext ctx) {
    requireAdmin(ctx);
    int offset = QueryParams.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit =
        QueryParams.intParam(ctx, "limit", DEFAULT_PAGE_SIZE, 1, MetadataStore.MAX_PAGE_SIZE);
    ApiSupport.blocking(ctx, () -> store.listUsers(offset, limit))
        .onFailure(ctx::fail)
        .onSuccess(
            users -> {
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("users", users.stream().map(UsersApi::userJson).toList());
              answer.put("offset", offset);
              answer.put("limit", limit);
              ApiSupport.sendJson(ctx, 200, answer);
            });
  }

  // ---- PATCH /api/v1/users/{id}

  private void update(RoutingContext ctx) {
    requireAdmin(ctx);
    User caller = ApiKeyAuth.user(ctx);
    long userId = userId(ctx);
    JsonBody body = JsonBody.of(ctx).allowOnly(PATCH_FIELDS);
    if (body.isEmpty()) {
      throw JsonBody.invalid("nothing to change; give one or more of " + sorted(PATCH_FIELDS));
    }
    Optional<UserRole> role = body.optionalString("role").map(UsersApi::role);
    Optional<String> password = body.optionalString("password").map(UsersApi::checkPassword);
    Optional<Boolean> disabled = body.optionalBoolean("disabled");
    if (caller.id() == userId) {
      if (disabled.orElse(false)) {
        throw new ApiException(ErrorCode.CONFLICT, "an admin cannot disable themself");
      }
      if (role.isPresent() && role.get() != UserRole.ADMIN) {
        throw new ApiException(ErrorCode.CONFLICT, "an admin cannot demote themself");
      }
    }
    ApiSupport.blocking(
            ctx,
            () -> {
              UserPatch patch = UserPatch.NONE;
              if (role.isPresent()) {
                patch = patch.withRole(role.get());
              }
              if (password.isPresent()) {
                patch = patch.withPasswordHash(hasher.hash(password.get()));
              }
              if (disabled.isPresent()) {
                patch = patch.withDisabled(disabled.get());
              }
              Optional<User> updated = store.updateUser(userId, patch);
              // After the user row. A sign-in that checked the password just before and makes its
              // session just after is still locked out when disabled (SessionStore.resolve skips
              // disabled users); for a reset, that one racing session survives.
              if (updated.isPresent() && (disabled.orElse(false) || password.isPresent())) {
                sessions.deleteAllOf(userId);
              }
              return updated;
            })
        .onFailure(ctx::fail)
        .onSuccess(
            updated -> {
              if (updated.isEmpty()) {
                ctx.fail(new ApiException(ErrorCode.NOT_FOUND, "no such user"));
                return;
              }
              log.info(
                  "user {} updated by {}:{}{}{}",
                  updated.get().username(),
                  caller.username(),
                  role.map(r -> " role=" + r).orElse(""),
                  password.isPresent() ? " password reset" : "",
                  disabled.map(d -> " disabled=" + d).orElse(""));
              ApiSupport.sendJson(ctx, 200, userJson(updated.get()));
            });
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }

  // ---- POST /api/v1/users/{id}/keys

  private void createKey(RoutingContext ctx) {
    User caller = ApiKeyAuth.user(ctx);
    long userId = userId(ctx);
    if (caller.id() != userId && caller.role() != UserRole.ADMIN) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only an admin may create keys for another user");
    }
    JsonBody body = JsonBody.of(ctx).allowOnly(KEY_FIELDS);
    String name = body.requiredString("name");
    try {
      ApiKey.checkName(name);
    } catch (IllegalArgumentException e) {
      throw JsonBody.invalid(e.getMessage());
    }
    // UnknownUserException (a well-formed id nobody has) is a 404 in ApiFailureHandler.
    ApiSupport.blocking(ctx, () -> store.createApiKey(userId, name))
        .onFailure(ctx::fail)
        .onSuccess(created -> ApiSupport.sendJson(ctx, 201, keyJson(created)));
  }

  /** The {@code :id} path parameter: a positive decimal user id, or 404. */
  private static long userId(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      long id = Long.parseLong(raw);
      if (id > 0 && raw.equals(Long.toString(id))) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw new ApiException(ErrorCode.NOT_FOUND, "no such user");
  }

  // ---- shared

  private static void requireAdmin(RoutingContext ctx) {
    if (ApiKeyAuth.user(ctx).role() != UserRole.ADMIN) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only an admin may do this");
    }
  }

  /** A user as the API shows it: never a password hash. */
  static Map<String, Object> userJson(User user) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", user.id());
    json.put("username", user.username());
    json.put("role", user.role().name());
    json.put("disabled", user.disabled());
    json.put("createdAt", user.createdAt());
    json.put("updatedAt", user.updatedAt());
    return json;
  }

  private static Map<String, Object> keyJson(CreatedApiKey created) {
    ApiKey key = created.key();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", key.id());
    json.put("userId", key.userId());
    json.put("name", key.name());
    json.put("prefix", key.prefix());
    json.put("createdAt", key.createdAt());
    json.put("key", created.plaintext());
    return json;
  }

  private static String shorten(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}
