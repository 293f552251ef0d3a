package org.reelbox.control.auth;

import static java.util.Objects.requireNonNull;

import org.reelbox.control.store.User;

/**
 * The person behind a browser session, and the CSRF token their pages must send back with every
 * state-changing request (docs/web-ui.md, "Sessions, CSRF, login").
 */
public record SessionUser(User user, String csrfToken) {
  public SessionUser {
    requireNonNull(user, "user");
    requireNonNull(csrfToken, "csrfToken");
  }
}
