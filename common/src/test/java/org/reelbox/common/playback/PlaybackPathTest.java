package org.reelbox.common.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.storage.BlobKeys;

class PlaybackPathTest {
  static final String ID = "dQw4w9WgXcQ";

  @ParameterizedTest
  @CsvSource({
    "/v/dQw4w9WgXcQ/master.m3u8, MASTER_PLAYLIST, hls/dQw4w9WgXcQ/master.m3u8",
    "/v/dQw4w9WgXcQ/720p/index.m3u8, MEDIA_PLAYLIST, hls/dQw4w9WgXcQ/720p/index.m3u8",
    "/v/dQw4w9WgXcQ/720p/iframes.m3u8, IFRAME_PLAYLIST, hls/dQw4w9WgXcQ/720p/iframes.m3u8",
    "/v/dQw4w9WgXcQ/720p/0.ts, SEGMENT, hls/dQw4w9WgXcQ/720p/0.ts",
    "/v/dQw4w9WgXcQ/audio/123456789.ts, SEGMENT, hls/dQw4w9WgXcQ/audio/123456789.ts",
    "/v/dQw4w9WgXcQ/thumbs/3.jpg, THUMBNAIL, hls/dQw4w9WgXcQ/thumbs/3.jpg",
    "/v/dQw4w9WgXcQ/keys/0.key, KEY, keys/dQw4w9WgXcQ/0.key",
    "/v/-_aZ09-_aZ0/master.m3u8?x=1, MASTER_PLAYLIST, hls/-_aZ09-_aZ0/master.m3u8",
    "/v/dQw4w9WgXcQ/subs/en/index.m3u8, SUBTITLE_PLAYLIST, hls/dQw4w9WgXcQ/subs/en/index.m3u8",
    "/v/dQw4w9WgXcQ/subs/pt-br/0.vtt, SUBTITLE, hls/dQw4w9WgXcQ/subs/pt-br/0.vtt",
    "/v/dQw4w9WgXcQ/subs/yue/12.vtt, SUBTITLE, hls/dQw4w9WgXcQ/subs/yue/12.vtt",
  })
  void parse_routes_blobKey(String uri, ObjectKind kind, String key) {
    PlaybackPath p = PlaybackPath.parse(uri);
    assertThat(p.kind()).isEqualTo(kind);
    assertThat(p.blobKey()).isEqualTo(key);
    assertThat(BlobKeys.isValid(p.blobKey())).isTrue();
    assertThat(p.token()).isNull();
  }

  @Test
  void parse_subtitle_languageAndRelativePath() {
    PlaybackPath p = PlaybackPath.parse("/t/tok/v/" + ID + "/subs/zh-hant/0.vtt");
    assertThat(p.rendition()).isEqualTo("zh-hant");
    assertThat(p.number()).isZero();
    assertThat(p.relativePath()).isEqualTo(ID + "/subs/zh-hant/0.vtt");
    assertThat(p.kind().isMutable()).isTrue();
    assertThat(p.kind().contentType()).startsWith("text/vtt");
    PlaybackPath index = PlaybackPath.parse("/v/" + ID + "/subs/en/index.m3u8");
    assertThat(index.relativePath()).isEqualTo(ID + "/subs/en/index.m3u8");
    assertThat(index.kind().isPlaylist()).isTrue();
    assertThat(PlaybackPath.RESERVED_RENDITIONS).contains("subs");
    assertThat(ObjectKind.SEGMENT.isMutable()).isFalse();
    assertThat(ObjectKind.THUMBNAIL.isMutable()).isTrue();
    assertThat(ObjectKind.KEY.isMutable()).isFalse();
  }

  @Test
  void parse_tokenPrefix_tokenKeptOutOfToString() {
    PlaybackPath p = PlaybackPath.parse("/t/abc.DEF-_/v/" + ID + "/720p/7.ts");
    assertThat(p.token()).isEqualTo("abc.DEF-_");
    assertThat(p.videoId()).isEqualTo(ID);
    assertThat(p.toString()).doesNotContain("abc.DEF");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v/../x",
        "/v/%2e%2e/master.m3u8",
        "/v/" + ID + "/720p%2f0.ts",
        "/v/" + ID + "\\master.m3u8",
        "/v/" + ID + "//master.m3u8",
        "/v/" + ID + "/./master.m3u8",
        "/v/short/master.m3u8",
        "/v/" + ID + "/720P/0.ts",
        "/v/" + ID + "/seventeenchars123/0.ts",
        "/t//v/" + ID + "/master.m3u8",
        "/t/a%2fb/v/" + ID + "/master.m3u8",
        "v/" + ID + "/master.m3u8",
        "/v/" + ID + "/master.m3u8/",
        "/v/" + ID + "/subs/../index.m3u8",
        "/v/" + ID + "/subs/EN/0.vtt",
        "/v/" + ID + "/subs/e/0.vtt",
        "/v/" + ID + "/subs/en-toolongsubtag/0.vtt",
        "/v/" + ID + "/subs/en%2f..%2f..%2fx/0.vtt",
        "/v/" + ID + "/subs/en_us/0.vtt",
        "/v/" + ID + "/subs/en/..",
      })
  void parse_malformed_400(String uri) {
    assertThatThrownBy(() -> PlaybackPath.parse(uri))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v/" + ID,
        "/v/" + ID + "/index.m3u8",
        "/v/" + ID + "/720p/0.mp4",
        "/v/" + ID + "/720p/01.ts",
        "/v/" + ID + "/720p/1234567890.ts",
        "/v/" + ID + "/thumbs/0.ts",
        "/v/" + ID + "/keys/0.jpg",
        "/v/" + ID + "/720p/0.ts/x",
        "/t/tok/x/" + ID + "/master.m3u8",
        "/v/" + ID + "/subs/index.m3u8",
        "/v/" + ID + "/subs/en/0.ts",
        "/v/" + ID + "/subs/en/01.vtt",
        "/v/" + ID + "/subs/en/iframes.m3u8",
        "/v/" + ID + "/subs/en/0.vtt/x",
        "/v/" + ID + "/thumbs/0.vtt",
        "/v/" + ID + "/720p/0.vtt",
      })
  void parse_unknownRoute_404(String uri) {
    assertThatThrownBy(() -> PlaybackPath.parse(uri))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
  }
}
