package org.reelbox.encoder.jcodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.reelbox.encoder.jcodec.TestMedia.control;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;
import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.work.AudioInput;
import org.reelbox.common.work.AudioOutput;
import org.reelbox.common.work.EncodeOutput;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.InputLimits;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.PackageInput;
import org.reelbox.common.work.PackageOutput;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.encoder.backend.EncoderBackend;
import org.reelbox.encoder.backend.TaskFailedException;
import org.reelbox.encoder.pkg.HlsPackager;
import org.reelbox.media.ts.TsScan;
import org.reelbox.media.ts.TsScanner;
import org.reelbox.media.ts.VideoAccessUnit;
import org.reelbox.media.ts.VideoSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class JcodecBackendTest {
  private static final Logger log = LoggerFactory.getLogger(JcodecBackendTest.class);
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir static Path shared;
  static Path sample; // 160x90, 25 fps, 3 s, IDR every second
  static final JcodecBackend backend = new JcodecBackend();

  @TempDir Path dir;

  @BeforeAll
  static void makeSample() throws IOException {
    sample = shared.resolve("sample.mp4");
    TestMedia.jcodecMp4(sample, 160, 90, 25, 75);
  }

  private static MediaInfo inspect(Path file) throws TaskFailedException {
    return backend.inspect(file, InputLimits.defaults(), control(false));
  }

  private static FailureCode inspectFailure(Path file) {
    TaskFailedException e =
        assertTimeoutPreemptively(
            BOUND,
            () -> {
              try {
                inspect(file);
                return null;
              } catch (TaskFailedException f) {
                return f;
              }
            });
    assertThat(e).as("inspect of %s should fail", file.getFileName()).isNotNull();
    log.info("{}: {} {}", file.getFileName(), e.code(), e.getMessage());
    return e.code();
  }

  // --- inspect

  @Test
  void inspect_jcodecMp4_describesIt() throws Exception {
    MediaInfo info = inspect(sample);

    assertThat(info.container()).isEqualTo("mp4");
    assertThat(info.sizeBytes()).isEqualTo(Files.size(sample));
    assertThat(info.durationMillis()).isEqualTo(3000);
    assertThat(info.streamCount()).isEqualTo(1);
    assertThat(info.audio()).isNull();
    MediaInfo.VideoInfo v = info.video();
    assertThat(v.codec()).isEqualTo("h264");
    assertThat(v.width()).isEqualTo(160);
    assertThat(v.height()).isEqualTo(90);
    assertThat(v.rotation()).isZero();
    assertThat(v.displayWidth()).isEqualTo(160);
    assertThat(v.frameRateNum() / (double) v.frameRateDen()).isEqualTo(25.0);
    assertThat(v.keyframeTimesMillis()).containsExactly(0L, 1000L, 2000L);
    assertThat(v.bitrateBps()).isPositive();
    assertThat(backend.name()).isEqualTo(WorkerInfo.JCODEC);
    assertThat(backend.hardwareEncoders()).isEmpty();
  }

  @Test
  void inspect_emptyFile_corruptInput() throws Exception {
    assertThat(inspectFailure(Files.write(dir.resolve("empty.mp4"), new byte[0])))
        .isEqualTo(FailureCode.CORRUPT_INPUT);
  }

  @Test
  void inspect_randomBytes_corruptInput() throws Exception {
    byte[] random = new byte[200_000];
    new Random(42).nextBytes(random);
    assertThat(inspectFailure(Files.write(dir.resolve("random.mp4"), random)))
        .isEqualTo(FailureCode.CORRUPT_INPUT);
  }

  @Test
  void inspect_truncatedBeforeMoov_corruptInput() throws Exception {
    byte[] whole = Files.readAllBytes(sample);
    // jcodec writes moov at the end: half the file has ftyp and part of mdat only.
    Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(whole, whole.length / 2));
    assertThat(inspectFailure(cut)).isEqualTo(FailureCode.CORRUPT_INPUT);
  }

  @Test
  void inspect_boxSizePastTheEnd_corruptInput() throws Exception {
    byte[] whole = Files.readAllBytes(sample);
    int moov = indexOf(whole, "moov") - 4;
    ByteBuffer.wrap(whole).putInt(moov, 0x7FFF_0000); // moov claims 2 GB
    assertThat(inspectFailure(Files.write(dir.resolve("huge.mp4"), whole)))
        .isEqualTo(FailureCode.CORRUPT_INPUT);
  }

  @Test
  void inspect_sampleTableClaimingBillionsOfEntries_corruptInput() throws Exception {
    byte[] whole = Files.readAllBytes(sample);
    int stsz = indexOf(whole, "stsz");
    ByteBuffer.wrap(whole).putInt(stsz + 12, 0x7FFF_FFFF); // sample_count
    assertThat(inspectFailure(Files.write(dir.resolve("stsz.mp4"), whole)))
        .isEqualTo(FailureCode.CORRUPT_INPUT);
  }

  @Test
  void inspect_tinyPicture_resolutionOutOfRange() throws Exception {
    Path tiny = dir.resolve("tiny.mp4");
    TestMedia.jcodecMp4(tiny, 16, 16, 25, 5);
    assertThat(inspectFailure(tiny)).isEqualTo(FailureCode.RESOLUTION_OUT_OF_RANGE);
  }

  @Test
  void inspect_limits_durationAndStreams() throws Exception {
    assertThatThrownBy(
            () -> backend.inspect(sample, new InputLimits(64, 7680, 2, 8), control(false)))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> assertThat(e.code()).isEqualTo(FailureCode.DURATION_TOO_LONG));
    assertThatThrownBy(
            () -> backend.inspect(sample, new InputLimits(64, 7680, 100, 0), control(false)))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> assertThat(e.code()).isEqualTo(FailureCode.TOO_MANY_STREAMS));
  }

  @Test
  void inspect_cancelled_workerShutdown() {
    assertThatThrownBy(() -> backend.inspect(sample, InputLimits.defaults(), control(true)))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> assertThat(e.code()).isEqualTo(FailureCode.WORKER_SHUTDOWN));
  }

  @Test
  void inspect_matroska_unsupportedContainer() throws Exception {
    assumeThat(TestMedia.hasFfmpeg()).isTrue();
    Path mkv = dir.resolve("in.mkv");
    TestMedia.ffmpeg("-i", sample.toString(), "-c", "copy", mkv.toString());
    assertThat(inspectFailure(mkv)).isEqualTo(FailureCode.UNSUPPORTED_CONTAINER);
    Path ts = dir.resolve("in.ts");
    TestMedia.ffmpeg("-i", sample.toString(), "-c", "copy", ts.toString());
    assertThat(inspectFailure(ts)).isEqualTo(FailureCode.UNSUPPORTED_CONTAINER);
  }

  @Test
  void inspect_hevc_unsupportedCodec() throws Exception {
    assumeThat(TestMedia.hasFfmpeg()).isTrue();
    Path hevc = dir.resolve("hevc.mp4");
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=128x72:rate=10",
        "-t",
        "1",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx265",
        "-x265-params",
        "log-level=error",
        "-tag:v",
        "hvc1",
        hevc.toString());
    assertThat(inspectFailure(hevc)).isEqualTo(FailureCode.UNSUPPORTED_CODEC);
  }

  @Test
  void inspect_audioOnly_noVideoStream() throws Exception {
    assumeThat(TestMedia.hasFfmpeg()).isTrue();
    Path m4a = dir.resolve("audio.m4a");
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-t",
        "1",
        "-c:a",
        "aac",
        m4a.toString());
    assertThat(inspectFailure(m4a)).isEqualTo(FailureCode.NO_VIDEO_STREAM);
  }

  // --- split

  @Test
  void split_chunksStartAtKeyframesAndSumToTheDuration() throws Exception {
    MediaInfo info = inspect(sample);

    List<SplitOutput.Chunk> chunks = backend.split(sample, info, 1, dir, control(false));

    assertThat(chunks).hasSize(3);
    assertThat(chunks.stream().mapToLong(SplitOutput.Chunk::durationMillis).sum())
        .isEqualTo(info.durationMillis());
    assertThat(chunks.stream().mapToInt(SplitOutput.Chunk::frames).sum()).isEqualTo(75);
    long previousEnd = -1;
    for (SplitOutput.Chunk c : chunks) {
      assertThat(c.key()).isEqualTo(String.format("c%04d.ts", c.index()));
      assertThat(info.video().keyframeTimesMillis()).contains(c.startMillis());
      TsScan scan = TsScanner.scan(Files.newInputStream(dir.resolve(c.key())));
      assertThat(scan.accessUnits()).hasSize(c.frames());
      assertThat(scan.accessUnits().get(0).keyframe()).isTrue();
      assertThat(scan.videoDurationUs()).isEqualTo(c.durationMillis() * 1000);
      // One timeline: each chunk starts where the previous one ended.
      long first = scan.firstVideoPts90k().getAsLong();
      if (previousEnd >= 0) {
        assertThat(first).isEqualTo(previousEnd);
      }
      previousEnd = first + scan.videoDuration90k();
    }
  }

  // --- encode

  private static RenditionSpec rendition(String name, int w, int h, int step) {
    return new RenditionSpec(name, w, h, 25, step, step, 300_000, "baseline", "3.0");
  }

  @Test
  void encode_twoChunksTwoRenditions_decodableWithAlignedKeyframes() throws Exception {
    MediaInfo info = inspect(sample);
    List<SplitOutput.Chunk> chunks = backend.split(sample, info, 2, dir, control(false));
    assertThat(chunks).hasSize(2);
    List<RenditionSpec> renditions =
        List.of(rendition("r160", 160, 90, 1), rendition("r96", 96, 54, 1));

    List<List<Long>> keyframeTimes = new ArrayList<>();
    for (RenditionSpec r : renditions) {
      List<Long> idrs = new ArrayList<>();
      for (SplitOutput.Chunk c : chunks) {
        Path out = dir.resolve(r.name() + "-" + c.key());
        EncoderBackend.EncodedChunk result =
            backend.encode(
                dir.resolve(c.key()), c, r, "veryfast", 1, List.of(), out, control(false));
        assertThat(result.encoder()).isEqualTo("jcodec");
        assertThat(result.frames()).isEqualTo(c.frames());
        assertThat(result.durationMillis()).isEqualTo(c.durationMillis());

        List<VideoSample> samples = new ArrayList<>();
        TsScanner.demux(Files.newInputStream(out), samples::add);
        assertThat(samples).hasSize(c.frames());
        assertThat(samples.get(0).accessUnit().keyframe()).isTrue();
        H264Decoder decoder = new H264Decoder();
        for (VideoSample s : samples) {
          byte[][] buf = Picture.create(176, 96, ColorSpace.YUV420J).getData();
          Picture p = decoder.decodeFrame(ByteBuffer.wrap(s.annexB()), buf);
          assertThat(p).isNotNull();
          assertThat(p.getCroppedWidth()).isEqualTo(r.width());
          assertThat(p.getCroppedHeight()).isEqualTo(r.height());
          if (s.accessUnit().keyframe()) {
            idrs.add(s.accessUnit().pts90k());
          }
        }
        if (TestMedia.hasFfmpeg()) {
          String probe =
              TestMedia.ffprobe(
                  out,
                  "-show_entries",
                  "stream=codec_name,profile,width,height",
                  "-of",
                  "default=nw=1");
          assertThat(probe)
              .contains("codec_name=h264")
              .contains("profile=Constrained Baseline")
              .contains("width=" + r.width())
              .contains("height=" + r.height());
        }
      }
      keyframeTimes.add(idrs);
    }
    // Keyframes at every second of the source (keyframeSeconds 1), the same in both renditions.
    assertThat(keyframeTimes.get(0)).hasSize(3).isEqualTo(keyframeTimes.get(1));
    long first = keyframeTimes.get(0).get(0);
    assertThat(keyframeTimes.get(0)).containsExactly(first, first + 90_000, first + 180_000);
  }

  @Test
  void encode_frameStepAndWatermark() throws Exception {
    MediaInfo info = inspect(sample);
    List<SplitOutput.Chunk> chunks = backend.split(sample, info, 4, dir, control(false));
    SplitOutput.Chunk c = chunks.get(0);
    BufferedImage red = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = red.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 32, 32);
    g.dispose();
    Path png = dir.resolve("mark.png");
    ImageIO.write(red, "png", png.toFile());
    Path out = dir.resolve("wm.ts");

    EncoderBackend.EncodedChunk result =
        backend.encode(
            dir.resolve(c.key()),
            c,
            rendition("r160", 160, 90, 2),
            "veryfast",
            4,
            List.of(new EncoderBackend.LocalFilter("watermark", png, "bottom-left", 4)),
            out,
            control(false));

    assertThat(result.frames()).isEqualTo(38); // every other frame of 75
    List<VideoSample> samples = new ArrayList<>();
    TsScanner.demux(Files.newInputStream(out), samples::add);
    Picture p =
        new H264Decoder()
            .decodeFrame(
                ByteBuffer.wrap(samples.get(0).annexB()),
                Picture.create(160, 96, ColorSpace.YUV420J).getData());
    BufferedImage frame = Images.toImage(p);
    // The watermark is scaled to a quarter of the width (40 px) at 4 px from the bottom left.
    Color inside = new Color(frame.getRGB(4 + 10, 90 - 4 - 10));
    assertThat(inside.getRed()).isGreaterThan(180);
    assertThat(inside.getGreen()).isLessThan(90);
  }

  @Test
  void encode_cancelled_workerShutdown() throws Exception {
    MediaInfo info = inspect(sample);
    SplitOutput.Chunk c = backend.split(sample, info, 4, dir, control(false)).get(0);
    assertThatThrownBy(
            () ->
                backend.encode(
                    dir.resolve(c.key()),
                    c,
                    rendition("r", 96, 54, 1),
                    "veryfast",
                    4,
                    List.of(),
                    dir.resolve("x.ts"),
                    control(true)))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> assertThat(e.code()).isEqualTo(FailureCode.WORKER_SHUTDOWN));
  }

  @Test
  void encode_brokenChunk_corruptInput() throws Exception {
    byte[] junk = new byte[188 * 10];
    new Random(1).nextBytes(junk);
    Path bad = Files.write(dir.resolve("bad.ts"), junk);
    SplitOutput.Chunk c = new SplitOutput.Chunk(0, "bad.ts", 0, 1000, 25);
    assertThatThrownBy(
            () ->
                backend.encode(
                    bad,
                    c,
                    rendition("r", 96, 54, 1),
                    "veryfast",
                    4,
                    List.of(),
                    dir.resolve("o.ts"),
                    control(false)))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.code()).isEqualTo(FailureCode.CORRUPT_INPUT);
              assertThat(e.recoverable()).isFalse();
            });
  }

  /** Not a benchmark, a measurement for docs/transcoding.md: logs frames per second. */
  @Test
  void encode_320x180_speed() throws Exception {
    Path src = dir.resolve("speed.mp4");
    TestMedia.jcodecMp4(src, 320, 180, 25, 50);
    MediaInfo info = inspect(src);
    SplitOutput.Chunk c = backend.split(src, info, 4, dir, control(false)).get(0);
    RenditionSpec r = new RenditionSpec("r", 320, 180, 25, 1, 1, 500_000, "baseline", "3.0");
    backend.encode(
        dir.resolve(c.key()),
        c,
        r,
        "veryfast",
        4,
        List.of(),
        dir.resolve("w.ts"),
        control(false)); // warm-up
    long start = System.nanoTime();
    EncoderBackend.EncodedChunk result =
        backend.encode(
            dir.resolve(c.key()),
            c,
            r,
            "veryfast",
            4,
            List.of(),
            dir.resolve("s.ts"),
            control(false));
    double seconds = (System.nanoTime() - start) / 1e9;
    long bytes = Files.size(dir.resolve("s.ts"));
    log.info(
        "jcodec 320x180 decode+scale+encode: {} frames in {} s = {} fps; {} kbit/s for a 500 kbit/s"
            + " target",
        result.frames(),
        String.format("%.2f", seconds),
        String.format("%.1f", result.frames() / seconds),
        bytes * 8 / 2 / 1000);
    assertThat(result.frames()).isEqualTo(50);
  }

  // --- audio, segment (ffmpeg-made source with AAC and B frames)

  private Path avWithBFrames() throws Exception {
    Path av = dir.resolve("av.mp4");
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=160x90:rate=25",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-t",
        "3",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
        "-bf",
        "2",
        "-g",
        "25",
        "-keyint_min",
        "25",
        "-sc_threshold",
        "0",
        "-c:a",
        "aac",
        "-ac",
        "2",
        "-shortest",
        av.toString());
    return av;
  }

  @Test
  void audioAndSegment_aacSourceWithBFrames() throws Exception {
    assumeThat(TestMedia.hasFfmpeg()).isTrue();
    Path av = avWithBFrames();
    MediaInfo info = inspect(av);
    assertThat(info.video().profile()).isEqualTo("High");
    assertThat(info.audio()).isNotNull();
    assertThat(info.audio().codec()).isEqualTo("aac");
    assertThat(info.audio().sampleRateHz()).isEqualTo(48000);
    assertThat(info.audio().channels()).isEqualTo(2);
    assertThat(info.video().keyframeTimesMillis()).containsExactly(0L, 1000L, 2000L);

    // Audio: ADTS, no re-encoding.
    Path aac = dir.resolve("audio.aac");
    AudioInput spec = new AudioInput("src", 128_000, 2, 48000, "out", info);
    Optional<EncoderBackend.AudioResult> audio = backend.audio(av, info, spec, aac, control(false));
    assertThat(audio).isPresent();
    assertThat(audio.get().durationMillis()).isBetween(2900L, 3100L);
    assertThat(Math.abs(audio.get().startOffsetMillis())).isLessThan(50);
    assertThat(
            TestMedia.ffprobe(
                aac,
                "-show_entries",
                "stream=codec_name,sample_rate,channels",
                "-of",
                "default=nw=1"))
        .contains("codec_name=aac", "sample_rate=48000", "channels=2");

    // Split keeps composition offsets: B frames have DTS before PTS.
    List<SplitOutput.Chunk> chunks = backend.split(av, info, 1, dir, control(false));
    assertThat(chunks).hasSize(3);
    assertThat(chunks.stream().mapToLong(SplitOutput.Chunk::durationMillis).sum())
        .isEqualTo(info.video().keyframeTimesMillis().isEmpty() ? 0 : 3000);
    TsScan scan = TsScanner.scan(Files.newInputStream(dir.resolve(chunks.get(0).key())));
    assertThat(scan.accessUnits()).anyMatch(au -> au.dts90k() < au.pts90k());
    assertThat(scan.accessUnits().get(0).keyframe()).isTrue();

    // Encode (decoding B frames in presentation order), then segment with the audio.
    List<Path> encoded = new ArrayList<>();
    for (SplitOutput.Chunk c : chunks) {
      Path out = dir.resolve("enc-" + c.key());
      backend.encode(
          dir.resolve(c.key()),
          c,
          rendition("r", 160, 90, 1),
          "veryfast",
          2,
          List.of(),
          out,
          control(false));
      encoded.add(out);
      TsScan e = TsScanner.scan(Files.newInputStream(out));
      List<Long> pts = e.accessUnits().stream().map(VideoAccessUnit::pts90k).toList();
      assertThat(pts).isSorted().doesNotHaveDuplicates();
    }
    Path segDir = dir.resolve("seg");
    List<EncoderBackend.Segment> segments =
        backend.segment(encoded, aac, audio.get().startOffsetMillis(), 2, segDir, control(false));

    assertThat(segments).hasSize(2);
    assertThat(segments.stream().mapToLong(EncoderBackend.Segment::durationUs).sum())
        .isEqualTo(3_000_000);
    assertThat(segments.get(0).durationUs()).isEqualTo(2_000_000);
    for (int i = 0; i < segments.size(); i++) {
      EncoderBackend.Segment s = segments.get(i);
      assertThat(s.file()).isEqualTo(segDir.resolve(i + ".ts"));
      TsScan seg = TsScanner.scan(Files.newInputStream(s.file()));
      assertThat(seg.accessUnits().get(0).keyframe()).isTrue();
      assertThat(seg.audioPid()).isPresent();
      assertThat(seg.firstAudioPts90k()).isPresent();
      assertThat(
              TestMedia.ffprobe(
                  s.file(), "-show_entries", "stream=codec_name", "-of", "default=nw=1"))
          .contains("codec_name=h264", "codec_name=aac");
    }
  }

  @Test
  void audio_noAudioTrack_empty() throws Exception {
    MediaInfo info = inspect(sample);
    AudioInput spec = new AudioInput("src", 128_000, 2, 48000, "out", info);
    assertThat(backend.audio(sample, info, spec, dir.resolve("a.aac"), control(false))).isEmpty();
  }

  @Test
  void segment_videoOnly_segmentsStartAtKeyframesAndSumToTheTotal() throws Exception {
    MediaInfo info = inspect(sample);
    List<SplitOutput.Chunk> chunks = backend.split(sample, info, 1, dir, control(false));
    List<Path> files = chunks.stream().map(c -> dir.resolve(c.key())).toList();

    List<EncoderBackend.Segment> segments =
        backend.segment(files, null, 0, 2, dir.resolve("s"), control(false));

    assertThat(segments).hasSize(2);
    assertThat(segments.stream().mapToLong(EncoderBackend.Segment::durationUs))
        .containsExactly(2_000_000L, 1_000_000L);
    for (EncoderBackend.Segment s : segments) {
      TsScan scan = TsScanner.scan(Files.newInputStream(s.file()));
      assertThat(scan.accessUnits().get(0).keyframe()).isTrue();
      assertThat(scan.audioPid()).isEmpty();
    }
  }

  /**
   * Regression: the master playlist said {@code avc1.4d401e} (Main, the rung's profile) for
   * renditions that jcodec had encoded as Constrained Baseline; CODECS now comes from the SPS.
   */
  @Test
  void package_jcodecEncodesAMainRung_codecsSayConstrainedBaseline() throws Exception {
    MediaInfo info = inspect(sample);
    List<SplitOutput.Chunk> chunks = backend.split(sample, info, 2, dir, control(false));
    RenditionSpec main = new RenditionSpec("r96", 96, 54, 25, 1, 1, 300_000, "main", "3.0");
    List<Path> encoded = new ArrayList<>();
    List<EncodeOutput> outputs = new ArrayList<>();
    for (SplitOutput.Chunk c : chunks) {
      Path out = dir.resolve("enc-" + c.key());
      EncoderBackend.EncodedChunk e =
          backend.encode(
              dir.resolve(c.key()), c, main, "veryfast", 1, List.of(), out, control(false));
      encoded.add(out);
      outputs.add(
          new EncodeOutput(c.key(), Files.size(out), e.frames(), e.durationMillis(), "jcodec"));
    }
    PackageInput input =
        new PackageInput(
            "v",
            2,
            PackageInput.NONE,
            List.of(new PackageInput.PackageRendition(main, outputs)),
            new AudioOutput(null, 0, 0),
            128_000,
            2,
            48_000,
            List.of());

    PackageOutput output =
        new HlsPackager(backend, new SecureRandom())
            .pack(
                input,
                List.of(encoded),
                null,
                dir.resolve("hls"),
                dir.resolve("keys"),
                control(false));

    // profile_idc 66 with constraint_set0 and 1 (Constrained Baseline), level 3.0.
    assertThat(output.renditions().get(0).codecs()).isEqualTo("avc1.42c01e");
    assertThat(Files.readString(dir.resolve("hls/master.m3u8"))).contains("CODECS=\"avc1.42c01e\"");
  }

  // --- thumbnails

  @Test
  void thumbnails_pickedFrames_sizesRightAndNotBlack() throws Exception {
    MediaInfo info = inspect(sample);

    List<Path> files = backend.thumbnails(sample, info, 2, null, dir, control(false));

    assertThat(files).hasSize(6);
    int[][] expected = {{1280, 720}, {640, 360}, {320, 180}};
    for (int s = 0; s < 3; s++) {
      for (int i = 0; i < 2; i++) {
        Path f = dir.resolve((s * 10 + i) + ".jpg");
        assertThat(files).contains(f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertThat(img.getWidth()).isEqualTo(expected[s][0]);
        assertThat(img.getHeight()).isEqualTo(expected[s][1]);
        Color c = new Color(img.getRGB(img.getWidth() - 2, img.getHeight() - 2));
        assertThat(c.getRed() + c.getGreen() + c.getBlue()).isGreaterThan(150);
      }
    }
  }

  @Test
  void thumbnails_creatorImage_isThumbnailZeroInEverySize() throws Exception {
    MediaInfo info = inspect(sample);
    BufferedImage square = new BufferedImage(400, 400, BufferedImage.TYPE_INT_RGB);
    Path png = dir.resolve("creator.png");
    ImageIO.write(square, "png", png.toFile());

    List<Path> files = backend.thumbnails(sample, info, 3, png, dir.resolve("t"), control(false));

    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("0.jpg", "10.jpg", "20.jpg");
    assertThat(ImageIO.read(files.get(0).toFile()).getHeight()).isEqualTo(720);
    assertThat(ImageIO.read(files.get(2).toFile()).getWidth()).isEqualTo(180);
  }

  private static int indexOf(byte[] data, String type) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + 4 <= data.length; i++) {
      for (int k = 0; k < 4; k++) {
        if (data[i + k] != t[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("no " + type);
  }

  @SuppressWarnings("unused")
  private static ByteArrayInputStream stream(byte[] b) {
    return new ByteArrayInputStream(b);
  }
}
