package org.reelbox.control.auth;

import static java.util.Objects.requireNonNull;

import org.reelbox.control.store.User;

/**
 * Who a browser is signed in as, and the token its pages must send back in {@code X-CSRF-Token} on
 * every state-changing API request.
 */
public record SessionUser(User user, String csrfToken) {
  public SessionUser {
    requireNonNull(user, "user");
    requireNonNull(csrfToken, "csrfToken");
  }
}
