package org.reelbox.media.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.media.hls.GoldenFiles.assertMatchesGolden;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlaylistWriterTest {

  @Test
  void write_media720p_matchesGolden() {
    assertMatchesGolden(PlaylistWriter.write(TestPlaylists.media720p()), "media_720p.m3u8");
  }

  @Test
  void write_iFrames_matchesGolden() {
    assertMatchesGolden(PlaylistWriter.write(TestPlaylists.iFrames()), "iframes.m3u8");
  }

  @Test
  void write_encrypted_matchesGolden() {
    assertMatchesGolden(PlaylistWriter.write(TestPlaylists.encrypted()), "encrypted.m3u8");
  }

  @Test
  void write_master_matchesGolden() {
    assertMatchesGolden(PlaylistWriter.write(TestPlaylists.master()), "master.m3u8");
  }

  @Test
  void formatDuration_version3_sixDecimalsFromMicroseconds() {
    assertThat(PlaylistWriter.formatDuration(6_006_000, 3)).isEqualTo("6.006000");
    assertThat(PlaylistWriter.formatDuration(3_003_003, 3)).isEqualTo("3.003003");
    assertThat(PlaylistWriter.formatDuration(10_000_000, 7)).isEqualTo("10.000000");
    assertThat(PlaylistWriter.formatDuration(0, 3)).isEqualTo("0.000000");
    assertThat(PlaylistWriter.formatDuration(7_200_000_000L, 3)).isEqualTo("7200.000000");
  }

  @Test
  void formatDuration_belowVersion3_decimalInteger() {
    assertThat(PlaylistWriter.formatDuration(10_000_000, 2)).isEqualTo("10");
  }

  @Test
  void write_version2WholeSeconds_integerExtinf() {
    MediaPlaylist playlist =
        MediaPlaylist.builder().addSegment(Segment.of("a.ts", 10_000_000)).build();

    assertThat(playlist.version()).isEqualTo(1);
    assertThat(PlaylistWriter.write(playlist))
        .isEqualTo(
            """
            #EXTM3U
            #EXT-X-VERSION:1
            #EXT-X-TARGETDURATION:10
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXTINF:10,
            a.ts
            #EXT-X-ENDLIST
            """);
  }

  @Test
  void write_keyWithoutIv_omitsIv() {
    MediaPlaylist playlist =
        MediaPlaylist.builder()
            .encryptionKey(EncryptionKey.aes128("k"))
            .addSegment(Segment.of("a.ts", 4_000_000))
            .build();

    assertThat(PlaylistWriter.write(playlist))
        .contains("#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:4,");
  }

  @Test
  void write_smallIv_zeroPaddedTo32HexDigits() {
    MediaPlaylist playlist =
        MediaPlaylist.builder()
            .encryptionKey(new EncryptionKey("k", Optional.of(BigInteger.valueOf(0xab))))
            .addSegment(Segment.of("a.ts", 4_000_000))
            .build();

    assertThat(PlaylistWriter.write(playlist))
        .contains("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x000000000000000000000000000000ab\n");
  }

  @Test
  void write_noTypeNoEndList_omitsBoth() {
    MediaPlaylist playlist =
        MediaPlaylist.builder()
            .playlistType(null)
            .endList(false)
            .addSegment(Segment.of("a.ts", 4_000_000))
            .build();

    assertThat(PlaylistWriter.write(playlist))
        .doesNotContain("PLAYLIST-TYPE")
        .doesNotContain("ENDLIST");
  }

  @Test
  void write_variantWithoutOptionals_bandwidthAndUriOnly() {
    MasterPlaylist playlist =
        new MasterPlaylist(
            1,
            false,
            java.util.List.of(),
            java.util.List.of(Variant.builder("a.m3u8", 1_000).build()),
            java.util.List.of());

    assertThat(PlaylistWriter.write(playlist))
        .isEqualTo("#EXTM3U\n#EXT-X-VERSION:1\n#EXT-X-STREAM-INF:BANDWIDTH=1000\na.m3u8\n");
  }
}
