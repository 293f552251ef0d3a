package org.reelbox.common.playback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  @ParameterizedTest
  @CsvSource({
    "'bytes=0-99', 0, 100",
    "'bytes=0-0', 0, 1",
    "'bytes=990-', 990, 10",
    "'bytes=-10', 990, 10",
    "'bytes=-5000', 0, 1000",
    "'bytes=500-99999999999999999999999', 500, 500",
    "'BYTES=1-2', 1, 2",
    "'bytes= 3-4 ', 3, 2",
  })
  void parse_satisfiable_partial(String header, long first, long length) {
    assertThat(ByteRange.parse(header, 1000))
        .isEqualTo(new ByteRange.Partial(new ByteRange(first, length)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"bytes=1000-", "bytes=1000-1000", "bytes=-0", "bytes=99999999999999999999-"})
  void parse_unsatisfiable_416(String header) {
    assertThat(ByteRange.parse(header, 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "bytes",
        "bytes=",
        "bytes=-",
        "bytes=a-b",
        "bytes=5-2",
        "bytes=0-1,3-4",
        "items=0-1",
        "bytes=+1-2",
        "bytes=0x10-",
        "bytes=--1",
        "bytes 0-1"
      })
  void parse_absentOrMalformed_full(String header) {
    assertThat(ByteRange.parse(header, 1000)).isInstanceOf(ByteRange.Full.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-", "bytes=-1"})
  void parse_emptyRepresentation_full(String header) {
    assertThat(ByteRange.parse(header, 0)).isInstanceOf(ByteRange.Full.class);
  }
}
