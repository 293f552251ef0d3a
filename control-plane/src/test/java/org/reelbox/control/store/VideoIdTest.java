package org.reelbox.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VideoIdTest {
  @Test
  void random_manyIds_haveTheFormatAndUseTheWholeAlphabetInEveryPosition() {
    Set<VideoId> ids = new HashSet<>();
    List<Set<Character>> seen = new java.util.ArrayList<>();
    for (int i = 0; i < VideoId.LENGTH; i++) {
      seen.add(new HashSet<>());
    }
    Random seeded = new Random(42);
    for (int n = 0; n < 5000; n++) {
      VideoId id = VideoId.random(seeded);
      ids.add(id);
      for (int i = 0; i < VideoId.LENGTH; i++) {
        seen.get(i).add(id.value().charAt(i));
      }
    }

    assertThat(ids).hasSize(5000);
    // Every position, the last one included, carries 6 random bits: all 64 letters show up.
    for (Set<Character> letters : seen) {
      assertThat(letters).hasSize(64);
    }
    assertThat(VideoId.random().value()).matches("[A-Za-z0-9_-]{11}");
  }

  @Test
  void isValid_variousStrings_acceptsOnly11Base64UrlChars() {
    assertThat(VideoId.isValid("dQw4w9WgXcQ")).isTrue();
    assertThat(VideoId.isValid("-_-_-_-_-_-")).isTrue();
    for (String bad :
        new String[] {
          null,
          "",
          "dQw4w9WgXc",
          "dQw4w9WgXcQQ",
          "dQw4w9WgXc=",
          "dQw4w9WgXc+",
          "dQw4w9WgXc/",
          "dQw4w9WgXc ",
          "dQw4w9WgXcé",
          "../../etc/p"
        }) {
      assertThat(VideoId.isValid(bad)).as("%s", bad).isFalse();
    }
  }

  @Test
  void of_badString_throwsIllegalArgumentNamingIt() {
    assertThatThrownBy(() -> VideoId.of("../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../../etc/passwd");
    assertThatThrownBy(() -> VideoId.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toString_isTheValue() {
    assertThat(VideoId.of("dQw4w9WgXcQ")).hasToString("dQw4w9WgXcQ");
  }
}
