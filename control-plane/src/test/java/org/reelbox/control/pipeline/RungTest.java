package org.reelbox.control.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RungTest {
  @Test
  void name_reservedWords_refused() {
    // "src" is the origin's just-in-time rendition: a transcoded one of that name would give its
    // immutable segment URLs two meanings.
    for (String reserved : new String[] {"src", "SRC", "thumbs", "keys"}) {
      assertThatThrownBy(() -> new Rung(reserved, 720, 3_000_000))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reserved");
    }
    assertThat(new Rung("source", 720, 3_000_000).name()).isEqualTo("source");
  }
}
