package org.reelbox.media.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodecsTest {

  @ParameterizedTest(name = "{0} -> {4}")
  @CsvSource({
    // name,                      profile_idc, constraint flags, level_idc, codec string
    "Baseline 3.0 (constrained), 66,  0xe0, 30, avc1.42e01e",
    "Constrained Baseline 3.1,   66,  0xc0, 31, avc1.42c01f",
    "Main 3.0,                   77,  0x40, 30, avc1.4d401e",
    "Main 3.1,                   77,  0x40, 31, avc1.4d401f",
    "Main 4.0,                   77,  0x40, 40, avc1.4d4028",
    "High 3.1,                   100, 0x00, 31, avc1.64001f",
    "High 4.0,                   100, 0x00, 40, avc1.640028",
    "High 4.1,                   100, 0x00, 41, avc1.640029",
    "High 4.2,                   100, 0x00, 42, avc1.64002a",
    "High 5.1,                   100, 0x00, 51, avc1.640033",
  })
  void avc1_profileConstraintsLevel_rfc6381String(
      String name, int profileIdc, String constraintFlags, int levelIdc, String expected) {
    int flags = Integer.decode(constraintFlags);

    assertThat(Codecs.avc1(profileIdc, flags, levelIdc)).isEqualTo(expected);
    assertThat(Codecs.parseAvc(expected)).isEqualTo(new Codecs.Avc(profileIdc, flags, levelIdc));
  }

  @Test
  void parseAvc_upperCaseAndAvc3_accepted() {
    assertThat(Codecs.parseAvc("avc1.64001F")).isEqualTo(new Codecs.Avc(100, 0, 31));
    assertThat(Codecs.parseAvc("avc3.640028")).isEqualTo(new Codecs.Avc(100, 0, 40));
  }

  @Test
  void parseAvc_legacyDecimalForm_profileAndLevel() {
    assertThat(Codecs.parseAvc("avc1.77.30")).isEqualTo(new Codecs.Avc(77, 0, 30));
    assertThat(Codecs.parseAvc("avc1.77.30").codecString()).isEqualTo("avc1.4d001e");
  }

  @Test
  void parseAvc_notH264_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Codecs.parseAvc("mp4a.40.2"))
        .withMessageContaining("mp4a.40.2");
    assertThatIllegalArgumentException().isThrownBy(() -> Codecs.parseAvc("avc1.64001"));
    assertThatIllegalArgumentException().isThrownBy(() -> Codecs.parseAvc("avc1.64001g"));
  }

  @Test
  void avc1_outOfByteRange_throwsWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Codecs.avc1(256, 0, 31))
        .withMessageContaining("profileIdc")
        .withMessageContaining("256");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Codecs.avc1(100, -1, 31))
        .withMessageContaining("-1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "mp4a.40.2,  64, 2",
    "mp4a.40.5,  64, 5",
    "mp4a.40.29, 64, 29",
    "mp4a.40.34, 64, 34",
    "mp4a.69,    105, 0",
    "mp4a.6b,    107, 0",
  })
  void parseMp4a_codecString_objectTypes(String codec, int objectTypeIndication, int aot) {
    Codecs.Mp4a parsed = Codecs.parseMp4a(codec);

    assertThat(parsed).isEqualTo(new Codecs.Mp4a(objectTypeIndication, aot));
    assertThat(parsed.codecString()).isEqualTo(codec);
  }

  @Test
  void mp4a_aacLc_mp4a402() {
    assertThat(Codecs.mp4a(Codecs.AUDIO_OBJECT_TYPE_AAC_LC)).isEqualTo("mp4a.40.2");
    assertThat(Codecs.AAC_LC).isEqualTo("mp4a.40.2");
    assertThat(Codecs.mp4a(Codecs.AUDIO_OBJECT_TYPE_HE_AAC_V2)).isEqualTo("mp4a.40.29");
  }

  @Test
  void mp4a_badObjectType_throwsWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Codecs.mp4a(0))
        .withMessageContaining("0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Codecs.mp4a(96))
        .withMessageContaining("96");
    assertThatIllegalArgumentException().isThrownBy(() -> Codecs.parseMp4a("mp4a.4"));
  }

  @Test
  void splitAndJoin_codecsAttribute_roundTrip() {
    assertThat(Codecs.split("avc1.640029,mp4a.40.2")).containsExactly("avc1.640029", "mp4a.40.2");
    assertThat(Codecs.join(List.of("avc1.640029", "mp4a.40.2"))).isEqualTo("avc1.640029,mp4a.40.2");
  }

  @Test
  void join_codecWithComma_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Codecs.join(List.of("avc1.640029,mp4a.40.2")))
        .withMessageContaining("avc1.640029,mp4a.40.2");
  }
}
