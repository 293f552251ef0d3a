package org.reelbox.control.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class UiLocaleTest {
  @Test
  void theSwitchersCookieWins() {
    assertThat(UiLocale.resolve(Optional.of("ja"), Optional.of("ko-KR,ko;q=0.9"))).isEqualTo("ja");
  }

  @Test
  void acceptLanguagePicksTheBestSupportedLanguage() {
    assertThat(UiLocale.resolve(Optional.empty(), Optional.of("ko-KR,ko;q=0.9,en;q=0.5")))
        .isEqualTo("ko");
    assertThat(UiLocale.resolve(Optional.empty(), Optional.of("fr-FR, ja;q=0.7, en;q=0.3")))
        .isEqualTo("ja");
  }

  @Test
  void anythingElseFallsToEnglish() {
    assertThat(UiLocale.resolve(Optional.of("xx"), Optional.of("fr, de;q=0.5"))).isEqualTo("en");
    assertThat(UiLocale.resolve(Optional.empty(), Optional.of(";;;q=x,,"))).isEqualTo("en");
    assertThat(UiLocale.resolve(Optional.empty(), Optional.empty())).isEqualTo("en");
  }
}
