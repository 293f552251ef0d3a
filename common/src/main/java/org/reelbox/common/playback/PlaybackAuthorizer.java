package org.reelbox.common.playback;

import static java.util.Objects.requireNonNull;

import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenError;
import org.reelbox.common.security.TokenException;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;

/**
 * Decides whether a playback request may be answered, before anything is read; the origin and the
 * edges apply the same rules, so that a token good at one is good at the other.
 *
 * <ul>
 *   <li>keys always need a token for this video, of scope {@code play} (so that the relative key
 *       URI of a playlist, which inherits the playlist's token prefix, works) or {@code key} (a
 *       token minted for the key alone);
 *   <li>everything else needs a {@code play} token for this video when one is given, and when
 *       {@code requireTokens} is set.
 * </ul>
 */
public final class PlaybackAuthorizer {
  /**
   * The {@code owner} of the play tokens an edge box mints for its own origin fetches. Only holders
   * of the cluster secret can sign one, so an origin can tell its edges' fills from viewers'
   * requests (only the latter is egress a CDN would have carried).
   */
  public static final String EDGE_OWNER = "edge";

  private final Tokens tokens;
  private final boolean requireTokens;

  /**
   * @param requireTokens whether {@code /v/…} without a token prefix is refused (private videos)
   */
  public PlaybackAuthorizer(Tokens tokens, boolean requireTokens) {
    this.tokens = requireNonNull(tokens, "tokens");
    this.requireTokens = requireTokens;
  }

  /**
   * @return the token's claims, or null when the request carries no token (and may go without)
   * @throws ApiException 403 ({@code FORBIDDEN} with no token, {@code TOKEN_INVALID}) or 410
   *     ({@code TOKEN_EXPIRED})
   */
  public TokenClaims authorize(PlaybackPath path) {
    String token = path.token();
    if (token == null) {
      if (path.kind() == ObjectKind.KEY) {
        throw new ApiException(ErrorCode.FORBIDDEN, "a playback token is required for keys");
      }
      if (requireTokens) {
        throw new ApiException(ErrorCode.FORBIDDEN, "a playback token is required");
      }
      return null;
    }
    try {
      if (path.kind() == ObjectKind.KEY) {
        try {
          return tokens.verify(token, TokenScope.PLAY, path.videoId());
        } catch (TokenException e) {
          if (e.error() != TokenError.WRONG_SCOPE) {
            throw e;
          }
          return tokens.verify(token, TokenScope.KEY, path.videoId());
        }
      }
      return tokens.verify(token, TokenScope.PLAY, path.videoId());
    } catch (TokenException e) {
      throw e.toApiException();
    }
  }
}
