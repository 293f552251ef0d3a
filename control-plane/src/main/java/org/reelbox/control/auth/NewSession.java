package org.reelbox.control.auth;

import static java.util.Objects.requireNonNull;

/**
 * A session just created: the cookie value, which leaves the store this once (it keeps only its
 * hash), and the session.
 */
public record NewSession(String cookieValue, Session session) {
  public NewSession {
    requireNonNull(cookieValue, "cookieValue");
    requireNonNull(session, "session");
  }

  /** Keeps the cookie value out of logs. */
  @Override
  public String toString() {
    return "NewSession[session=" + session + "]";
  }
}
