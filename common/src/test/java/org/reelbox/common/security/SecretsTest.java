package org.reelbox.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void randomToken_32bytes_43base64urlCharacters() {
    String token = Secrets.randomToken(32);

    assertThat(token).matches("^[A-Za-z0-9_-]{43}$");
  }

  @Test
  void randomToken_twoCalls_differ() {
    assertThat(Secrets.randomToken(32)).isNotEqualTo(Secrets.randomToken(32));
  }

  @Test
  void randomBytes_n_nBytes() {
    assertThat(Secrets.randomBytes(1)).hasSize(1);
    assertThat(Secrets.randomBytes(64)).hasSize(64);
    assertThat(Secrets.randomBytes(32)).isNotEqualTo(Secrets.randomBytes(32));
  }

  @Test
  void randomBytesAndToken_zeroOrNegative_rejected() {
    assertThatThrownBy(() -> Secrets.randomBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Secrets.randomBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Secrets.randomToken(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes");
  }
}
