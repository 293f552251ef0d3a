package org.reelbox.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UploadMetadataTest {

  @Test
  void parse_validHeader_keepsKeysValuesAndHeader() {
    String header = "filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential,empty ";

    UploadMetadata metadata = UploadMetadata.parse(header);

    assertThat(metadata.keys()).containsExactly("filename", "is_confidential", "empty");
    assertThat(new String(metadata.value("filename"), StandardCharsets.UTF_8))
        .isEqualTo("world_domination_plan.pdf");
    assertThat(metadata.value("is_confidential")).isEmpty();
    assertThat(metadata.header()).isEqualTo(header);
  }

  @Test
  void parse_unpaddedBase64_accepted() {
    assertThat(UploadMetadata.parse("a YQ").value("a")).containsExactly('a');
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a YQ==,a Yg==", // duplicate key
        " YQ==", // empty key
        "a YQ==,", // empty pair at the end
        ",a YQ==", // empty pair at the start
        "a @@@", // not Base64
        "a YR==", // not canonical Base64
        "a Y Q==", // two spaces
        "a YQ== b", // three parts
        "a\tb YQ==", // control character in the key
        "a DQ==", // CR after decoding
        "a Cg==", // LF after decoding
        "a AA==", // NUL after decoding
        "a YWINCmI=", // CR LF inside the value
      })
  void parse_invalid_throwsInvalidMetadataWithoutEchoingTheHeader(String header) {
    assertThatThrownBy(() -> UploadMetadata.parse(header))
        .isInstanceOfSatisfying(
            TusException.class, e -> assertThat(e.error()).isEqualTo(TusError.INVALID_METADATA))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(header));
  }

  @Test
  void parse_tooLong_throws() {
    String header = "a " + "QUFB".repeat(UploadMetadata.MAX_HEADER_CHARS / 4);

    assertThatThrownBy(() -> UploadMetadata.parse(header)).isInstanceOf(TusException.class);
  }
}
