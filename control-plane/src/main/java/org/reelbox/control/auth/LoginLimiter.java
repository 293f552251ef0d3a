package org.reelbox.control.auth;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.reelbox.control.limit.TokenBuckets;

/**
 * Bounds password guessing: failed logins per username and per client address, each a {@link
 * TokenBuckets} where a failure spends a token.
 *
 * <p>An attempt takes a token of both buckets <em>before</em> the password is checked, and a
 * successful one gives both back: checking first and counting the failure afterwards would let a
 * burst of concurrent guesses (each waits a quarter of a second in bcrypt) all pass the check. So
 * at most {@code burst} guesses are ever in flight or spent for one name or one address.
 *
 * <ul>
 *   <li>Per username: {@value #USERNAME_BURST} failures, then one more every {@value
 *       #USERNAME_REFILL_SECONDS} s. An attacker who knows a name can keep that name locked this
 *       way; the address limit below does not help the owner then, but they can still use their API
 *       keys, and an admin sees the refusals in the log.
 *   <li>Per client address: {@value #ADDRESS_BURST} failures, then one every {@value
 *       #ADDRESS_REFILL_SECONDS} s: more than a username's, because an office or a carrier-grade
 *       NAT puts many people behind one address.
 * </ul>
 *
 * <p>Memory: at most {@value #MAX_KEYS} names and as many addresses (a few MB). Thread-safe.
 */
public final class LoginLimiter {
  public static final int USERNAME_BURST = 5;
  public static final int USERNAME_REFILL_SECONDS = 60;
  public static final int ADDRESS_BURST = 20;
  public static final int ADDRESS_REFILL_SECONDS = 6;
  public static final int MAX_KEYS = 100_000;

  // Longer names cannot exist (User.MAX_USERNAME_LENGTH); they share one bucket rather than let a
  // client make us keep 64 KiB keys.
  private static final int MAX_KEY_CHARS = 65;

  private final TokenBuckets usernames;
  private final TokenBuckets addresses;

  /** The limits above. */
  public LoginLimiter(Clock clock) {
    this(
        new TokenBuckets(clock, 1.0 / USERNAME_REFILL_SECONDS, USERNAME_BURST, MAX_KEYS),
        new TokenBuckets(clock, 1.0 / ADDRESS_REFILL_SECONDS, ADDRESS_BURST, MAX_KEYS));
  }

  public LoginLimiter(TokenBuckets usernames, TokenBuckets addresses) {
    this.usernames = requireNonNull(usernames, "usernames");
    this.addresses = requireNonNull(addresses, "addresses");
  }

  /**
   * Starts a login attempt: takes a token for the name and one for the address.
   *
   * @return empty when the attempt may go on; otherwise how long the client should wait (at least a
   *     second), and nothing was taken
   */
  public synchronized Optional<Duration> tryBegin(String username, String address) {
    String name = nameKey(username);
    requireNonNull(address, "address");
    if (!addresses.tryAcquire(address)) {
      return Optional.of(wait(addresses.timeToNextToken(address)));
    }
    if (!usernames.tryAcquire(name)) {
      addresses.refund(address);
      return Optional.of(wait(usernames.timeToNextToken(name)));
    }
    return Optional.empty();
  }

  /** Ends an attempt that {@link #tryBegin} let through and that succeeded: it costs nothing. */
  public synchronized void succeeded(String username, String address) {
    usernames.refund(nameKey(username));
    addresses.refund(requireNonNull(address, "address"));
  }

  private static String nameKey(String username) {
    String name = requireNonNull(username, "username").toLowerCase(Locale.ROOT);
    return name.length() > MAX_KEY_CHARS ? name.substring(0, MAX_KEY_CHARS) : name;
  }

  // Whole seconds for Retry-After, rounded up, and never 0 (which would invite an instant retry).
  private static Duration wait(Duration d) {
    long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
    return Duration.ofSeconds(seconds);
  }
}
