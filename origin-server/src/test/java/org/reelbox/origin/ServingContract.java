package org.reelbox.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.origin.OriginFixtures.INDEX;
import static org.reelbox.origin.OriginFixtures.MASTER;
import static org.reelbox.origin.OriginFixtures.SEGMENT_0;
import static org.reelbox.origin.OriginFixtures.SEGMENT_1;
import static org.reelbox.origin.OriginFixtures.THUMB;
import static org.reelbox.origin.OriginFixtures.VIDEO;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The serving behaviour every storage backend must show: content types, caching headers, HEAD,
 * ranges, validators. Subclasses start a role on their store and write {@link OriginFixtures}.
 */
abstract class ServingContract {
  static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  abstract URI base();

  HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base().resolve(path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void master_get_playlistTypeAndShortCache() throws Exception {
    HttpResponse<byte[]> r = get("/v/" + VIDEO + "/master.m3u8");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(MASTER);
    assertThat(header(r, "content-type")).isEqualTo("application/vnd.apple.mpegurl");
    assertThat(header(r, "cache-control")).isEqualTo("public, max-age=60");
    assertThat(header(r, "access-control-allow-origin")).isEqualTo("*");
    assertThat(header(r, "access-control-expose-headers")).contains("Content-Range");
    assertThat(header(r, "etag")).startsWith("\"");
    assertThat(header(r, "last-modified")).endsWith("GMT");
  }

  @Test
  void mediaAndIframePlaylists_get_playlistType() throws Exception {
    HttpResponse<byte[]> index = get("/v/" + VIDEO + "/720p/index.m3u8");
    assertThat(new String(index.body(), StandardCharsets.UTF_8)).isEqualTo(INDEX);
    assertThat(header(index, "content-type")).isEqualTo("application/vnd.apple.mpegurl");
    HttpResponse<byte[]> iframes = get("/v/" + VIDEO + "/720p/iframes.m3u8");
    assertThat(iframes.statusCode()).isEqualTo(200);
    assertThat(header(iframes, "content-type")).isEqualTo("application/vnd.apple.mpegurl");
  }

  @Test
  void segment_get_bytesTypeAndImmutable() throws Exception {
    HttpResponse<byte[]> r = get("/v/" + VIDEO + "/720p/1.ts");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(SEGMENT_1);
    assertThat(header(r, "content-type")).isEqualTo("video/mp2t");
    assertThat(header(r, "content-length")).isEqualTo(String.valueOf(SEGMENT_1.length));
    assertThat(header(r, "cache-control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(header(r, "accept-ranges")).isEqualTo("bytes");
  }

  @Test
  void emptySegment_get_200Empty() throws Exception {
    HttpResponse<byte[]> r = get("/v/" + VIDEO + "/720p/2.ts", "Range", "bytes=0-10");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void thumbnail_get_jpegRevalidatedLikePlaylists() throws Exception {
    HttpResponse<byte[]> r = get("/v/" + VIDEO + "/thumbs/0.jpg");
    assertThat(r.body()).isEqualTo(THUMB);
    assertThat(header(r, "content-type")).isEqualTo("image/jpeg");
    // A creator may replace the thumbnail of a READY video under the same URL.
    assertThat(header(r, "cache-control")).isEqualTo("public, max-age=60");
  }

  @Test
  void subtitles_get_vttAndPlaylistTypes_revalidatedLikePlaylists() throws Exception {
    HttpResponse<byte[]> vtt = get("/v/" + VIDEO + "/subs/en/0.vtt");
    assertThat(vtt.statusCode()).isEqualTo(200);
    assertThat(new String(vtt.body(), StandardCharsets.UTF_8)).isEqualTo(OriginFixtures.SUB_VTT);
    assertThat(header(vtt, "content-type")).isEqualTo("text/vtt; charset=utf-8");
    assertThat(header(vtt, "cache-control")).isEqualTo("public, max-age=60");
    HttpResponse<byte[]> index = get("/v/" + VIDEO + "/subs/en/index.m3u8");
    assertThat(new String(index.body(), StandardCharsets.UTF_8))
        .isEqualTo(OriginFixtures.SUB_INDEX);
    assertThat(header(index, "content-type")).isEqualTo("application/vnd.apple.mpegurl");
    assertThat(get("/v/" + VIDEO + "/subs/fr/0.vtt").statusCode()).isEqualTo(404);
  }

  @Test
  void segment_head_headersWithoutBody() throws Exception {
    HttpResponse<byte[]> r = send("HEAD", "/v/" + VIDEO + "/720p/0.ts");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "content-length")).isEqualTo("1000");
    assertThat(header(r, "content-type")).isEqualTo("video/mp2t");
  }

  @Test
  void missingSegment_get_404Json() throws Exception {
    HttpResponse<byte[]> r = get("/v/" + VIDEO + "/720p/99.ts");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"error\":\"NOT_FOUND\"");
  }

  @Test
  void range_firstBytes_206() throws Exception {
    HttpResponse<byte[]> r = get("/v/" + VIDEO + "/720p/1.ts", "Range", "bytes=0-99");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(SEGMENT_1, 0, 100));
    assertThat(header(r, "content-range")).isEqualTo("bytes 0-99/" + SEGMENT_1.length);
  }

