package org.reelbox.control.content;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reelbox.control.store.VideoId;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.PlaylistWriter;
import org.reelbox.media.hls.Rendition;
import org.reelbox.media.hls.Variant;

/** The value checks behind the content APIs, and the master playlist rewrite, without a server. */
class ContentChecksTest {
  private static final VideoId ID = VideoId.of("dQw4w9WgXcQ");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "WEBVTT",
        "WEBVTT\n",
        "WEBVTT\r\n\r\n00:00.000 --> 00:01.000\nHi",
        "WEBVTT - a title\n",
        "WEBVTT\tx\n",
        "\uFEFFWEBVTT\n"
      })
  void webVtt_validStarts_accepted_bomDropped(String text) {
    byte[] stored = WebVtt.check(text.getBytes(UTF_8));
    assertThat(new String(stored, UTF_8)).startsWith("WEBVTT");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "webvtt\n", "WEBVTTX", " WEBVTT", "1\n00:00 --> 00:01\nhi", "WEBVTT\n\0"})
  void webVtt_notWebVtt_refusedWithAReason(String text) {
    assertThatThrownBy(() -> WebVtt.check(text.getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WebVTT");
  }

  @Test
  void webVtt_notUtf8OrTooLarge_refused() {
    assertThatThrownBy(
            () -> WebVtt.check(new byte[] {'W', 'E', 'B', 'V', 'T', 'T', '\n', (byte) 0xFF}))
        .hasMessageContaining("UTF-8");
    byte[] large = new byte[WebVtt.MAX_BYTES + 1];
    System.arraycopy("WEBVTT\n".getBytes(UTF_8), 0, large, 0, 7);
    assertThatThrownBy(() -> WebVtt.check(large)).hasMessageContaining("at most");
  }

  @Test
  void subtitleTrack_languageAndDefaultName() {
    assertThat(SubtitleTrack.defaultName("en")).isEqualTo("English");
    assertThat(SubtitleTrack.defaultName("pt-br")).isEqualTo("Portuguese (Brazil)");
    assertThat(SubtitleTrack.defaultName("ko")).isEqualTo("Korean");
    // No name known to Java: the tag itself.
    assertThat(SubtitleTrack.defaultName("qqq")).isEqualTo("qqq");
    for (String bad : List.of("EN", "english", "e", "en_us", "en-", "../en", "en-x")) {
      assertThatThrownBy(() -> SubtitleTrack.checkLanguage(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> SubtitleTrack.checkName("say \"hi\""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SubtitleTrack.checkName(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withTracks_replacesOnlyTheSubsGroup_andRoundTrips() throws Exception {
    MasterPlaylist packaged =
        new MasterPlaylist(
            3,
            true,
            List.of(
                Rendition.builder(Rendition.Type.AUDIO, "aud", "Main")
                    .isDefault(true)
                    .uri("audio/index.m3u8")
                    .build(),
                Rendition.builder(Rendition.Type.SUBTITLES, "subs", "Stale")
                    .uri("subs/xx/index.m3u8")
                    .build()),
            List.of(
                Variant.builder("720p/index.m3u8", 3_000_000)
                    .audioGroupId("aud")
                    .subtitlesGroupId("subs")
                    .build()),
            List.of());
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<SubtitleTrack> tracks =
        List.of(
            new SubtitleTrack(ID, "en", "English", 10, t, t),
            new SubtitleTrack(ID, "ja", "日本語", 10, t, t));

    MasterPlaylist updated = SubtitlePublisher.withTracks(packaged, tracks);
    String text = PlaylistWriter.write(updated);

    assertThat(text)
        .contains(
            "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\","
                + "DEFAULT=NO,AUTOSELECT=YES,URI=\"subs/en/index.m3u8\"")
        .contains("NAME=\"日本語\",LANGUAGE=\"ja\"")
        .doesNotContain("Stale");
    assertThat(PlaylistParser.parseMaster(text)).isEqualTo(updated);
    assertThat(updated.renditions().get(0).type()).isEqualTo(Rendition.Type.AUDIO);
    assertThat(updated.variants().get(0).audioGroupId()).hasValue("aud");

    MasterPlaylist none = SubtitlePublisher.withTracks(updated, List.of());
    assertThat(none.renditions()).hasSize(1);
    assertThat(none.variants().get(0).subtitlesGroupId()).isEqualTo(Optional.empty());
  }

  @Test
  void trackPlaylist_oneSegment_targetDurationIsTheRoundedUpDuration() {
    String text = PlaylistWriter.write(SubtitlePublisher.trackPlaylist(62));
    assertThat(text)
        .contains("#EXT-X-TARGETDURATION:62")
        .contains("#EXT-X-PLAYLIST-TYPE:VOD")
        .contains("0.vtt")
        .endsWith("#EXT-X-ENDLIST\n");
  }

  @Test
  void thumbnailImages_fitTheBoxes_aspectKeptEvenSides() throws Exception {
    BufferedImage wide = new BufferedImage(1001, 333, BufferedImage.TYPE_INT_RGB);
    BufferedImage fitted = ThumbnailImages.fit(wide, 640, 360);
    assertThat(fitted.getWidth()).isEqualTo(640);
    assertThat(fitted.getHeight()).isEqualTo(212); // 333 * 640/1001 = 212.9, down to even
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(wide, "png", png);
    List<ThumbnailImages.Rendered> rendered =
        ThumbnailImages.render(
            ID.value(), ThumbnailImages.decode(png.toByteArray(), ThumbnailImages.Format.PNG));
    assertThat(rendered)
        .extracting(ThumbnailImages.Rendered::key)
        .containsExactly(
            "hls/dQw4w9WgXcQ/thumbs/0.jpg",
            "hls/dQw4w9WgXcQ/thumbs/10.jpg",
            "hls/dQw4w9WgXcQ/thumbs/20.jpg");
    assertThat(ThumbnailImages.Format.ofContentType("image/PNG; q=1"))
        .isEqualTo(ThumbnailImages.Format.PNG);
    assertThat(ThumbnailImages.Format.ofContentType("image/webp")).isNull();
  }
}
