package org.reelbox.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.origin.OriginFixtures.rawGet;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.testing.Ffmpeg;
import org.reelbox.common.work.BlobLayout;

/**
 * Just-in-time HLS through a real origin on the file store: FFmpeg plays the JIT master over HTTP
 * and decodes every frame, the coded video is the original's byte for byte, and bad originals,
 * unknown videos, tokens and paths get clean answers. The control plane's one answer comes from
 * {@link FakeControlPlane}. Run on the file store ({@link JitFileServingTest}: positional reads)
 * and on S3 ({@link JitS3ServingTest}: ranged GETs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JitServingContract {
  static final String PLAIN = "jitPlain000";
  static final String BFRAMES = "jitBframes0";
  static final String HEVC = "jitHevc0000";
  static final String MKV = "jitMkv00000";
  static final String UPLOADING = "jitUpload00";
  static final String READY = "jitReady000";
  static final String NO_ORIGINAL = "jitNoOrig00";
  static final String UNKNOWN = "jitUnknown0";
  static final String PREPACKAGED = "prePackage0";
  static final String LARGE = "jitLarge000";
  static final int COLD = 5;

  Path dataDir;
  Path work;
  FakeControlPlane cp;
  OriginRole role;
  int port;
  Path plainSource;
  Path bframesSource;
  Path largeSource;

  /** The store the origin serves from. */
  abstract StorageConfig storage(Path dataDir) throws Exception;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    dataDir = Files.createDirectories(dir.resolve("data"));
    work = Files.createDirectories(dir.resolve("work"));
    Ffmpeg.assume();
    cp = new FakeControlPlane(OriginFixtures.SECRET);
    OriginConfig config =
        new OriginConfig(
            new HttpConfig("127.0.0.1", 0),
            dataDir.toString(),
            storage(dataDir),
            new ClusterConfig(OriginFixtures.SECRET, cp.url().toString()),
            false,
            60,
            4,
            new JitConfig(true, 5, 2, 2_000_000, 4, 10),
            new TrafficConfig("", 0));
    role = new OriginRole(config);
    role.start();
    port = role.baseUrl().getPort();
    BlobStore blobs = role.blobs();

    plainSource = Ffmpeg.movie(work.resolve("plain.mp4"), 7, 0, 25, false, true);
    bframesSource = Ffmpeg.movie(work.resolve("bframes.mp4"), 7, 3, 50, true, true);
    Path hevc = work.resolve("hevc.mp4");
    Ffmpeg.run(
        List.of(
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10:duration=1",
            "-c:v",
            "libx265",
            "-x265-params",
            "log-level=error",
            "-tag:v",
            "hvc1",
            hevc.toString()));
    Path mkv = work.resolve("x.mkv");
    Ffmpeg.run(
        List.of(
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10:duration=1",
            "-c:v",
            "libx264",
            mkv.toString()));
    putOriginal(blobs, PLAIN, plainSource);
    putOriginal(blobs, BFRAMES, bframesSource);
    putOriginal(blobs, HEVC, hevc);
    putOriginal(blobs, MKV, mkv);
    putOriginal(blobs, UPLOADING, plainSource);
    putOriginal(blobs, READY, plainSource);
    OriginFixtures.put(
        blobs,
        BlobLayout.masterKey(READY),
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n720p/index.m3u8\n"
            .getBytes(StandardCharsets.UTF_8));
    cp.set(PLAIN, "UPLOADED", false);
    cp.set(BFRAMES, "PROCESSING", false);
    cp.set(HEVC, "UPLOADED", false);
    cp.set(MKV, "PROCESSING", false);
    cp.set(UPLOADING, "UPLOADING", false);
    cp.set(READY, "READY", true);
    cp.set(NO_ORIGINAL, "UPLOADED", false);

    // For the figures: 20 s of 720p at about 3 Mbit/s, the same original under several ids so
    // that each first master request is a cold one (state lookup, stat, moov parse).
    largeSource = work.resolve("large.mp4");
    Ffmpeg.run(
        List.of(
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=1280x720:rate=30:duration=20",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000:duration=20",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-b:v",
            "3M",
            "-g",
            "60",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            largeSource.toString()));
    putOriginal(blobs, LARGE, largeSource);
    cp.set(LARGE, "UPLOADED", false);
    for (int i = 0; i < COLD; i++) {
      putOriginal(blobs, coldId(i), largeSource);
      cp.set(coldId(i), "UPLOADED", false);
    }
  }

  static String coldId(int i) {
    return "jitCold000" + i;
  }

  static void putOriginal(BlobStore blobs, String id, Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      blobs.put(BlobLayout.sourceKey(id), in, Files.size(file));
    }
  }

  @AfterAll
  void stop() {
    if (role != null) {
      role.close();
    }
    if (cp != null) {
      cp.close();
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  // ---- playback

  @Test
  void jitMaster_ffmpegDecodesEveryFrame_noReencoding() throws Exception {
    for (String id : List.of(PLAIN, BFRAMES)) {
      Path source = id.equals(PLAIN) ? plainSource : bframesSource;
      String master = url("/v/" + id + "/master.m3u8");
      int frames = Ffmpeg.decodedVideoFrames(source.toString());
      assertThat(Ffmpeg.decodedVideoFrames(master)).as(id).isEqualTo(frames);
      // A full decode over HTTP reports no warning.
      assertThat(
              Ffmpeg.runText(
                  "ffmpeg", "-v", "warning", "-nostats", "-i", master, "-f", "null", "-"))
          .as(id)
          .isEmpty();
      assertThat(Ffmpeg.audioPackets(master))
          .as(id)
          .isEqualTo(Ffmpeg.audioPackets(source.toString()));
      // Codec, profile and picture unchanged.
      String streams = "stream=codec_name,profile,width,height,pix_fmt";
      assertThat(probe(master, "v:0", streams))
          .as(id)
          .isEqualTo(probe(source.toString(), "v:0", streams));
      assertThat(probe(master, "a:0", "stream=codec_name,profile,sample_rate,channels"))
          .as(id)
          .isEqualTo(
              probe(source.toString(), "a:0", "stream=codec_name,profile,sample_rate,channels"));
      // No re-encoding: slices and SEI, in order, are the original's bytes.
      byte[] served = Ffmpeg.slices(master);
      assertThat(served.length).as(id).isGreaterThan(10_000);
      assertThat(Arrays.equals(served, Ffmpeg.slices(source.toString()))).as(id).isTrue();
    }
  }

  @Test
  void jitPlaylists_durationsAddUpToTheSource_andHeadersAreJit() throws Exception {
    OriginFixtures.Raw master = rawGet(port, "/v/" + PLAIN + "/master.m3u8");
    assertThat(master.status()).isEqualTo(200);
    assertThat(master.headers().get("cache-control")).isEqualTo("public, max-age=10");
    assertThat(master.headers().get("content-type")).isEqualTo("application/vnd.apple.mpegurl");
    String text = master.bodyText();
    assertThat(text)
        .contains("RESOLUTION=320x240")
        .contains("CODECS=\"avc1.")
        .contains("mp4a.40.2")
        .contains("BANDWIDTH=")
        .contains("\nsrc/index.m3u8\n");

    OriginFixtures.Raw media = rawGet(port, "/v/" + PLAIN + "/src/index.m3u8");
    assertThat(media.status()).isEqualTo(200);
    assertThat(media.headers().get("cache-control")).isEqualTo("public, max-age=10");
    Matcher m = Pattern.compile("#EXTINF:([0-9.]+),").matcher(media.bodyText());
    double total = 0;
    int segments = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
      segments++;
    }
    assertThat(segments).isEqualTo(4); // 7 s at 2 s a segment, keyframes every second
    double sourceSeconds = Ffmpeg.videoDurationSeconds(plainSource);
    assertThat(total).isCloseTo(sourceSeconds, org.assertj.core.data.Offset.offset(0.04));
    assertThat(media.bodyText()).contains("#EXT-X-PLAYLIST-TYPE:VOD").contains("#EXT-X-ENDLIST");

    OriginFixtures.Raw segment = rawGet(port, "/v/" + PLAIN + "/src/0.ts");
    assertThat(segment.status()).isEqualTo(200);
    assertThat(segment.headers().get("content-type")).isEqualTo("video/mp2t");
    assertThat(segment.headers().get("cache-control"))
        .isEqualTo("public, max-age=31536000, immutable");
    assertThat(segment.body().length % 188).isZero();
    assertThat(segment.body()[0]).isEqualTo((byte) 0x47);

    // Same bytes twice (immutable), ranges served from them.
    assertThat(rawGet(port, "/v/" + PLAIN + "/src/0.ts").body()).isEqualTo(segment.body());
    try (Socket s = new Socket("127.0.0.1", port)) {
      OriginFixtures.Raw range =
          OriginFixtures.exchange(
              s,
              "GET /v/" + PLAIN + "/src/0.ts HTTP/1.1\r\nHost: x\r\nRange: bytes=188-375\r\n\r\n",
              false);
      assertThat(range.status()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(Arrays.copyOfRange(segment.body(), 188, 376));
    }
  }

  @Test
  void readyVideo_storedMasterWins_srcStillPlaysForStartedViewers() throws Exception {
    OriginFixtures.Raw master = rawGet(port, "/v/" + READY + "/master.m3u8");
    assertThat(master.status()).isEqualTo(200);
    assertThat(master.bodyText()).contains("720p/index.m3u8").doesNotContain("src/");
    assertThat(master.headers().get("cache-control")).isEqualTo("public, max-age=60");
    // A player that began on the JIT master before the job finished keeps its segments.
    assertThat(rawGet(port, "/v/" + READY + "/src/index.m3u8").status()).isEqualTo(200);
    assertThat(rawGet(port, "/v/" + READY + "/src/1.ts").status()).isEqualTo(200);
  }

  // ---- refusals

  @Test
  void badOriginals_404NotReadyWithTheReason() throws Exception {
    OriginFixtures.Raw hevc = rawGet(port, "/v/" + HEVC + "/master.m3u8");
    assertThat(hevc.status()).isEqualTo(404);
    assertThat(hevc.headers().get("content-type")).startsWith("application/json");
    assertThat(hevc.bodyText()).contains("\"error\":\"NOT_READY\"").contains("HEVC");
    assertThat(rawGet(port, "/v/" + HEVC + "/src/0.ts").bodyText()).contains("NOT_READY");

    OriginFixtures.Raw mkv = rawGet(port, "/v/" + MKV + "/master.m3u8");
    assertThat(mkv.status()).isEqualTo(404);
    assertThat(mkv.bodyText()).contains("NOT_READY").contains("not a readable MP4");

    OriginFixtures.Raw uploading = rawGet(port, "/v/" + UPLOADING + "/master.m3u8");
    assertThat(uploading.status()).isEqualTo(404);
    assertThat(uploading.bodyText()).contains("NOT_READY").contains("upload is not complete");
  }

  @Test
  void unknownVideoOrMissingOriginalOrPastTheEnd_404NotFound() throws Exception {
    for (String target :
        List.of(
            "/v/" + UNKNOWN + "/master.m3u8",
            "/v/" + UNKNOWN + "/src/0.ts",
            "/v/" + NO_ORIGINAL + "/master.m3u8",
            "/v/" + PLAIN + "/src/4.ts",
            "/v/" + PLAIN + "/src/999999999.ts",
            "/v/" + PLAIN + "/src/iframes.m3u8",
            "/v/" + PLAIN + "/720p/index.m3u8")) {
      OriginFixtures.Raw r = rawGet(port, target);
      assertThat(r.status()).as(target).isEqualTo(404);
      assertThat(r.bodyText()).as(target).contains("\"error\":\"NOT_FOUND\"");
    }
  }

  @Test
  void metrics_countRemuxesAndIndexOutcomes() throws Exception {
    rawGet(port, "/v/" + PLAIN + "/src/1.ts");
    rawGet(port, "/v/" + HEVC + "/master.m3u8");
    String metrics = new String(rawGet(port, "/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics)
        .containsPattern("origin_jit_remux_seconds_count(\\{[^}]*\\})? [1-9]")
        .containsPattern("origin_jit_index_total\\{[^}]*outcome=\"indexed\"[^}]*\\} [1-9]")
        .containsPattern("origin_jit_index_total\\{[^}]*outcome=\"refused\"[^}]*\\} [1-9]");
  }

  @Test
  void stateAnswers_cachedForAFewSeconds_negativeOnesToo() throws Exception {
    rawGet(port, "/v/" + UNKNOWN + "/master.m3u8"); // may already be cached by another test
    rawGet(port, "/v/" + PLAIN + "/master.m3u8");
    int before = cp.calls.get();
    for (int i = 0; i < 10; i++) {
      assertThat(rawGet(port, "/v/" + UNKNOWN + "/master.m3u8").status()).isEqualTo(404);
      assertThat(rawGet(port, "/v/" + PLAIN + "/src/index.m3u8").status()).isEqualTo(200);
    }
    // 5 s of caching: at most one more call each if an entry expired during the loop.
    assertThat(cp.calls.get() - before).isLessThanOrEqualTo(2);
  }

  @Test
  void tokensAndPaths_sameRulesAsStoredObjects() throws Exception {
    String good = OriginFixtures.playToken(PLAIN);
    assertThat(rawGet(port, "/t/" + good + "/v/" + PLAIN + "/master.m3u8").status()).isEqualTo(200);
    assertThat(rawGet(port, "/t/" + good + "/v/" + PLAIN + "/src/0.ts").status()).isEqualTo(200);
    int before = cp.calls.get();
    String other = OriginFixtures.playToken(BFRAMES);
    OriginFixtures.Raw wrongVideo = rawGet(port, "/t/" + other + "/v/" + PLAIN + "/src/0.ts");
    assertThat(wrongVideo.status()).isEqualTo(403);
    assertThat(wrongVideo.bodyText()).contains("TOKEN_INVALID");
    String expired =
        OriginFixtures.token(PLAIN, TokenScope.PLAY, java.time.Instant.now().minusSeconds(5));
    assertThat(rawGet(port, "/t/" + expired + "/v/" + PLAIN + "/master.m3u8").status())
        .isEqualTo(410);
    // Refused before anything else is asked.
    assertThat(cp.calls.get()).isEqualTo(before);
    for (String target :
        List.of(
            "/v/" + PLAIN + "/src/../../../originals/" + PLAIN + "/source",
            "/v/" + PLAIN + "/src/%2e%2e/source",
            "/v/" + PLAIN + "/src/00.ts",
            "/v/" + PLAIN + "/SRC/0.ts",
            "/v/" + PLAIN + "/src/0.ts/",
            "/v/" + PLAIN + "/src/source")) {
      OriginFixtures.Raw r = rawGet(port, target);
      assertThat(r.status()).as(target).isBetween(400, 404);
      assertThat(r.body().length).as(target).isLessThan(300);
    }
  }

  // ---- figures

  /**
   * Time to first byte and to the last byte on loopback, median (p90) of N on one keep-alive
   * connection: the JIT master cold (first request for a video: state lookup, stat, moov parse) and
   * warm, a JIT segment (remuxed on every request), and the same segment stored pre-packaged.
   * Printed for docs/streaming.md; asserts only that all were served.
   */
  @Test
  void timeToFirstByte_jitVersusPrepackaged() throws Exception {
    double[] cold = new double[COLD];
    for (int i = 0; i < COLD; i++) {
      cold[i] = timed("/v/" + coldId(i) + "/master.m3u8", 1)[0];
    }
    Arrays.sort(cold);
    byte[] seg = rawGet(port, "/v/" + LARGE + "/src/2.ts").body();
    OriginFixtures.put(role.blobs(), "hls/" + PREPACKAGED + "/720p/2.ts", seg);
    int n = 30;
    double[] master = timed("/v/" + LARGE + "/master.m3u8", n);
    double[] jit = timed("/v/" + LARGE + "/src/2.ts", n);
    double[] stored = timed("/v/" + PREPACKAGED + "/720p/2.ts", n);
    System.out.printf(
        Locale.ROOT,
        "JIT figures [%s] (ms; median/p90 of %d; ttfb, last byte): cold master ttfb median of %d"
            + " %.2f; warm master %.2f/%.2f; src segment (%d bytes) ttfb %.2f/%.2f, last %.2f/%.2f;"
            + " pre-packaged segment ttfb %.2f/%.2f, last %.2f/%.2f%n",
        getClass().getSimpleName(),
        n,
        COLD,
        cold[COLD / 2],
        master[0],
        master[1],
        seg.length,
        jit[0],
        jit[1],
        jit[2],
        jit[3],
        stored[0],
        stored[1],
        stored[2],
        stored[3]);
    String metrics = new String(rawGet(port, "/metrics").body(), StandardCharsets.UTF_8);
    System.out.printf(
        Locale.ROOT,
        "JIT remux on the server [%s]: %s%n",
        getClass().getSimpleName(),
        metrics
            .lines()
            .filter(l -> l.startsWith("origin_jit_remux_seconds_"))
            .reduce("", (a, b) -> a + b + "; "));
    assertThat(seg.length).isGreaterThan(100_000);
  }

  /** {ttfb median, ttfb p90, last-byte median, last-byte p90}, ms. */
  double[] timed(String target, int n) throws Exception {
    double[] first = new double[n];
    double[] last = new double[n];
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.setTcpNoDelay(true);
      BufferedInputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
      byte[] request =
          ("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        s.getOutputStream().write(request);
        s.getOutputStream().flush();
        in.mark(1);
        if (in.read() < 0) {
          throw new java.io.EOFException();
        }
        first[i] = (System.nanoTime() - start) / 1e6;
        in.reset();
        OriginFixtures.Raw r = OriginFixtures.read(in, false);
        last[i] = (System.nanoTime() - start) / 1e6;
        assertThat(r.status()).as(target).isEqualTo(200);
      }
    }
    Arrays.sort(first);
    Arrays.sort(last);
    int p90 = Math.min(n - 1, (int) (n * 0.9));
    return new double[] {first[n / 2], first[p90], last[n / 2], last[p90]};
  }

  // ---- helpers

  static String probe(String input, String stream, String entries) throws Exception {
    return Ffmpeg.runText(
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            stream,
            "-show_entries",
            entries,
            "-of",
            "default=nw=1",
            input)
        .lines()
        .distinct()
        .sorted()
        .reduce("", (a, b) -> a + b + "\n");
  }
}
