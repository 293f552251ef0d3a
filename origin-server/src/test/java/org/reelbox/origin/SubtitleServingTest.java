package org.reelbox.origin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.testing.Ffmpeg;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.PlaylistType;
import org.reelbox.media.hls.PlaylistWriter;
import org.reelbox.media.hls.Rendition;
import org.reelbox.media.hls.Variant;

/**
 * A transcoded video with a WebVTT subtitle track, published the way the control plane publishes
 * one (docs/web-ui.md: {@code subs/{lang}/index.m3u8} and {@code 0.vtt}, an {@code
 * EXT-X-MEDIA:TYPE=SUBTITLES} rendition in the master and {@code SUBTITLES="subs"} on the variant),
 * read back through a real origin by an HLS client: the media module's parser following every URI
 * from the master with the token prefix, and ffprobe/ffmpeg on the master URL.
 */
class SubtitleServingTest {
  private static final String VIDEO = OriginFixtures.VIDEO;
  private static final String VTT = "WEBVTT\n\n00:00.500 --> 00:01.500\nHello, subtitles\n";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path dataDir;
  @TempDir static Path work;
  static OriginRole role;

  @BeforeAll
  static void start() throws Exception {
    Ffmpeg.assume();
    role = new OriginRole(OriginFixtures.config(dataDir, StorageConfig.fileDefault()));
    role.start();
    // Two seconds of real H.264/AAC in one-second TS segments, as a rendition of the ladder.
    Path hls = Files.createDirectories(work.resolve("720p"));
    Ffmpeg.run(
        List.of(
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=320x180:rate=25",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440",
            "-t",
            "2",
            "-c:v",
            "libx264",
            "-g",
            "25",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-f",
            "hls",
            "-hls_time",
            "1",
            "-hls_playlist_type",
            "vod",
            "-hls_segment_filename",
            hls.resolve("%d.ts").toString(),
            hls.resolve("index.m3u8").toString()));
    try (Stream<Path> files = Files.list(hls)) {
      for (Path f : files.toList()) {
        OriginFixtures.put(
            role.blobs(), "hls/" + VIDEO + "/720p/" + f.getFileName(), Files.readAllBytes(f));
      }
    }
    String master =
        PlaylistWriter.write(
            new MasterPlaylist(
                3,
                true,
                List.of(
                    Rendition.builder(Rendition.Type.SUBTITLES, "subs", "English")
                        .language("en")
                        .autoselect(true)
                        .uri("subs/en/index.m3u8")
                        .build()),
                List.of(
                    Variant.builder("720p/index.m3u8", 600_000)
                        .codecs("avc1.64000d", "mp4a.40.2")
                        .resolution(320, 180)
                        .subtitlesGroupId("subs")
                        .build()),
                List.of()));
    String track =
        PlaylistWriter.write(
            MediaPlaylist.builder()
                .version(3)
                .playlistType(PlaylistType.VOD)
                .addSegment("0.vtt", 2_000_000)
                .endList(true)
                .build());
    OriginFixtures.put(role.blobs(), "hls/" + VIDEO + "/master.m3u8", master.getBytes(UTF_8));
    OriginFixtures.put(role.blobs(), "hls/" + VIDEO + "/subs/en/index.m3u8", track.getBytes(UTF_8));
    OriginFixtures.put(role.blobs(), "hls/" + VIDEO + "/subs/en/0.vtt", VTT.getBytes(UTF_8));
  }

  @AfterAll
  static void stop() {
    if (role != null) {
      role.close();
    }
  }

  private static URI masterUrl() {
    return role.baseUrl()
        .resolve("/t/" + OriginFixtures.playToken(VIDEO) + "/v/" + VIDEO + "/master.m3u8");
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void master_subtitleRendition_followedThroughTheOriginWithTheToken() throws Exception {
    URI masterUrl = masterUrl();
    HttpResponse<String> masterResponse = get(masterUrl);
    assertThat(masterResponse.statusCode()).isEqualTo(200);
    MasterPlaylist master = PlaylistParser.parseMaster(masterResponse.body());
    assertThat(master.variants().get(0).subtitlesGroupId()).hasValue("subs");
    Rendition subs = master.renditions().get(0);
    assertThat(subs.type()).isEqualTo(Rendition.Type.SUBTITLES);

    // Relative URIs resolve below the token prefix, as a player resolves them.
    URI trackUrl = masterUrl.resolve(subs.uri().orElseThrow());
    assertThat(trackUrl.getPath()).startsWith("/t/").endsWith("/subs/en/index.m3u8");
    HttpResponse<String> trackResponse = get(trackUrl);
    assertThat(trackResponse.statusCode()).isEqualTo(200);
    MediaPlaylist track = PlaylistParser.parseMedia(trackResponse.body());
    URI vttUrl = trackUrl.resolve(track.segments().get(0).uri());
    HttpResponse<String> vtt = get(vttUrl);
    assertThat(vtt.statusCode()).isEqualTo(200);
    assertThat(vtt.headers().firstValue("content-type")).hasValue("text/vtt; charset=utf-8");
    assertThat(vtt.body()).isEqualTo(VTT);
  }

  @Test
  void ffmpeg_readsTheMasterWithItsSubtitleGroup_andDecodesTheVideo() throws Exception {
    String url = masterUrl().toString();
    Result probe =
        exec(
            "ffprobe",
            "-v",
            "verbose",
            "-show_entries",
            "stream=codec_type,codec_name",
            "-of",
            "compact",
            url);
    assertThat(probe.exit).as(probe.output).isZero();
    assertThat(probe.output).contains("codec_name=h264|codec_type=video");
    // ffmpeg 6.1 and later expose the track as a webvtt stream; older ones parse the rendition
    // and say they skip it. Either way the EXT-X-MEDIA tag was read, with its URI.
    assertThat(probe.output)
        .satisfiesAnyOf(
            out -> assertThat(out).contains("codec_name=webvtt|codec_type=subtitle"),
            out -> assertThat(out).contains("subtitle(uri: subs/en/index.m3u8)"));
    Result decode = exec("ffmpeg", "-v", "error", "-i", url, "-map", "0:v", "-f", "null", "-");
    assertThat(decode.exit).as(decode.output).isZero();
  }

  private record Result(int exit, String output) {}

  private static Result exec(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), output);
  }
}
