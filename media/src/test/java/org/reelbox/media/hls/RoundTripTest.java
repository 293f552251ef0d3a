package org.reelbox.media.hls;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** parse(write(p)) equals p, and write(parse(golden)) is the golden file again. */
class RoundTripTest {

  static Stream<Arguments> playlists() {
    return Stream.of(
        Arguments.of("media_720p", TestPlaylists.media720p()),
        Arguments.of("iframes", TestPlaylists.iFrames()),
        Arguments.of("encrypted", TestPlaylists.encrypted()),
        Arguments.of("master", TestPlaylists.master()),
        Arguments.of(
            "version 1, whole seconds",
            MediaPlaylist.builder().addSegment(Segment.of("a.ts", 10_000_000)).build()),
        Arguments.of(
            "key without IV",
            MediaPlaylist.builder()
                .encryptionKey(EncryptionKey.aes128("k"))
                .mediaSequence(7)
                .addSegment(Segment.of("a.ts", 4_004_000))
                .addSegment(Segment.of("b.ts", 4_004_000))
                .build()),
        Arguments.of(
            "key with IV equal to the only segment's sequence number",
            MediaPlaylist.builder()
                .encryptionKey(new EncryptionKey("k", Optional.of(BigInteger.ZERO)))
                .addSegment(Segment.of("a.ts", 4_004_000))
                .build()),
        Arguments.of(
            "encrypted, no segments yet",
            MediaPlaylist.builder()
                .playlistType(PlaylistType.EVENT)
                .endList(false)
                .encryptionKey(EncryptionKey.aes128("k"))
                .build()),
        Arguments.of(
            "live, higher version than needed, titles with commas",
            MediaPlaylist.builder()
                .version(7)
                .playlistType(null)
                .endList(false)
                .mediaSequence(1_000_000)
                .addSegment(Segment.of("a.ts", 0).withTitle("a, b ,c"))
                .addSegment(
                    Segment.of("https://cdn.example/b.ts?x=1&y=2", 1).withDiscontinuity(true))
                .build()),
        Arguments.of(
            "master, audio muxed in the variant",
            new MasterPlaylist(
                7,
                false,
                List.of(
                    Rendition.builder(Rendition.Type.AUDIO, "a", "Main").isDefault(true).build()),
                List.of(
                    Variant.builder("v.m3u8", 1)
                        .frameRate(23.976)
                        .audioGroupId("a")
                        .codecs("hvc1.2.4.L123.B0", "ec-3")
                        .build()),
                List.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("playlists")
  void parse_writtenPlaylist_equalsOriginal(String name, Playlist playlist) throws Exception {
    assertThat(PlaylistParser.parse(PlaylistWriter.write(playlist))).isEqualTo(playlist);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"media_720p.m3u8", "iframes.m3u8", "encrypted.m3u8", "master.m3u8"})
  void write_parsedGolden_sameText(String goldenFile) throws Exception {
    String golden = GoldenFiles.read(goldenFile);

    assertThat(PlaylistWriter.write(PlaylistParser.parse(golden))).isEqualTo(golden);
  }
}
