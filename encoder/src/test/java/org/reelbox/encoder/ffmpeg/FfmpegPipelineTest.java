package org.reelbox.encoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.work.AudioInput;
import org.reelbox.common.work.AudioOutput;
import org.reelbox.common.work.EncodeOutput;
import org.reelbox.common.work.InputLimits;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.PackageInput;
import org.reelbox.common.work.PackageOutput;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.encoder.backend.EncoderBackend;
import org.reelbox.encoder.pkg.HlsPackager;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.Variant;

/**
 * The ffmpeg backend end to end on a tiny source (320x180, 30 fps, 6 s, the first second black,
 * B-frames, keyframes every second): split into 2 s chunks, encode into two renditions with
 * keyframes every second, audio, thumbnails, and the packager on top.
 */
class FfmpegPipelineTest {
  @TempDir static Path dir;
  static final ProcessRunner runner = new ProcessRunner();
  static final FfmpegBackend backend =
      new FfmpegBackend(runner, "ffmpeg", "ffprobe", /* useHardware= */ false);
  static final int KEYFRAME_SECONDS = 1;
  static final List<RenditionSpec> RENDITIONS =
      List.of(
          new RenditionSpec("180p", 320, 180, 30, 1, 1, 400_000, "high", "3.1"),
          new RenditionSpec("90p", 160, 90, 30, 1, 1, 150_000, "main", "3.0"));

  static Path source;
  static MediaInfo info;
  static List<SplitOutput.Chunk> chunks;
  static final Map<String, List<Path>> encoded = new LinkedHashMap<>();
  static final Map<String, List<EncoderBackend.EncodedChunk>> results = new LinkedHashMap<>();
  static Path audio;
  static EncoderBackend.AudioResult audioResult;

