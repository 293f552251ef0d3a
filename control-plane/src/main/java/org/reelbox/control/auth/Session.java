package org.reelbox.control.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.reelbox.control.store.User;

/**
 * A signed-in browser, as {@link SessionStore} keeps it: never the cookie value, only its SHA-256.
 *
 * @param idHash SHA-256 of the cookie value, lower-case hex: the row's key
 * @param user the user, as stored now (a role change shows at once)
 * @param csrfToken what the pages send in {@code X-CSRF-Token}
 * @param createdAt when the user signed in
 * @param expiresAt when the session ends unless used again before (see {@link SessionStore})
 */
public record Session(
    String idHash, User user, String csrfToken, Instant createdAt, Instant expiresAt) {
  public Session {
    requireNonNull(idHash, "idHash");
    requireNonNull(user, "user");
    requireNonNull(csrfToken, "csrfToken");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(expiresAt, "expiresAt");
  }

  public SessionUser sessionUser() {
    return new SessionUser(user, csrfToken);
  }
}
