package org.reelbox.media.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlaylistParserTest {

  // What `ffmpeg -i in.mp4 -c:v libx264 -c:a aac -f hls -hls_time 4 -hls_playlist_type vod
  // -hls_segment_filename seg_%03d.ts index.m3u8` writes (libavformat/hlsplaylist.c).
  private static final String FFMPEG_VOD =
      """
      #EXTM3U
      #EXT-X-VERSION:3
      #EXT-X-TARGETDURATION:4
      #EXT-X-MEDIA-SEQUENCE:0
      #EXT-X-PLAYLIST-TYPE:VOD
      #EXTINF:4.004000,
      seg_000.ts
      #EXTINF:4.004000,
      seg_001.ts
      #EXTINF:3.837167,
      seg_002.ts
      #EXTINF:4.170833,
      seg_003.ts
      #EXTINF:1.301300,
      seg_004.ts
      #EXT-X-ENDLIST
      """;

  @Test
  void parse_ffmpegVod_readsEverySegment() throws Exception {
    MediaPlaylist playlist = PlaylistParser.parseMedia(FFMPEG_VOD);

    assertThat(playlist.version()).isEqualTo(3);
    assertThat(playlist.playlistType()).contains(PlaylistType.VOD);
    assertThat(playlist.endList()).isTrue();
    assertThat(playlist.mediaSequence()).isZero();
    assertThat(playlist.targetDurationSeconds()).isEqualTo(4);
    assertThat(playlist.segments())
        .extracting(Segment::uri, Segment::durationUs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("seg_000.ts", 4_004_000L),
            org.assertj.core.groups.Tuple.tuple("seg_001.ts", 4_004_000L),
            org.assertj.core.groups.Tuple.tuple("seg_002.ts", 3_837_167L),
            org.assertj.core.groups.Tuple.tuple("seg_003.ts", 4_170_833L),
            org.assertj.core.groups.Tuple.tuple("seg_004.ts", 1_301_300L));
    assertThat(playlist.durationUs()).isEqualTo(17_317_300L);
  }

  @Test
  void parse_ffmpegVod_rewritesIdentically() throws Exception {
    // Same layout as FFmpeg's, so the writer reproduces FFmpeg's bytes.
    assertThat(PlaylistWriter.write(PlaylistParser.parseMedia(FFMPEG_VOD))).isEqualTo(FFMPEG_VOD);
  }

  @Test
  void parse_ffmpegLiveWithAllowCacheAndDateTimes_ignoresThem() throws Exception {
    // -hls_allow_cache 1 -hls_flags independent_segments+program_date_time, still running.
    String text =
        """
        #EXTM3U
        #EXT-X-VERSION:6
        #EXT-X-ALLOW-CACHE:YES
        #EXT-X-TARGETDURATION:6
        #EXT-X-MEDIA-SEQUENCE:12
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXTINF:6.000000,
        #EXT-X-PROGRAM-DATE-TIME:2024-05-01T10:01:12.000+0000
        out12.ts
        #EXTINF:6.000000,
        #EXT-X-PROGRAM-DATE-TIME:2024-05-01T10:01:18.000+0000
        out13.ts
        """;

    MediaPlaylist playlist = PlaylistParser.parseMedia(text);

    assertThat(playlist.version()).isEqualTo(6);
    assertThat(playlist.mediaSequence()).isEqualTo(12);
    assertThat(playlist.independentSegments()).isTrue();
    assertThat(playlist.playlistType()).isEmpty();
    assertThat(playlist.endList()).isFalse();
    assertThat(playlist.segments())
        .extracting(Segment::uri)
        .containsExactly("out12.ts", "out13.ts");
  }

  @Test
  void parse_ffmpegEncryptedWithoutIv_oneKeyWithoutIv() throws Exception {
    // -hls_enc 1 with no -hls_enc_iv: FFmpeg writes a key before every segment, its IV the
    // segment's media sequence number, which is what a key without an IV means.
    String text =
        """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:4
        #EXT-X-MEDIA-SEQUENCE:5
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXT-X-KEY:METHOD=AES-128,URI="index.m3u8.key",IV=0x00000000000000000000000000000005
        #EXTINF:4.000000,
        index5.ts
        #EXT-X-KEY:METHOD=AES-128,URI="index.m3u8.key",IV=0x00000000000000000000000000000006
        #EXTINF:4.000000,
        index6.ts
        #EXT-X-KEY:METHOD=AES-128,URI="index.m3u8.key",IV=0x00000000000000000000000000000007
        #EXTINF:2.000000,
        index7.ts
        #EXT-X-ENDLIST
        """;

    MediaPlaylist playlist = PlaylistParser.parseMedia(text);

    assertThat(playlist.encryptionKey()).contains(EncryptionKey.aes128("index.m3u8.key"));
    assertThat(playlist.encryptionKey().get().ivForSegment(6))
        .isEqualTo(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6});
  }

  @Test
  void parse_ffmpegEncryptedWithIv_oneKeyWithIt() throws Exception {
    String text =
        """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:4
        #EXT-X-MEDIA-SEQUENCE:0
        #EXT-X-KEY:METHOD=AES-128,URI="https://keys.example/k1",IV=0X9C7DB8778570D05C3177C349FD9236AA
        #EXTINF:4.000000,
        a.ts
        #EXTINF:4.000000,
        b.ts
        """;

    MediaPlaylist playlist = PlaylistParser.parseMedia(text);

    assertThat(playlist.encryptionKey().flatMap(EncryptionKey::iv))
        .contains(new BigInteger("9c7db8778570d05c3177c349fd9236aa", 16));
  }

  @Test
  void parse_ffmpegSingleFile_byteRanges() throws Exception {
    // -hls_flags single_file
    String text =
        """
        #EXTM3U
        #EXT-X-VERSION:4
        #EXT-X-TARGETDURATION:4
        #EXT-X-MEDIA-SEQUENCE:0
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXTINF:4.004000,
        #EXT-X-BYTERANGE:1001876@0
        out.ts
        #EXTINF:4.004000,
        #EXT-X-BYTERANGE:987948@1001876
        out.ts
        #EXT-X-ENDLIST
        """;

    MediaPlaylist playlist = PlaylistParser.parseMedia(text);

    assertThat(playlist.segments())
        .extracting(segment -> segment.byteRange().orElseThrow())
        .containsExactly(new ByteRange(1_001_876, 0), new ByteRange(987_948, 1_001_876));
  }

  @Test
  void parse_ffmpegMaster_readsVariantsAndAudioGroup() throws Exception {
    // -master_pl_name master.m3u8 -var_stream_map "v:0,agroup:aud v:1,agroup:aud a:0,agroup:aud"
    String text =
        """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_aud",NAME="audio_0",DEFAULT=YES,CHANNELS="2",URI="stream_2.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=5605600,RESOLUTION=1920x1080,CODECS="avc1.640028,mp4a.40.2",AUDIO="group_aud"
        stream_0.m3u8

        #EXT-X-STREAM-INF:BANDWIDTH=3140800,AVERAGE-BANDWIDTH=2750000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="group_aud"
        stream_1.m3u8

        #EXT-X-STREAM-INF:BANDWIDTH=140800,CODECS="mp4a.40.2",AUDIO="group_aud"
        stream_2.m3u8

        """;

    MasterPlaylist playlist = PlaylistParser.parseMaster(text);

    assertThat(playlist.version()).isEqualTo(3);
    assertThat(playlist.renditions())
        .containsExactly(
            // DEFAULT=YES with no AUTOSELECT reads as AUTOSELECT=YES.
            Rendition.builder(Rendition.Type.AUDIO, "group_aud", "audio_0")
                .isDefault(true)
                .uri("stream_2.m3u8")
                .build());
    assertThat(playlist.variants())
        .containsExactly(
            Variant.builder("stream_0.m3u8", 5_605_600)
                .resolution(1920, 1080)
                .codecs("avc1.640028", "mp4a.40.2")
                .audioGroupId("group_aud")
                .build(),
            Variant.builder("stream_1.m3u8", 3_140_800)
                .averageBandwidthBps(2_750_000)
                .resolution(1280, 720)
                .codecs("avc1.64001f", "mp4a.40.2")
                .audioGroupId("group_aud")
                .build(),
            Variant.builder("stream_2.m3u8", 140_800)
                .codecs("mp4a.40.2")
                .audioGroupId("group_aud")
                .build());
  }

  @Test
  void parse_unknownTagsCommentsBlankLinesAndCrlf_ignored() throws Exception {
    String text =
        "#EXTM3U\r\n"
            + "# written by hand\r\n"
            + "#EXT-X-VERSION:3\r\n"
            + "#EXT-X-TARGETDURATION:6\r\n"
            + "#EXT-X-SOMETHING-NEW:FOO=BAR\r\n"
            + "\r\n"
            + "#EXT-X-CUE-OUT:30\r\n"
            + "#EXTINF:5.5,Title with spaces\r\n"
            + "#EXT-X-GAP-OR-WHATEVER\r\n"
            + "a.ts\r\n"
            + "#EXT-X-DISCONTINUITY-SEQUENCE:0\r\n"
            + "#EXT-X-ENDLIST\r\n";

    MediaPlaylist playlist = PlaylistParser.parseMedia(text);

    assertThat(playlist.segments())
        .containsExactly(Segment.of("a.ts", 5_500_000).withTitle("Title with spaces"));
    assertThat(playlist.endList()).isTrue();
  }

  @Test
  void parse_unknownAttributes_ignored() throws Exception {
    String text =
        """
        #EXTM3U
        #EXT-X-STREAM-INF:PROGRAM-ID=1,BANDWIDTH=1000,HDCP-LEVEL=NONE,CLOSED-CAPTIONS=NONE,X-NEW="y"
        a.m3u8
        """;

    MasterPlaylist playlist = PlaylistParser.parseMaster(text);

    assertThat(playlist.variants()).containsExactly(Variant.builder("a.m3u8", 1000).build());
  }

  @Test
  void parse_byteRangeWithoutOffset_continuesPreviousSubRange() throws Exception {
    String text =
        """
        #EXTM3U
        #EXT-X-VERSION:4
        #EXT-X-TARGETDURATION:4
        #EXTINF:4,
        #EXT-X-BYTERANGE:1000@500
        all.ts
        #EXT-X-BYTERANGE:2000
        #EXTINF:4,
        all.ts
        """;

    MediaPlaylist playlist = PlaylistParser.parseMedia(text);

    assertThat(playlist.segments().get(1).byteRange()).contains(new ByteRange(2000, 1500));
  }

  @Test
  void parse_codecsWithSpaceAfterComma_trimmed() throws Exception {
    String text =
        """
        #EXTM3U
        #EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS="avc1.4d401f, mp4a.40.2",FRAME-RATE=25
        a.m3u8
        """;

    Variant variant = PlaylistParser.parseMaster(text).variants().get(0);

    assertThat(variant.codecs()).containsExactly("avc1.4d401f", "mp4a.40.2");
    assertThat(variant.frameRate()).isEqualTo(OptionalDouble.of(25.0));
  }

  @Test
  void parse_iFrameStreamInf_readsUriAttribute() throws Exception {
    String text =
        """
        #EXTM3U
        #EXT-X-STREAM-INF:BANDWIDTH=1000
        a.m3u8
        #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100,AVERAGE-BANDWIDTH=90,RESOLUTION=640x360,URI="a/iframes.m3u8"
        """;

    assertThat(PlaylistParser.parseMaster(text).iFrameVariants())
        .containsExactly(
            new IFrameVariant(
                "a/iframes.m3u8",
                100,
                OptionalLong.of(90),
                List.of(),
                Optional.of(new Resolution(640, 360))));
  }

  @Test
  void parse_extinfDurationPastMicroseconds_roundedHalfUp() throws Exception {
    String text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXTINF:3.0000005,\na.ts\n";

    assertThat(PlaylistParser.parseMedia(text).segments().get(0).durationUs()).isEqualTo(3_000_001);
  }

  @Test
  void parse_durationAtHalfSecondAboveTarget_accepted() throws Exception {
    // FFmpeg's lrint() rounds 6.5 to 6 (ties to even); RFC 8216 §4.3.3.1 says only "nearest".
    String text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.5,\na.ts\n";

    MediaPlaylist playlist = PlaylistParser.parseMedia(text);

    assertThat(playlist.targetDurationSeconds()).isEqualTo(7); // the writer rounds up
  }

  @Test
  void parse_noVersionTag_version1() throws Exception {
    String text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n#EXT-X-ENDLIST\n";

    assertThat(PlaylistParser.parse(text)).isInstanceOf(MediaPlaylist.class);
    assertThat(PlaylistParser.parseMedia(text).version()).isEqualTo(1);
  }

  @Test
  void parse_keyMethodNoneBeforeSegments_noKey() throws Exception {
    String text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-KEY:METHOD=NONE\n#EXTINF:10,\na.ts\n";

    assertThat(PlaylistParser.parseMedia(text).encryptionKey()).isEmpty();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        bad("no header", "#EXT-X-VERSION:3\n", 1, "#EXTM3U"),
        bad("empty text", "", 1, "#EXTM3U"),
        bad("byte order mark", "\uFEFF#EXTM3U\n", 1, "byte order mark"),
        bad(
            "EXTINF then EXTINF",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n#EXTINF:4,\nb.ts\n",
            3,
            "EXTINF is not followed by a URI line"),
        bad(
            "EXTINF at the end",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n#EXTINF:4,\n#EXT-X-ENDLIST\n",
            5,
            "EXTINF is not followed by a URI line"),
        bad(
            "URI without EXTINF",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\na.ts\n",
            3,
            "without an EXTINF"),
        bad(
            "EXTINF without comma",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4\na.ts\n",
            3,
            "needs a ','"),
        bad(
            "negative EXTINF",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:-4.0,\na.ts\n",
            3,
            "-4.0"),
        bad(
            "EXTINF not a number",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4s,\na.ts\n",
            3,
            "'4s'"),
        bad(
            "duration over target",
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.6,\na.ts\n",
            4,
            "exceeds EXT-X-TARGETDURATION 4"),
        bad(
            "no target duration",
            "#EXTM3U\n#EXTINF:4,\na.ts\n#EXT-X-ENDLIST\n",
            4,
            "without EXT-X-TARGETDURATION"),
        bad(
            "fractional duration at version 2",
            "#EXTM3U\n#EXT-X-VERSION:2\n#EXT-X-TARGETDURATION:4\n#EXTINF:3.5,\na.ts\n",
            4,
            "EXT-X-VERSION 3 or higher"),
        bad(
            "byte range at version 3",
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n"
                + "#EXT-X-BYTERANGE:10@0\na.ts\n",
            5,
            "EXT-X-VERSION 4 or higher"),
        bad(
            "byte range without offset first",
            "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n"
                + "#EXT-X-BYTERANGE:10\na.ts\n",
            5,
            "without an offset"),
        bad(
            "I-frame segment without byte range",
            "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:4\n#EXT-X-I-FRAMES-ONLY\n"
                + "#EXTINF:4,\na.ts\n",
            5,
            "needs an EXT-X-BYTERANGE"),
        bad("version twice", "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-VERSION:3\n", 3, "more than once"),
        bad("version 0", "#EXTM3U\n#EXT-X-VERSION:0\n", 2, "EXT-X-VERSION"),
        bad(
            "media sequence after a segment",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n#EXT-X-MEDIA-SEQUENCE:3\n",
            5,
            "before the first media segment"),
        bad("playlist type unknown", "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:LIVE\n", 2, "VOD or EVENT"),
        bad(
            "media and master tags",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n",
            3,
            "master playlist tag"),
        bad(
            "EXT-X-MAP",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init.mp4\"\n",
            3,
            "EXT-X-MAP"),
        bad(
            "key rotation",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-KEY:METHOD=AES-128,URI=\"k1\"\n"
                + "#EXTINF:4,\na.ts\n#EXT-X-KEY:METHOD=AES-128,URI=\"k2\"\n#EXTINF:4,\nb.ts\n",
            6,
            "key changes between segments"),
        bad(
            "clear then encrypted",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n"
                + "#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:4,\nb.ts\n",
            5,
            "key changes between segments"),
        bad(
            "SAMPLE-AES",
            "#EXTM3U\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"k\"\n",
            2,
            "SAMPLE-AES is not supported"),
        bad(
            "key without URI",
            "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128\n",
            2,
            "missing required attribute URI"),
        bad(
            "IV not hex",
            "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0xZZ\n",
            2,
            "hexadecimal-sequence"),
        bad(
            "IV over 128 bits",
            "#EXTM3U\n#EXT-X-VERSION:2\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1"
                + "00000000000000000000000000000000\n",
            3,
            "128-bit"),
        bad(
            "METHOD quoted",
            "#EXTM3U\n#EXT-X-KEY:METHOD=\"AES-128\",URI=\"k\"\n",
            2,
            "METHOD must be an enumerated-string"),
        bad(
            "lowercase attribute name",
            "#EXTM3U\n#EXT-X-STREAM-INF:bandwidth=1000\na.m3u8\n",
            2,
            "attribute name"),
        bad(
            "unterminated quote",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"avc1.640028\na.m3u8\n",
            2,
            "unterminated quoted-string"),
        bad(
            "trailing comma",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,\na.m3u8\n",
            2,
            "ends with ','"),
        bad(
            "space in attribute list",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000, RESOLUTION=1x1\na.m3u8\n",
            2,
            "attribute name"),
        bad(
            "attribute twice",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,BANDWIDTH=2000\na.m3u8\n",
            2,
            "BANDWIDTH appears twice"),
        bad(
            "attribute without value",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=\na.m3u8\n",
            2,
            "BANDWIDTH has no value"),
        bad(
            "CODECS unquoted",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=avc1.640028\na.m3u8\n",
            2,
            "CODECS must be a quoted-string"),
        bad(
            "BANDWIDTH quoted",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=\"1000\"\na.m3u8\n",
            2,
            "BANDWIDTH must be a decimal-integer"),
        bad(
            "BANDWIDTH missing",
            "#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1280x720\na.m3u8\n",
            2,
            "missing required attribute BANDWIDTH"),
        bad(
            "BANDWIDTH 0",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=0\na.m3u8\n",
            2,
            "bandwidthBps must be greater than 0: 0"),
        bad(
            "BANDWIDTH out of range",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=99999999999999999999\na.m3u8\n",
            2,
            "out of range"),
        bad(
            "RESOLUTION malformed",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=1280*720\na.m3u8\n",
            2,
            "decimal-resolution"),
        bad(
            "RESOLUTION zero",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=0x720\na.m3u8\n",
            2,
            "width must be greater than 0: 0"),
        bad(
            "STREAM-INF at the end",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n",
            2,
            "EXT-X-STREAM-INF is not followed by a URI line"),
        bad(
            "STREAM-INF then STREAM-INF",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n#EXT-X-STREAM-INF:BANDWIDTH=2000\nb\n",
            2,
            "EXT-X-STREAM-INF is not followed by a URI line"),
        bad(
            "undefined audio group",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,AUDIO=\"aud\"\na.m3u8\n",
            2,
            "GROUP-ID aud"),
        bad(
            "closed captions",
            "#EXTM3U\n#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"en\","
                + "INSTREAM-ID=\"CC1\"\n",
            2,
            "CLOSED-CAPTIONS is not supported"),
        bad(
            "DEFAULT=YES with AUTOSELECT=NO",
            "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",DEFAULT=YES,"
                + "AUTOSELECT=NO\n",
            2,
            "must be AUTOSELECT"),
        bad(
            "DEFAULT=MAYBE",
            "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",DEFAULT=MAYBE\n",
            2,
            "YES or NO"),
        bad(
            "subtitles without URI",
            "#EXTM3U\n#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",NAME=\"en\"\n",
            2,
            "needs a URI"),
        bad(
            "master without variants",
            "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\"\n",
            2,
            "without an EXT-X-STREAM-INF"),
        bad(
            "flag tag with a value",
            "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-ENDLIST:YES\n",
            3,
            "takes no value"));
  }

  private static Arguments bad(String name, String text, int line, String reason) {
    return Arguments.of(name, text, line, reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void parse_malformed_throwsWithLineNumber(
      String name, String text, int expectedLine, String expectedReason) {
    PlaylistParseException e =
        catchThrowableOfType(PlaylistParseException.class, () -> PlaylistParser.parse(text));

    assertThat(e).as(name).isNotNull();
    assertThat(e.lineNumber()).as(e.getMessage()).isEqualTo(expectedLine);
    assertThat(e.reason()).contains(expectedReason);
    assertThat(e.getMessage()).startsWith("line " + expectedLine + ": ");
  }

  @Test
  void parseMaster_mediaPlaylist_throws() {
    PlaylistParseException e =
        catchThrowableOfType(
            PlaylistParseException.class, () -> PlaylistParser.parseMaster(FFMPEG_VOD));

    assertThat(e.reason()).contains("expected a master playlist, but this is a media one");
    assertThat(e.lineNumber()).isEqualTo(3);
  }

  @Test
  void parseMedia_masterPlaylist_throws() {
    String text = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n";

    PlaylistParseException e =
        catchThrowableOfType(PlaylistParseException.class, () -> PlaylistParser.parseMedia(text));

    assertThat(e.reason()).contains("expected a media playlist, but this is a master one");
  }
}
