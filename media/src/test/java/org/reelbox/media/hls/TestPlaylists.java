package org.reelbox.media.hls;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The sample playlists of the golden-file and round-trip tests. */
final class TestPlaylists {
  private TestPlaylists() {}

  static final String HIGH_4_0 = Codecs.avc1(Codecs.PROFILE_HIGH, 0x00, 40);
  static final String HIGH_3_1 = Codecs.avc1(Codecs.PROFILE_HIGH, 0x00, 31);
  static final String MAIN_3_1 = Codecs.avc1(Codecs.PROFILE_MAIN, 0x40, 31);
  static final String BASELINE_3_0 = Codecs.avc1(Codecs.PROFILE_BASELINE, 0xe0, 30);

  /** A 720p rendition: 29.97 fps, 180-frame GOPs, so 6.006 s segments. */
  static MediaPlaylist media720p() {
    return MediaPlaylist.builder()
        .independentSegments(true)
        .addSegment(Segment.of("0.ts", 6_006_000))
        .addSegment(Segment.of("1.ts", 6_006_000))
        .addSegment(Segment.of("2.ts", 6_006_000))
        .addSegment(Segment.of("3.ts", 3_036_700))
        .build();
  }

  /** The I-frame playlist of the 720p rendition: one I-frame every 2.002 s, as byte ranges. */
  static MediaPlaylist iFrames() {
    return MediaPlaylist.builder()
        .iFramesOnly(true)
        .independentSegments(true)
        .addSegment(Segment.of("0.ts", 2_002_000).withByteRange(new ByteRange(44_932, 376)))
        .addSegment(Segment.of("0.ts", 2_002_000).withByteRange(new ByteRange(42_676, 519_080)))
        .addSegment(Segment.of("0.ts", 2_002_000).withByteRange(new ByteRange(43_240, 1_032_736)))
        .addSegment(Segment.of("1.ts", 2_002_000).withByteRange(new ByteRange(45_120, 376)))
        .addSegment(Segment.of("1.ts", 1_034_700).withByteRange(new ByteRange(41_924, 502_536)))
        .build();
  }

  /** AES-128 with an explicit IV, a titled segment and a discontinuity (an inserted clip). */
  static MediaPlaylist encrypted() {
    return MediaPlaylist.builder()
        .mediaSequence(1)
        .encryptionKey(
            EncryptionKey.aes128(
                "/t/abc/v/v42/key", HexFormat.of().parseHex("9c7db8778570d05c3177c349fd9236aa")))
        .addSegment(Segment.of("1.ts", 4_004_000).withTitle("intro"))
        .addSegment(Segment.of("2.ts", 4_004_000))
        .addSegment(Segment.of("3.ts", 4_004_000).withDiscontinuity(true).withTitle("clip, part 2"))
        .addSegment(Segment.of("4.ts", 1_501_500))
        .build();
  }

  /** A four-rung ladder with two audio languages, subtitles and I-frame playlists. */
  static MasterPlaylist master() {
    List<Rendition> renditions =
        List.of(
            Rendition.builder(Rendition.Type.AUDIO, "aac", "English")
                .language("en")
                .isDefault(true)
                .uri("audio/en/index.m3u8")
                .build(),
            Rendition.builder(Rendition.Type.AUDIO, "aac", "Deutsch")
                .language("de")
                .autoselect(true)
                .uri("audio/de/index.m3u8")
                .build(),
            Rendition.builder(Rendition.Type.SUBTITLES, "subs", "English")
                .language("en")
                .uri("subs/en/index.m3u8")
                .build());
    List<Variant> variants =
        List.of(
            variant("1080p", 6_000_000, 5_100_000, HIGH_4_0, 1920, 1080),
            variant("720p", 3_300_000, 2_800_000, HIGH_3_1, 1280, 720),
            variant("480p", 1_500_000, 1_250_000, MAIN_3_1, 854, 480),
            variant("360p", 800_000, 650_000, BASELINE_3_0, 640, 360));
    List<IFrameVariant> iFrameVariants =
        List.of(
            iFrameVariant("1080p", 600_000, HIGH_4_0, 1920, 1080),
            iFrameVariant("720p", 330_000, HIGH_3_1, 1280, 720));
    return new MasterPlaylist(
        /* version= */ 4, /* independentSegments= */ true, renditions, variants, iFrameVariants);
  }

  private static Variant variant(
      String name, long bandwidthBps, long averageBps, String videoCodec, int width, int height) {
    return Variant.builder(name + "/index.m3u8", bandwidthBps)
        .averageBandwidthBps(averageBps)
        .codecs(videoCodec, Codecs.AAC_LC)
        .resolution(width, height)
        .frameRate(30_000 / 1_001.0)
        .audioGroupId("aac")
        .subtitlesGroupId("subs")
        .build();
  }

  private static IFrameVariant iFrameVariant(
      String name, long bandwidthBps, String codec, int width, int height) {
    return new IFrameVariant(
        name + "/iframes.m3u8",
        bandwidthBps,
        OptionalLong.empty(),
        List.of(codec),
        Optional.of(new Resolution(width, height)));
  }
}
