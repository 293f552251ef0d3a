package org.reelbox.control.edges;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.store.Sql;

/**
 * Join tokens for edge boxes (docs/deploy.md): an admin mints one for a region; a new box redeems
 * it once, at an endpoint that needs no other credential, for what it needs to run (its region, its
 * origins and the cluster secret).
 *
 * <p>A token is 32 random bytes (base64url, prefixed {@value #PREFIX}); the database keeps only its
 * SHA-256, its region and origins, and its life: minted, expires, spent. A redemption marks the row
 * spent in the same statement that checks it is not, so two boxes racing with one token get one
 * success and one {@code 409}. Tokens are random rather than signed so that they can be spent (a
 * leaked one is worthless once used), and so that several control planes behind a load balancer
 * share them through the database.
 */
public final class EdgeJoinTokens {
  /** Marks a string as a join token, so that a token pasted in the wrong place is recognisable. */
  public static final String PREFIX = "rbj_";

  public static final Duration MAX_TTL = Duration.ofDays(7);

  private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern TOKEN = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");
  private static final int MAX_ORIGIN_URLS = 16;

  private final Sql sql;
  private final Clock clock;
  private final SecureRandom random;

  public EdgeJoinTokens(DataSource dataSource, Clock clock, SecureRandom random) {
    this.sql = new Sql(requireNonNull(dataSource, "dataSource"));
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
  }

  /** A minted token: the only time the token itself is seen. */
  public record Minted(String token, String region, List<String> originUrls, Instant expiresAt) {
    public Minted {
      requireNonNull(token, "token");
      requireNonNull(region, "region");
      originUrls = List.copyOf(originUrls);
      requireNonNull(expiresAt, "expiresAt");
    }
  }

  /** What a redeemed token grants: the region the box serves and the origins it fetches from. */
  public record Grant(String region, List<String> originUrls) {
    public Grant {
      requireNonNull(region, "region");
      originUrls = List.copyOf(originUrls);
    }
  }

  /**
   * Mints a token for {@code region}, valid for {@code ttl}.
   *
   * @throws ApiException {@code VALIDATION_FAILED} for a bad region, origin URL or lifetime
   */
  public Minted mint(String region, List<String> originUrls, Duration ttl, String createdBy) {
    requireNonNull(createdBy, "createdBy");
    checkRegion(region);
    checkOriginUrls(originUrls);
    if (ttl.isNegative() || ttl.toMinutes() < 1 || ttl.compareTo(MAX_TTL) > 0) {
      throw invalid("a join token lives 1 minute to 7 days, got " + ttl.toMinutes() + " minutes");
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    Instant expiresAt = now.plus(ttl);
    sql.run(
        "mint an edge join token",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO edge_join_tokens (token_hash, region, origin_urls, created_by,"
                      + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, hash(token));
            s.setString(2, region);
            s.setString(3, String.join(",", originUrls));
            s.setString(4, createdBy);
            s.setObject(5, utc(now));
            s.setObject(6, utc(expiresAt));
            s.executeUpdate();
          }
          return null;
        });
    return new Minted(token, region, originUrls, expiresAt);
  }

  /**
   * Spends a token.
   *
   * @param usedFrom who redeemed it (the client's address), kept for the audit trail
   * @throws ApiException {@code TOKEN_INVALID} (403) for a malformed or unknown token, {@code
   *     TOKEN_EXPIRED} (410) for an expired one, {@code CONFLICT} (409) for a spent one
   */
  public Grant redeem(String token, String usedFrom) {
    requireNonNull(usedFrom, "usedFrom");
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw new ApiException(
          ErrorCode.TOKEN_INVALID, "not a join token (they start with " + PREFIX + ")");
    }
    String hash = hash(token);
    Instant now = clock.instant();
    return sql.inTransaction(
        "redeem an edge join token",
        c -> {
          String region;
          String origins;
          Instant expiresAt;
          boolean used;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT region, origin_urls, expires_at, used_at FROM edge_join_tokens"
                      + " WHERE token_hash = ?")) {
            s.setString(1, hash);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                throw new ApiException(ErrorCode.TOKEN_INVALID, "unknown join token");
              }
              region = rs.getString(1);
              origins = rs.getString(2);
              expiresAt = rs.getObject(3, OffsetDateTime.class).toInstant();
              used = rs.getObject(4, OffsetDateTime.class) != null;
            }
          }
          if (used) {
            throw spent();
          }
          if (!expiresAt.isAfter(now)) {
            throw new ApiException(
                ErrorCode.TOKEN_EXPIRED,
                "join token expired at " + expiresAt + "; ask an admin for a new one");
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE edge_join_tokens SET used_at = ?, used_from = ?"
                      + " WHERE token_hash = ? AND used_at IS NULL")) {
            s.setObject(1, utc(now));
            s.setString(2, usedFrom.length() > 128 ? usedFrom.substring(0, 128) : usedFrom);
            s.setString(3, hash);
            if (s.executeUpdate() != 1) {
              throw spent(); // another redemption won the race
            }
          }
          return new Grant(region, List.of(origins.split(",")));
        });
  }

  private static ApiException spent() {
    return new ApiException(
        ErrorCode.CONFLICT, "join token was already used; a token joins one box, once");
  }

  static void checkRegion(String region) {
    if (region == null || !REGION.matcher(region).matches()) {
      throw invalid(
          "region must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  static void checkOriginUrls(List<String> urls) {
    if (urls == null || urls.isEmpty() || urls.size() > MAX_ORIGIN_URLS) {
      throw invalid("originUrls must name 1-" + MAX_ORIGIN_URLS + " origins");
    }
    for (String url : urls) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw invalid("originUrls: not a URL: " + shorten(url));
      }
      String scheme = uri.getScheme();
      if (!("http".equals(scheme) || "https".equals(scheme))
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || url.contains(",")) {
        throw invalid(
            "originUrls: an origin is an absolute http(s) URL with a host and no user info, query"
                + " or fragment, got "
                + shorten(url));
      }
    }
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 80) + "…'";
  }

  private static ApiException invalid(String message) {
    return new ApiException(ErrorCode.VALIDATION_FAILED, message);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
