package org.reelbox.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(4);

  @Test
  void hash_thenVerify_matchesOnlyTheSamePassword() {
    String hash = hasher.hash("correct horse battery staple");

    assertThat(hash).startsWith("$2a$04$").hasSize(60);
    assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
    assertThat(hasher.verify("correct horse battery stapl", hash)).isFalse();
    assertThat(hasher.verify("", hash)).isFalse();
  }

  @Test
  void hash_samePasswordTwice_differsBySalt() {
    assertThat(hasher.hash("pässwörd 🔑")).isNotEqualTo(hasher.hash("pässwörd 🔑"));
  }

  @Test
  void hash_unicodePassword_verifies() {
    String hash = hasher.hash("pässwörd 🔑");

    assertThat(hasher.verify("pässwörd 🔑", hash)).isTrue();
    assertThat(hasher.verify("passwörd 🔑", hash)).isFalse();
  }

  @Test
  void hash_over72Bytes_throwsWithoutShowingIt() {
    String tooLong = "é".repeat(37); // 74 bytes in UTF-8

    assertThatThrownBy(() -> hasher.hash(tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("74")
        .hasMessageNotContaining(tooLong);
    assertThat(hasher.hash("x".repeat(72))).isNotBlank();
  }

  @Test
  void hash_empty_throwsIllegalArgument() {
    assertThatThrownBy(() -> hasher.hash("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_malformedHashOrOverlongPassword_returnsFalse() {
    String hash = hasher.hash("secret");

    assertThat(hasher.verify("secret", "not a bcrypt hash")).isFalse();
    assertThat(hasher.verify("secret", "")).isFalse();
    assertThat(hasher.verify("secret", hash.substring(0, 30))).isFalse();
    assertThat(hasher.verify("x".repeat(100), hash)).isFalse();
  }

  @Test
  void constructor_costOutOfRange_throwsIllegalArgument() {
    assertThatThrownBy(() -> new PasswordHasher(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PasswordHasher(32)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new PasswordHasher().cost()).isEqualTo(12);
  }
}
