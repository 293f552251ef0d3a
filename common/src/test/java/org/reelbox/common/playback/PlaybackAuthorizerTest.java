package org.reelbox.common.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;
import org.reelbox.common.testing.MutableClock;

class PlaybackAuthorizerTest {
  private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
  private static final String VIDEO = "dQw4w9WgXcQ";
  private static final String OTHER_VIDEO = "-_aZ09-_aZ0";

  private final MutableClock clock = new MutableClock(NOW);
  private final Tokens tokens =
      new Tokens(KeyRing.derivedFrom("test-cluster-secret-0123456789-abcdefghij"), clock);
  private final PlaybackAuthorizer open = new PlaybackAuthorizer(tokens, false);
  private final PlaybackAuthorizer closed = new PlaybackAuthorizer(tokens, true);

  private String token(String videoId, TokenScope scope) {
    return tokens.sign(
        TokenClaims.unsigned(videoId, scope, "user-42", 0, NOW.plus(Duration.ofMinutes(10))));
  }

  private static PlaybackPath path(String token, String rest) {
    return PlaybackPath.parse((token == null ? "" : "/t/" + token) + "/v/" + VIDEO + rest);
  }

  private static ErrorCode refusal(PlaybackAuthorizer authorizer, PlaybackPath path) {
    ApiException e = catchThrowableOfType(ApiException.class, () -> authorizer.authorize(path));
    assertThat(e).as("authorize must refuse %s", path.kind()).isNotNull();
    return e.code();
  }

  @Test
  void withoutToken_openVideosPass_keysAndRequiredTokensAreRefused() {
    assertThatCode(() -> open.authorize(path(null, "/720p/0.ts"))).doesNotThrowAnyException();
    assertThatCode(() -> open.authorize(path(null, "/master.m3u8"))).doesNotThrowAnyException();
    assertThat(refusal(open, path(null, "/keys/0.key"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refusal(closed, path(null, "/720p/0.ts"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refusal(closed, path(null, "/keys/0.key"))).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void playToken_servesEverythingOfItsVideo_keysIncluded() {
    String play = token(VIDEO, TokenScope.PLAY);
    for (String rest :
        new String[] {"/master.m3u8", "/720p/index.m3u8", "/720p/3.ts", "/keys/0.key"}) {
      assertThatCode(() -> closed.authorize(path(play, rest))).doesNotThrowAnyException();
    }
  }

  @Test
  void keyToken_servesKeysOnly() {
    String key = token(VIDEO, TokenScope.KEY);
    assertThatCode(() -> closed.authorize(path(key, "/keys/0.key"))).doesNotThrowAnyException();
    // A token given is checked even where none is required.
    assertThat(refusal(open, path(key, "/720p/0.ts"))).isEqualTo(ErrorCode.TOKEN_INVALID);
    assertThat(refusal(closed, path(key, "/master.m3u8"))).isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  @Test
  void otherScopeOrOtherVideo_isRefused() {
    String upload = token(VIDEO, TokenScope.UPLOAD);
    assertThat(refusal(open, path(upload, "/keys/0.key"))).isEqualTo(ErrorCode.TOKEN_INVALID);
    assertThat(refusal(open, path(upload, "/720p/0.ts"))).isEqualTo(ErrorCode.TOKEN_INVALID);
    String other = token(OTHER_VIDEO, TokenScope.PLAY);
    assertThat(refusal(open, path(other, "/720p/0.ts"))).isEqualTo(ErrorCode.TOKEN_INVALID);
    assertThat(refusal(open, path(other, "/keys/0.key"))).isEqualTo(ErrorCode.TOKEN_INVALID);
    String otherKey = token(OTHER_VIDEO, TokenScope.KEY);
    assertThat(refusal(open, path(otherKey, "/keys/0.key"))).isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  @Test
  void expiredToken_is410() {
    String play = token(VIDEO, TokenScope.PLAY);
    String key = token(VIDEO, TokenScope.KEY);
    clock.advance(Duration.ofHours(1));
    assertThat(refusal(open, path(play, "/720p/0.ts"))).isEqualTo(ErrorCode.TOKEN_EXPIRED);
    assertThat(refusal(open, path(key, "/keys/0.key"))).isEqualTo(ErrorCode.TOKEN_EXPIRED);
  }
}
