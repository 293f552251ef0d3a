package org.reelbox.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.reelbox.common.error.ErrorCode;

class VertxSupportTest {
  @ParameterizedTest
  @CsvSource({
    "401, UNAUTHORIZED",
    "403, FORBIDDEN",
    "404, NOT_FOUND",
    "405, METHOD_NOT_ALLOWED",
    "413, PAYLOAD_TOO_LARGE",
    "415, UNSUPPORTED_MEDIA_TYPE",
    "400, BAD_REQUEST",
    "431, BAD_REQUEST"
  })
  void codeOf_bareStatus_keepsItsMeaning(int status, ErrorCode expected) {
    assertThat(VertxSupport.codeOf(status)).isEqualTo(expected);
    assertThat(expected.httpStatus()).isEqualTo(status == 431 ? 400 : status);
  }
}
