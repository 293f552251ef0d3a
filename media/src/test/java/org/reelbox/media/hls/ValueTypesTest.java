package org.reelbox.media.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The checks in the compact constructors, and the values derived from the components. */
class ValueTypesTest {

  @Test
  void segment_negativeDuration_throwsWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Segment.of("a.ts", -1))
        .withMessage("durationUs must not be negative: -1");
  }

  @Test
  void segment_badUri_throwsWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Segment.of("", 1))
        .withMessage("uri must not be empty");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Segment.of("#a.ts", 1))
        .withMessageContaining("#a.ts");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Segment.of(" a.ts", 1))
        .withMessageContaining("' a.ts'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Segment.of("a\n.ts", 1))
        .withMessageContaining("U+000A");
  }

  @Test
  void segment_titleWithNewline_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Segment.of("a.ts", 1).withTitle("x\ny"))
        .withMessageContaining("title");
  }

  @Test
  void byteRange_badValues_throwWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ByteRange(0, 0))
        .withMessage("lengthBytes must be greater than 0: 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ByteRange(1, -5))
        .withMessage("offsetBytes must not be negative: -5");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ByteRange(Long.MAX_VALUE, 1))
        .withMessageContaining("past Long.MAX_VALUE");
  }

  @Test
  void targetDurationSeconds_maxDuration_roundedToNearestHalfUp() {
    assertThat(playlistOf(6_006_000, 3_000_000).targetDurationSeconds()).isEqualTo(6);
    assertThat(playlistOf(6_499_999).targetDurationSeconds()).isEqualTo(6);
    assertThat(playlistOf(6_500_000).targetDurationSeconds()).isEqualTo(7);
    assertThat(playlistOf(10_000_000).targetDurationSeconds()).isEqualTo(10);
    assertThat(playlistOf().targetDurationSeconds()).isZero();
  }

  @Test
  void builder_noVersion_minimumForContent() {
    assertThat(playlistOf(10_000_000).version()).isEqualTo(1);
    assertThat(playlistOf(6_006_000).version()).isEqualTo(3);
    assertThat(TestPlaylists.iFrames().version()).isEqualTo(4);
    assertThat(
            MediaPlaylist.builder()
                .encryptionKey(EncryptionKey.aes128("k", new byte[16]))
                .addSegment(Segment.of("a.ts", 10_000_000))
                .build()
                .version())
        .isEqualTo(2);
    assertThat(
            MediaPlaylist.builder()
                .addSegment(Segment.of("a.ts", 10_000_000).withByteRange(new ByteRange(1, 0)))
                .build()
                .version())
        .isEqualTo(4);
  }

  @Test
  void mediaPlaylist_versionTooLow_throwsWithBoth() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> MediaPlaylist.builder().version(2).addSegment(Segment.of("a", 6_006_000)).build())
        .withMessage("version 2 is too low for this playlist, which needs at least 3");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TestPlaylists.iFrames().toBuilder().version(3).build())
        .withMessageContaining("needs at least 4");
  }

  @Test
  void mediaPlaylist_iFramesOnlyWithoutByteRange_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                MediaPlaylist.builder()
                    .iFramesOnly(true)
                    .addSegment(Segment.of("a.ts", 1_000_000))
                    .build())
        .withMessageContaining("a.ts");
  }

  @Test
  void mediaPlaylist_negativeMediaSequence_throwsWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MediaPlaylist.builder().mediaSequence(-3).build())
        .withMessageContaining("-3");
  }

  @Test
  void mediaPlaylist_segments_copiedAndUnmodifiable() {
    List<Segment> segments = new ArrayList<>(List.of(Segment.of("a.ts", 1)));
    MediaPlaylist playlist =
        new MediaPlaylist(
            3, 0, Optional.empty(), false, false, Optional.empty(), segments, /* endList= */ true);
    segments.add(Segment.of("b.ts", 1));

    assertThat(playlist.segments()).hasSize(1);
    assertThatThrownBy(() -> playlist.segments().add(Segment.of("c.ts", 1)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toBuilder_sameValues_equalPlaylist() {
    MediaPlaylist playlist = TestPlaylists.encrypted();

    assertThat(playlist.toBuilder().build()).isEqualTo(playlist);
  }

  @Test
  void encryptionKey_ivForSegment_explicitOrSequenceNumber() {
    byte[] iv = HexFormat.of().parseHex("9c7db8778570d05c3177c349fd9236aa");
    assertThat(EncryptionKey.aes128("k", iv).ivForSegment(42)).isEqualTo(iv);
    assertThat(HexFormat.of().formatHex(EncryptionKey.aes128("k").ivForSegment(0x1234)))
        .isEqualTo("00000000000000000000000000001234");
  }

  @Test
  void encryptionKey_badIv_throwsWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EncryptionKey.aes128("k", new byte[8]))
        .withMessage("iv must be 16 bytes, got 8");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new EncryptionKey("k", Optional.of(BigInteger.valueOf(-1))))
        .withMessageContaining("-1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EncryptionKey.aes128("k\"x"))
        .withMessageContaining("double quote");
  }

  @Test
  void variant_badBandwidth_throwsWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Variant.builder("a.m3u8", 0).build())
        .withMessage("bandwidthBps must be greater than 0: 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Variant.builder("a.m3u8", 1).averageBandwidthBps(-2).build())
        .withMessage("averageBandwidthBps must be greater than 0: -2");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new IFrameVariant("i.m3u8", -1, OptionalLong.empty(), List.of(), null))
        .withMessage("bandwidthBps must be greater than 0: -1");
  }

  @Test
  void variant_badResolution_throwsWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Variant.builder("a.m3u8", 1).resolution(1280, 0).build())
        .withMessage("height must be greater than 0: 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Resolution(-1, 720))
        .withMessage("width must be greater than 0: -1");
  }

  @Test
  void variant_frameRate_roundedToThreeDecimals() {
    assertThat(Variant.builder("a", 1).frameRate(30_000 / 1_001.0).build().frameRate())
        .isEqualTo(OptionalDouble.of(29.97));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Variant.builder("a", 1).frameRate(0).build())
        .withMessageContaining("0.0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Variant.builder("a", 1).frameRate(0.0001).build())
        .withMessageContaining("rounds to 0");
  }

  @Test
  void variant_badCodec_throwsWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Variant.builder("a", 1).codecs("avc1.640029 ").build())
        .withMessageContaining("'avc1.640029 '");
  }

  @Test
  void rendition_defaultNotAutoselect_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new Rendition(
                    Rendition.Type.AUDIO,
                    "a",
                    "English",
                    Optional.empty(),
                    /* isDefault= */ true,
                    /* autoselect= */ false,
                    Optional.empty()))
        .withMessageContaining("English");
  }

  @Test
  void rendition_emptyGroupId_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Rendition.builder(Rendition.Type.AUDIO, "", "English").build())
        .withMessage("groupId must not be empty");
  }

  @Test
  void masterPlaylist_unknownAudioGroup_throwsWithIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new MasterPlaylist(
                    1,
                    false,
                    List.of(),
                    List.of(Variant.builder("a.m3u8", 1).audioGroupId("aac").build()),
                    List.of()))
        .withMessage("variant a.m3u8 names AUDIO group aac, which has no renditions");
  }

  @Test
  void masterPlaylist_subtitlesGroupOfAudioRenditions_throws() {
    Rendition audio = Rendition.builder(Rendition.Type.AUDIO, "g", "English").build();

    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new MasterPlaylist(
                    1,
                    false,
                    List.of(audio),
                    List.of(Variant.builder("a.m3u8", 1).subtitlesGroupId("g").build()),
                    List.of()))
        .withMessageContaining("SUBTITLES group g");
  }

  @Test
  void masterPlaylist_groupRules_enforced() {
    Rendition english = Rendition.builder(Rendition.Type.AUDIO, "g", "English").build();
    Rendition defaultA = Rendition.builder(Rendition.Type.AUDIO, "g", "A").isDefault(true).build();
    Rendition defaultB = Rendition.builder(Rendition.Type.AUDIO, "g", "B").isDefault(true).build();
    List<Variant> variants = List.of(Variant.builder("a.m3u8", 1).build());

    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new MasterPlaylist(1, false, List.of(english, english), variants, List.of()))
        .withMessage("NAME English appears twice in AUDIO group g");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new MasterPlaylist(1, false, List.of(defaultA, defaultB), variants, List.of()))
        .withMessage("AUDIO group g has more than one DEFAULT rendition");
  }

  @Test
  void masterPlaylist_noVariants_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new MasterPlaylist(1, false, List.of(), List.of(), List.of()))
        .withMessageContaining("at least one variant");
  }

  private static MediaPlaylist playlistOf(long... durationsUs) {
    MediaPlaylist.Builder builder = MediaPlaylist.builder();
    for (int i = 0; i < durationsUs.length; i++) {
      builder.addSegment(Segment.of(i + ".ts", durationsUs[i]));
    }
    return builder.build();
  }
}