  @BeforeAll
  static void run() throws Exception {
    source = dir.resolve("source.mp4");
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "color=c=black:s=320x180:r=30:d=1",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=320x180:r=30:d=5",
        "-f",
        "lavfi",
        "-i",
        "sine=f=440:sample_rate=44100:d=6",
        "-filter_complex",
        "[0:v][1:v]concat=n=2:v=1:a=0[v]",
        "-map",
        "[v]",
        "-map",
        "2:a",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-g",
        "30",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        source.toString());
    info = backend.inspect(source, InputLimits.defaults(), TestMedia.control(60));
    chunks = backend.split(source, info, 2, dir.resolve("chunks"), TestMedia.control(60));
    for (RenditionSpec rendition : RENDITIONS) {
      List<Path> files = new ArrayList<>();
      List<EncoderBackend.EncodedChunk> made = new ArrayList<>();
      for (SplitOutput.Chunk chunk : chunks) {
        Path out = dir.resolve("enc").resolve(rendition.name()).resolve(chunk.key());
        Files.createDirectories(out.getParent());
        made.add(
            backend.encode(
                dir.resolve("chunks").resolve(chunk.key()),
                chunk,
                rendition,
                "veryfast",
                KEYFRAME_SECONDS,
                List.of(),
                out,
                TestMedia.control(120)));
        files.add(out);
      }
      encoded.put(rendition.name(), files);
      results.put(rendition.name(), made);
    }
    audio = dir.resolve("audio").resolve("audio.aac");
    audioResult =
        backend
            .audio(
                source,
                info,
                new AudioInput("k", 128_000, 2, 48_000, "out", info),
                audio,
                TestMedia.control(60))
            .orElseThrow();
  }

  @Test
  void split_chunksCoverTheSourceAndStartAtKeyframes() throws Exception {
    assertThat(chunks).hasSize(3);
    long sum = chunks.stream().mapToLong(SplitOutput.Chunk::durationMillis).sum();
    assertThat(sum).isCloseTo(6000L, within(34L)); // the video's duration
    long expectedStart = 0;
    for (SplitOutput.Chunk chunk : chunks) {
      assertThat(chunk.key()).isEqualTo(String.format("c%04d.ts", chunk.index()));
      assertThat(chunk.startMillis()).isEqualTo(expectedStart);
      assertThat(info.video().keyframeTimesMillis()).contains(chunk.startMillis());
      expectedStart += chunk.durationMillis();
      List<double[]> packets = TestMedia.videoPackets(dir.resolve("chunks").resolve(chunk.key()));
      assertThat(packets.get(0)[1]).as("chunk starts with a keyframe").isEqualTo(1);
      assertThat(packets).hasSize(chunk.frames());
    }
  }

  @Test
  void encode_twoRenditions_h264WithTheSameKeyframes() throws Exception {
    List<List<Double>> keyframesByRendition = new ArrayList<>();
    for (RenditionSpec rendition : RENDITIONS) {
      Path all = dir.resolve(rendition.name() + "-all.ts");
      try (var os = Files.newOutputStream(all)) {
        for (Path chunk : encoded.get(rendition.name())) {
          Files.copy(chunk, os);
        }
      }
      JsonNode stream = TestMedia.probe(all, "-show_streams").path("streams").path(0);
      assertThat(stream.path("codec_name").asText()).isEqualTo("h264");
      assertThat(stream.path("profile").asText()).isEqualToIgnoringCase(rendition.profile());
      assertThat(stream.path("width").asInt()).isEqualTo(rendition.width());
      assertThat(stream.path("height").asInt()).isEqualTo(rendition.height());
      assertThat(stream.path("level").asInt())
          .isEqualTo((int) Math.round(Double.parseDouble(rendition.level()) * 10));

      List<double[]> packets = TestMedia.videoPackets(all);
      assertThat(packets).hasSize(180);
      for (int i = 1; i < packets.size(); i++) {
        double gap = packets.get(i)[0] - packets.get(i - 1)[0];
        assertThat(gap).as("frame %d: continuous timeline", i).isCloseTo(1 / 30.0, within(0.002));
      }
      List<Double> keyframes = new ArrayList<>();
      double first = packets.get(0)[0];
      for (double[] p : packets) {
        if (p[1] == 1) {
          keyframes.add(Math.round((p[0] - first) * 1000) / 1000.0);
        }
      }
      assertThat(keyframes).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0);
      keyframesByRendition.add(keyframes);
      assertThat(results.get(rendition.name()))
          .allSatisfy(r -> assertThat(r.encoder()).isEqualTo("libx264"))
          .extracting(EncoderBackend.EncodedChunk::frames)
          .containsExactly(60, 60, 60);
    }
    assertThat(keyframesByRendition.get(0)).isEqualTo(keyframesByRendition.get(1));
  }

  @Test
  void encodeAll_oneProcessForBothRenditions_sameBytesAsEncodingEachAlone() throws Exception {
    // A fused group and the same tasks run one by one must be interchangeable: a retried task
    // runs alone, and the packager concatenates whatever chunks each rendition has. With one x264
    // thread per encode (the default on a worker with a slot per core) they are byte for byte the
    // same; with frame threads x264's output depends on thread timing, and only the keyframes and
    // timestamps are (encode_twoRenditions_h264WithTheSameKeyframes).
    FfmpegBackend oneThread = new FfmpegBackend(runner, "ffmpeg", "ffprobe", false, 1);
    for (SplitOutput.Chunk chunk : chunks) {
      Path in = dir.resolve("chunks").resolve(chunk.key());
      List<Path> outs = new ArrayList<>();
      for (RenditionSpec rendition : RENDITIONS) {
        Path out = dir.resolve("fused").resolve(rendition.name()).resolve(chunk.key());
        Files.createDirectories(out.getParent());
        outs.add(out);
      }
      List<EncoderBackend.EncodedChunk> made =
          oneThread.encodeAll(
              in,
              chunk,
              RENDITIONS,
              "veryfast",
              KEYFRAME_SECONDS,
              List.of(),
              outs,
              TestMedia.control(120));
      for (int i = 0; i < RENDITIONS.size(); i++) {
        RenditionSpec rendition = RENDITIONS.get(i);
        Path alone = dir.resolve("alone").resolve(rendition.name()).resolve(chunk.key());
        Files.createDirectories(alone.getParent());
        EncoderBackend.EncodedChunk single =
            oneThread.encode(
                in,
                chunk,
                rendition,
                "veryfast",
                KEYFRAME_SECONDS,
                List.of(),
                alone,
                TestMedia.control(120));
        assertThat(outs.get(i))
            .as("%s of chunk %d", rendition.name(), chunk.index())
            .hasSameBinaryContentAs(alone);
        assertThat(made.get(i)).isEqualTo(single);
        assertThat(made.get(i).frames()).isEqualTo(chunk.frames());
      }
    }
  }

  @Test
  void encodeAll_badArguments_areRefused() {
    Path chunk = dir.resolve("chunks").resolve(chunks.get(0).key());
    assertThatThrownBy(
            () ->
                backend.encodeAll(
                    chunk,
                    chunks.get(0),
                    RENDITIONS,
                    "veryfast",
                    KEYFRAME_SECONDS,
                    List.of(),
                    List.of(dir.resolve("only-one.ts")),
                    TestMedia.control(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one output per rendition");
    assertThatThrownBy(
            () ->
                backend.encodeAll(
                    chunk,
                    chunks.get(0),
                    List.of(),
                    "veryfast",
                    KEYFRAME_SECONDS,
                    List.of(),
                    List.of(),
                    TestMedia.control(10)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void audio_isAdtsAacLc48kStereo() throws Exception {
    JsonNode stream = TestMedia.probe(audio, "-show_streams").path("streams").path(0);
    assertThat(stream.path("codec_name").asText()).isEqualTo("aac");
    assertThat(stream.path("profile").asText()).isEqualTo("LC");
    assertThat(stream.path("sample_rate").asInt()).isEqualTo(48_000);
    assertThat(stream.path("channels").asInt()).isEqualTo(2);
    assertThat(TestMedia.probe(audio, "-show_format").path("format").path("format_name").asText())
        .isEqualTo("aac");
    assertThat(audioResult.durationMillis()).isCloseTo(6000L, within(60L));
    assertThat(audioResult.startOffsetMillis()).isEqualTo(-21L); // one AAC frame of priming
  }

  @Test
  void audio_videoWithoutAudio_isEmpty() throws Exception {
    Path silent = dir.resolve("silent.mp4");
    TestMedia.mp4(silent, 128, 72, 1, false);
    MediaInfo silentInfo = backend.inspect(silent, InputLimits.defaults(), TestMedia.control(60));
    assertThat(
            backend.audio(
                silent,
                silentInfo,
                new AudioInput("k", 128_000, 2, 48_000, "out", silentInfo),
                dir.resolve("none.aac"),
                TestMedia.control(60)))
        .isEmpty();
  }

  @Test
  void thumbnails_rightSizesAndNotBlack() throws Exception {
    Path out = dir.resolve("thumbs");
    List<Path> files = backend.thumbnails(source, info, 2, null, out, TestMedia.control(120));
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("0.jpg", "10.jpg", "20.jpg", "1.jpg", "11.jpg", "21.jpg");
    assertSize(out.resolve("0.jpg"), 1280, 720);
    assertSize(out.resolve("10.jpg"), 640, 360);
    assertSize(out.resolve("21.jpg"), 320, 180);
    // The first candidate (0.5 s) is black: the picked frame must not be.
    Path gray = dir.resolve("gray.raw");
    TestMedia.ffmpeg(
        "-i",
        out.resolve("20.jpg").toString(),
        "-vf",
        "format=gray",
        "-f",
        "rawvideo",
        gray.toString());
    byte[] pixels = Files.readAllBytes(gray);
    double mean = 0;
    for (byte b : pixels) {
      mean += (b & 0xff);
    }
    mean /= pixels.length;
    assertThat(mean).isGreaterThan(FfmpegBackend.MIN_MEAN_LUMA);
  }

  @Test
  void thumbnails_creatorImage_isIndexZeroInEverySize() throws Exception {
    Path png = dir.resolve("creator.png");
    TestMedia.ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=s=400x400:d=1", "-frames:v", "1", png.toString());
    Path out = dir.resolve("creator-thumbs");
    List<Path> files = backend.thumbnails(source, info, 3, png, out, TestMedia.control(60));
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("0.jpg", "10.jpg", "20.jpg");
    assertSize(out.resolve("0.jpg"), 720, 720);
    assertSize(out.resolve("20.jpg"), 180, 180);
  }

  @Test
  void package_clear_playlistsParseAndPlay() throws Exception {
    Path hls = dir.resolve("hls-clear");
    PackageOutput output = pack(PackageInput.NONE, hls);
    assertThat(output.encrypted()).isFalse();
    assertThat(output.durationMillis()).isCloseTo(6000L, within(40L));
    assertThat(output.renditions()).hasSize(2);
    assertThat(output.renditions().get(0).codecs()).isEqualTo("avc1.64001f,mp4a.40.2");
    assertThat(output.renditions().get(1).codecs()).isEqualTo("avc1.4d401e,mp4a.40.2");

    MasterPlaylist master =
        PlaylistParser.parseMaster(Files.readString(hls.resolve("master.m3u8")));
    assertThat(master.variants()).hasSize(2);
    assertThat(master.iFrameVariants()).hasSize(2);
    Variant top = master.variants().get(0);
    assertThat(top.uri()).isEqualTo("180p/index.m3u8");
    assertThat(top.resolution().orElseThrow().width()).isEqualTo(320);
    assertThat(top.frameRate().getAsDouble()).isEqualTo(30.0);
    assertThat(top.bandwidthBps()).isGreaterThanOrEqualTo(top.averageBandwidthBps().getAsLong());
    assertThat(top.averageBandwidthBps().getAsLong()).isGreaterThan(128_000);

    for (RenditionSpec rendition : RENDITIONS) {
      MediaPlaylist media =
          PlaylistParser.parseMedia(
              Files.readString(hls.resolve(rendition.name()).resolve("index.m3u8")));
      assertThat(media.segments()).hasSize(6);
      assertThat(media.endList()).isTrue();
      assertThat(media.independentSegments()).isTrue();
      assertThat(media.durationUs()).isCloseTo(6_000_000L, within(40_000L));
      MediaPlaylist iframes =
          PlaylistParser.parseMedia(
              Files.readString(hls.resolve(rendition.name()).resolve("iframes.m3u8")));
      assertThat(iframes.iFramesOnly()).isTrue();
      assertThat(iframes.segments()).hasSize(6);
    }
    String text = Files.readString(hls.resolve("180p").resolve("index.m3u8"));
    assertThat(text).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-TARGETDURATION:1");
    // The I-frame ranges start at the PAT/PMT before each keyframe and decode on their own.
    assertThat(Files.readString(hls.resolve("180p").resolve("iframes.m3u8")))
        .contains("#EXT-X-I-FRAMES-ONLY", "#EXT-X-BYTERANGE:");
    assertThat(Files.readString(hls.resolve("master.m3u8")))
        .contains("#EXT-X-I-FRAME-STREAM-INF:", "CODECS=\"avc1.64001f,mp4a.40.2\"");

    ProcessRunner.Result play =
        runner.run(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-i",
                hls.resolve("master.m3u8").toString(),
                "-map",
                "0:v:0",
                "-map",
                "0:a:0",
                "-f",
                "null",
                "-"),
            ProcessRunner.Options.defaults(),
            TestMedia.control(60));
    assertThat(play.exitCode()).as(play.stderrTail()).isZero();
    assertThat(play.stderrTail()).isBlank();

    // A/V sync: the first audio sample after priming lines up with the first video frame.
    JsonNode streams = TestMedia.probe(hls.resolve("180p").resolve("0.ts"), "-show_streams");
    double videoStart = 0;
    double audioStart = 0;
    for (JsonNode s : streams.path("streams")) {
      if (s.path("codec_type").asText().equals("video")) {
        videoStart = s.path("start_time").asDouble();
      } else {
        audioStart = s.path("start_time").asDouble();
      }
    }
    assertThat(audioStart + 1024 / 48000.0 - videoStart).isCloseTo(0.0, within(0.040));
  }

  @Test
  void package_aes128_segmentsDecryptWithTheKey() throws Exception {
    Path hls = dir.resolve("hls-aes");
    PackageOutput output = pack(PackageInput.AES_128, hls);
    assertThat(output.encrypted()).isTrue();
    byte[] key = Files.readAllBytes(hls.resolve("keys").resolve("0.key"));
    assertThat(key).hasSize(16);
    String index = Files.readString(hls.resolve("90p").resolve("index.m3u8"));
    assertThat(index).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/0.key\"");

    byte[] encrypted = Files.readAllBytes(hls.resolve("90p").resolve("1.ts"));
    assertThat(encrypted[0]).isNotEqualTo((byte) 0x47);
    byte[] iv = new byte[16];
    iv[15] = 1; // RFC 8216 §5.2: the media sequence number
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    byte[] clear = cipher.doFinal(encrypted);
    assertThat(clear.length % 188).isZero();
    assertThat(clear[0]).isEqualTo((byte) 0x47);

    ProcessRunner.Result play =
        runner.run(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-allowed_extensions",
                "ALL",
                "-i",
                hls.resolve("90p").resolve("index.m3u8").toString(),
                "-f",
                "null",
                "-"),
            ProcessRunner.Options.defaults(),
            TestMedia.control(60));
    assertThat(play.exitCode()).as(play.stderrTail()).isZero();
    assertThat(play.stderrTail()).isBlank();
  }

  @Test
  void package_withoutAudio_isVideoOnly() throws Exception {
    Path hls = dir.resolve("hls-video-only");
    PackageOutput output = pack(PackageInput.NONE, hls, /* withAudio= */ false);
    assertThat(output.renditions().get(1).codecs()).isEqualTo("avc1.4d401e");
    JsonNode streams = TestMedia.probe(hls.resolve("90p").resolve("0.ts"), "-show_streams");
    assertThat(streams.path("streams")).hasSize(1);
  }

  // Progressive publishing (docs/transcoding.md §10): an early package publishes the cheapest
  // rendition, then the final package rewrites the same tree with every rendition. A player that
  // is already streaming the early rendition must not see one byte of it change.
  @Test
  void package_earlyThenFinal_publishedRenditionKeepsItsBytes() throws Exception {
    Path hls = dir.resolve("hls-progressive");
    PackageOutput early = pack(PackageInput.NONE, hls, true, List.of(RENDITIONS.get(1)));
    assertThat(early.renditions())
        .extracting(PackageOutput.PackagedRendition::name)
        .containsExactly("90p");
    Map<String, byte[]> published = new LinkedHashMap<>();
    try (var files = Files.list(hls.resolve("90p"))) {
      for (Path f : files.sorted().toList()) {
        published.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    assertThat(published).containsKeys("index.m3u8", "iframes.m3u8", "0.ts");
    String earlyMaster = Files.readString(hls.resolve("master.m3u8"));
    assertThat(earlyMaster).contains("90p/index.m3u8").doesNotContain("180p");

    PackageOutput last = pack(PackageInput.NONE, hls, true, RENDITIONS);

    assertThat(last.renditions()).hasSize(2);
    try (var files = Files.list(hls.resolve("90p"))) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
          .containsExactlyElementsOf(published.keySet());
    }
    for (Map.Entry<String, byte[]> e : published.entrySet()) {
      assertThat(Files.readAllBytes(hls.resolve("90p").resolve(e.getKey())))
          .as("90p/" + e.getKey())
          .isEqualTo(e.getValue());
    }
    assertThat(Files.readString(hls.resolve("master.m3u8")))
        .contains("180p/index.m3u8")
        .contains("90p/index.m3u8");
  }

  @Test
  void package_earlyThenFinal_aes128_theKeyIsKeptAndThePublishedSegmentsTooByteForByte()
      throws Exception {
    Path hls = dir.resolve("hls-progressive-aes");
    // A leftover that is not a key (5 bytes) is replaced by a fresh one.
    Files.createDirectories(hls.resolve("keys"));
    Files.write(hls.resolve("keys").resolve("0.key"), new byte[5]);
    pack(PackageInput.AES_128, hls, true, List.of(RENDITIONS.get(1)));
    byte[] key = Files.readAllBytes(hls.resolve("keys").resolve("0.key"));
    assertThat(key).hasSize(16).isNotEqualTo(new byte[16]);
    Map<String, byte[]> published = new LinkedHashMap<>();
    try (var files = Files.list(hls.resolve("90p"))) {
      for (Path f : files.sorted().toList()) {
        published.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    assertThat(published).containsKeys("index.m3u8", "0.ts", "1.ts");

    // The worker puts the published key into keyDir before the final package (TaskRunner.pack);
    // here it is still there.
    pack(PackageInput.AES_128, hls, true, RENDITIONS);

    assertThat(Files.readAllBytes(hls.resolve("keys").resolve("0.key"))).isEqualTo(key);
    for (Map.Entry<String, byte[]> e : published.entrySet()) {
      assertThat(Files.readAllBytes(hls.resolve("90p").resolve(e.getKey())))
          .as("90p/" + e.getKey())
          .isEqualTo(e.getValue());
    }
    assertThat(Files.readString(hls.resolve("180p").resolve("index.m3u8")))
        .contains("#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/0.key\"");
  }

  private static PackageOutput pack(String encryption, Path hls) throws Exception {
    return pack(encryption, hls, true);
  }

  private static PackageOutput pack(String encryption, Path hls, boolean withAudio)
      throws Exception {
    return pack(encryption, hls, withAudio, RENDITIONS);
  }

  private static PackageOutput pack(
      String encryption, Path hls, boolean withAudio, List<RenditionSpec> only) throws Exception {
    List<PackageInput.PackageRendition> renditions = new ArrayList<>();
    List<List<Path>> files = new ArrayList<>();
    for (RenditionSpec rendition : only) {
      List<EncodeOutput> outputs = new ArrayList<>();
      List<Path> local = encoded.get(rendition.name());
      for (int i = 0; i < local.size(); i++) {
        String key = "temp/v/enc/" + rendition.name() + "/" + i;
        outputs.add(new EncodeOutput(key, Files.size(local.get(i)), 60, 2000, "libx264"));
      }
      files.add(local);
      renditions.add(new PackageInput.PackageRendition(rendition, outputs));
    }
    PackageInput input =
        new PackageInput(
            "v",
            KEYFRAME_SECONDS,
            encryption,
            renditions,
            withAudio
                ? new AudioOutput(
                    "temp/v/audio/audio.aac",
                    audioResult.durationMillis(),
                    audioResult.startOffsetMillis())
                : new AudioOutput(null, 0, 0),
            128_000,
            2,
            48_000,
            List.of());
    HlsPackager packager = new HlsPackager(backend, new SecureRandom());
    // Keys beside the renditions, so that ../keys/0.key resolves on the file system.
    return packager.pack(
        input, files, withAudio ? audio : null, hls, hls.resolve("keys"), TestMedia.control(120));
  }

  private static void assertSize(Path jpeg, int width, int height) throws Exception {
    JsonNode stream = TestMedia.probe(jpeg, "-show_streams").path("streams").path(0);
    assertThat(stream.path("codec_name").asText()).isEqualTo("mjpeg");
    assertThat(stream.path("width").asInt()).isEqualTo(width);
    assertThat(stream.path("height").asInt()).isEqualTo(height);
  }
}
