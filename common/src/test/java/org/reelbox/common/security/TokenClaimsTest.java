package org.reelbox.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TokenClaimsTest {
  private static final Instant EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void new_validClaims_keptAsGiven() {
    TokenClaims claims = new TokenClaims("video-1", TokenScope.UPLOAD, "user-1", 10, EXPIRY, "k1");

    assertThat(claims.subject()).isEqualTo("video-1");
    assertThat(claims.ownerIfPresent()).contains("user-1");
    assertThat(claims.hasByteLimit()).isTrue();
    assertThat(claims.keyId()).isEqualTo("k1");
  }

  @Test
  void new_emptyOrNullOwner_heldAsNull() {
    assertThat(TokenClaims.unsigned("v", TokenScope.PLAY, "", 0, EXPIRY).owner()).isNull();
    assertThat(TokenClaims.unsigned("v", TokenScope.PLAY, null, 0, EXPIRY).ownerIfPresent())
        .isEmpty();
  }

  @Test
  void new_subSecondExpiry_truncated() {
    assertThat(
            TokenClaims.unsigned("v", TokenScope.PLAY, null, 0, EXPIRY.plusNanos(999_999_999))
                .expiresAt())
        .isEqualTo(EXPIRY);
  }

  @Test
  void new_subjectAtMaxLength_accepted() {
    String subject = "s".repeat(TokenClaims.MAX_SUBJECT_LENGTH);

    assertThat(TokenClaims.unsigned(subject, TokenScope.PLAY, null, 0, EXPIRY).subject())
        .isEqualTo(subject);
  }

  @Test
  void new_invalidValues_rejected() {
    assertThatThrownBy(() -> TokenClaims.unsigned("", TokenScope.PLAY, null, 0, EXPIRY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenClaims.unsigned("  ", TokenScope.PLAY, null, 0, EXPIRY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> TokenClaims.unsigned("s".repeat(129), TokenScope.PLAY, null, 0, EXPIRY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("129");
    assertThatThrownBy(() -> TokenClaims.unsigned("v", TokenScope.PLAY, " ", 0, EXPIRY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenClaims.unsigned("v", TokenScope.PLAY, "o".repeat(129), 0, EXPIRY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenClaims.unsigned("v", TokenScope.PLAY, null, -1, EXPIRY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> new TokenClaims("v", TokenScope.PLAY, null, 0, EXPIRY, "bad id"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenClaims.unsigned(null, TokenScope.PLAY, null, 0, EXPIRY))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("subject");
    assertThatThrownBy(() -> TokenClaims.unsigned("v", null, null, 0, EXPIRY))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scope");
    assertThatThrownBy(() -> TokenClaims.unsigned("v", TokenScope.PLAY, null, 0, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("expiresAt");
  }

  @Test
  void fromWireName_knownAndUnknownNames_exactMatchOnly() {
    assertThat(TokenScope.fromWireName("upload")).contains(TokenScope.UPLOAD);
    assertThat(TokenScope.fromWireName("play")).contains(TokenScope.PLAY);
    assertThat(TokenScope.fromWireName("key")).contains(TokenScope.KEY);
    assertThat(TokenScope.fromWireName("PLAY")).isEmpty();
    assertThat(TokenScope.fromWireName("admin")).isEmpty();
    for (TokenScope scope : TokenScope.values()) {
      assertThat(scope.wireName()).isEqualTo(scope.name().toLowerCase(Locale.ROOT));
    }
  }
}
