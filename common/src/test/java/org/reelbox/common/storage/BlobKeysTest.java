package org.reelbox.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeysTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "originals/v1/source",
        "hls/abc/720p/index.m3u8",
        "hls/abc/720p/00001.ts",
        "temp/v_1/chunk-003.mp4",
        "a..b",
        "x.",
        "-rf",
        "_",
        "A-Z_a-z.0-9",
      })
  void requireValid_validKey_returnsIt(String key) {
    assertThat(BlobKeys.requireValid(key)).isEqualTo(key);
    assertThat(BlobKeys.isValid(key)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/",
        "../x",
        "..",
        ".",
        "a/../b",
        "a/..",
        "/abs",
        "a//b",
        "a/./b",
        ".hidden",
        "a/.hidden",
        "a\\b",
        "..\\x",
        "a%2Fb",
        "%2e%2e/x",
        "a/b/",
        "a\u0000b",
        "a b",
        "a\tb",
        "a\nb",
        "a:b",
        "C:/x",
        "a?b",
        "a#b",
        "a*b",
        "caf\u00e9",
        "\uff0e\uff0e/x",
      })
  void requireValid_invalidKey_throwsIllegalArgument(String key) {
    assertThatThrownBy(() -> BlobKeys.requireValid(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid blob key \"");
    assertThat(BlobKeys.isValid(key)).isFalse();
  }

  @Test
  void requireValid_null_throwsNullPointer() {
    assertThatThrownBy(() -> BlobKeys.requireValid(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key");
  }

  @Test
  void requireValid_maxLength_accepted() {
    String key = "a/".repeat(511) + "bc"; // 1024 characters
    assertThat(key).hasSize(BlobKeys.MAX_LENGTH);
    assertThat(BlobKeys.requireValid(key)).isEqualTo(key);
  }

  @Test
  void requireValid_overMaxLength_throwsNamingLength() {
    String key = "a".repeat(BlobKeys.MAX_LENGTH + 1);
    assertThatThrownBy(() -> BlobKeys.requireValid(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1025 characters")
        // The quoted key is cut, so a huge key does not flood the logs.
        .hasMessageContaining("...\"");
  }

  @Test
  void requireValid_controlCharacter_escapedInMessage() {
    assertThatThrownBy(() -> BlobKeys.requireValid("a\u0000b\nc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"a\\u0000b\\u000ac\"")
        .hasMessageNotContaining("\u0000")
        .hasMessageNotContaining("\n");
  }

  @Test
  void requireValid_dotDot_messageSaysWhy() {
    assertThatThrownBy(() -> BlobKeys.requireValid("a/../b"))
        .hasMessage("invalid blob key \"a/../b\": segment 2 starts with '.'");
  }

  @Test
  void requireValid_emptySegment_messageSaysWhy() {
    assertThatThrownBy(() -> BlobKeys.requireValid("a//b")).hasMessageContaining("empty segment");
    assertThatThrownBy(() -> BlobKeys.requireValid("/a")).hasMessageContaining("start with '/'");
    assertThatThrownBy(() -> BlobKeys.requireValid("a/")).hasMessageContaining("end with '/'");
  }

  @Test
  void requireValid_percent_messageNamesCharacter() {
    assertThatThrownBy(() -> BlobKeys.requireValid("a%2Fb"))
        .hasMessageContaining("character '%' at index 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "hls", "hls/", "hls/ab", "hls/abc/", "hls/abc/720p/1.ts", "a.", "a-"})
  void requireValidPrefix_validPrefix_returnsIt(String prefix) {
    assertThat(BlobKeys.requireValidPrefix(prefix)).isEqualTo(prefix);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/", "//", "a//", "/a", "../", "..", ".", "a/./", "a/../", ".h", "a\\", "a%2F", "%2e%2e/",
        "a\u0000", "a b/"
      })
  void requireValidPrefix_invalidPrefix_throwsIllegalArgument(String prefix) {
    assertThatThrownBy(() -> BlobKeys.requireValidPrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid blob key prefix \"");
  }

  @Test
  void requireValidPrefix_overMaxLength_throws() {
    String prefix = "a".repeat(BlobKeys.MAX_LENGTH) + "/";
    assertThatThrownBy(() -> BlobKeys.requireValidPrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 1024");
  }
}