  @Test
  void range_suffix_206LastBytes() throws Exception {
    HttpResponse<byte[]> r = get("/v/" + VIDEO + "/720p/0.ts", "Range", "bytes=-10");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(SEGMENT_0, 990, 1000));
    assertThat(header(r, "content-range")).isEqualTo("bytes 990-999/1000");
  }

  @Test
  void range_openEndedAcrossChunks_206() throws Exception {
    int from = 70_000;
    HttpResponse<byte[]> r = get("/v/" + VIDEO + "/720p/1.ts", "Range", "bytes=" + from + "-");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(SEGMENT_1, from, SEGMENT_1.length));
    assertThat(header(r, "content-range"))
        .isEqualTo("bytes " + from + "-" + (SEGMENT_1.length - 1) + "/" + SEGMENT_1.length);
  }

  @Test
  void range_beyondEnd_416WithSize() throws Exception {
    HttpResponse<byte[]> r = get("/v/" + VIDEO + "/720p/0.ts", "Range", "bytes=1000-");
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(header(r, "content-range")).isEqualTo("bytes */1000");
  }

  @Test
  void range_malformed_200Whole() throws Exception {
    for (String bad : new String[] {"bytes=abc", "bytes=5-2", "items=0-1", "bytes=0-1,5-6"}) {
      HttpResponse<byte[]> r = get("/v/" + VIDEO + "/720p/0.ts", "Range", bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(200);
      assertThat(r.body()).as(bad).isEqualTo(SEGMENT_0);
    }
  }

  @Test
  void ifNoneMatch_sameEtag_304() throws Exception {
    HttpResponse<byte[]> first = get("/v/" + VIDEO + "/720p/0.ts");
    String etag = header(first, "etag");
    HttpResponse<byte[]> again = get("/v/" + VIDEO + "/720p/0.ts", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(header(again, "etag")).isEqualTo(etag);
    HttpResponse<byte[]> other = get("/v/" + VIDEO + "/720p/0.ts", "If-None-Match", "\"x\"");
    assertThat(other.statusCode()).isEqualTo(200);
  }

  @Test
  void ifModifiedSince_lastModified_304() throws Exception {
    HttpResponse<byte[]> first = get("/v/" + VIDEO + "/thumbs/0.jpg");
    String lastModified = header(first, "last-modified");
    HttpResponse<byte[]> again =
        get("/v/" + VIDEO + "/thumbs/0.jpg", "If-Modified-Since", lastModified);
    assertThat(again.statusCode()).isEqualTo(304);
  }
}
