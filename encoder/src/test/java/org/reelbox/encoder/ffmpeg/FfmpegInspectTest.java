package org.reelbox.encoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.InputLimits;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.encoder.backend.TaskFailedException;

class FfmpegInspectTest {
  @TempDir static Path dir;
  static Path good;
  static final FfmpegBackend backend =
      new FfmpegBackend(new ProcessRunner(), "ffmpeg", "ffprobe", /* useHardware= */ false);

  @BeforeAll
  static void generate() throws Exception {
    good = dir.resolve("good.mp4");
    TestMedia.mp4(good, 320, 180, 3, /* audio= */ true);
  }

  @Test
  void inspect_goodMp4_describesIt() throws Exception {
    MediaInfo info = backend.inspect(good, InputLimits.defaults(), TestMedia.control(60));
    assertThat(info.container()).isEqualTo("mp4");
    assertThat(info.sizeBytes()).isEqualTo(Files.size(good));
    assertThat(info.durationMillis()).isBetween(2900L, 3100L);
    assertThat(info.streamCount()).isEqualTo(2);
    MediaInfo.VideoInfo v = info.video();
    assertThat(v.codec()).isEqualTo("h264");
    assertThat(v.width()).isEqualTo(320);
    assertThat(v.height()).isEqualTo(180);
    assertThat(v.rotation()).isZero();
    assertThat(v.displayWidth()).isEqualTo(320);
    assertThat(v.displayHeight()).isEqualTo(180);
    assertThat((double) v.frameRateNum() / v.frameRateDen()).isEqualTo(30.0);
    assertThat(v.keyframeTimesMillis()).containsExactly(0L, 1000L, 2000L);
    assertThat(info.audio().codec()).isEqualTo("aac");
    assertThat(info.audio().sampleRateHz()).isEqualTo(44100);
  }

  @Test
  void inspect_rotatedVideo_swapsTheDisplaySize() throws Exception {
    Path rotated = dir.resolve("rotated.mp4");
    TestMedia.ffmpeg(
        "-i", good.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated.toString());
    MediaInfo info = backend.inspect(rotated, InputLimits.defaults(), TestMedia.control(60));
    assertThat(info.video().rotation()).isIn(90, 270);
    assertThat(info.video().displayWidth()).isEqualTo(180);
    assertThat(info.video().displayHeight()).isEqualTo(320);
    assertThat(info.video().width()).isEqualTo(320);
  }

  @Test
  void inspect_matroskaAndMpegts_areAccepted() throws Exception {
    Path mkv = dir.resolve("good.mkv");
    Path ts = dir.resolve("good.ts");
    TestMedia.ffmpeg("-i", good.toString(), "-c", "copy", mkv.toString());
    TestMedia.ffmpeg("-i", good.toString(), "-c", "copy", ts.toString());
    assertThat(backend.inspect(mkv, InputLimits.defaults(), TestMedia.control(60)).container())
        .isEqualTo("matroska");
    assertThat(backend.inspect(ts, InputLimits.defaults(), TestMedia.control(60)).container())
        .isEqualTo("mpegts");
  }

  @Test
  void inspect_zeroBytes_isCorrupt() throws Exception {
    assertFails(Files.write(dir.resolve("empty.mp4"), new byte[0]), FailureCode.CORRUPT_INPUT);
  }

  @Test
  void inspect_randomBytes_isUnsupportedContainer() throws Exception {
    byte[] bytes = new byte[200_000];
    new Random(42).nextBytes(bytes);
    bytes[0] = 0x12; // not a TS sync byte, whatever the seed
    assertFails(Files.write(dir.resolve("random.mp4"), bytes), FailureCode.UNSUPPORTED_CONTAINER);
  }

  @Test
  void inspect_mp4TruncatedBeforeMoov_isCorrupt() throws Exception {
    byte[] all = Files.readAllBytes(good); // ffmpeg writes moov last without +faststart
    assertFails(
        Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(all, all.length / 2)),
        FailureCode.CORRUPT_INPUT);
  }

  @Test
  void inspect_boxSizePastTheEnd_isCorrupt() throws Exception {
    Path fast = dir.resolve("faststart.mp4");
    TestMedia.ffmpeg(
        "-i", good.toString(), "-c", "copy", "-movflags", "+faststart", fast.toString());
    byte[] bytes = Files.readAllBytes(fast);
    int ftyp = ByteBuffer.wrap(bytes).getInt(0);
    assertThat(new String(bytes, ftyp + 4, 4, StandardCharsets.ISO_8859_1)).isEqualTo("moov");
    ByteBuffer.wrap(bytes).putInt(ftyp, 0x7fff_fff0); // moov claims ~2 GB
    assertFails(Files.write(dir.resolve("bigbox.mp4"), bytes), FailureCode.CORRUPT_INPUT);
  }

  @Test
  void inspect_hlsPlaylistRenamedMp4_isNeverOpened() throws Exception {
    // Were it followed, ffmpeg would read /etc/passwd or hang on the URL.
    String playlist =
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://10.255.255.1/x.ts\n"
            + "#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n";
    assertFails(
        Files.writeString(dir.resolve("playlist.mp4"), playlist),
        FailureCode.UNSUPPORTED_CONTAINER);
  }

  @Test
  void inspect_concatListRenamedMp4_isNeverOpened() throws Exception {
    String list = "ffconcat version 1.0\nfile '" + good + "'\nfile 'http://10.255.255.1/x'\n";
    assertFails(
        Files.writeString(dir.resolve("concat.mp4"), list), FailureCode.UNSUPPORTED_CONTAINER);
    assertFails(
        Files.writeString(dir.resolve("concat2.mp4"), "file '" + good + "'\n"),
        FailureCode.UNSUPPORTED_CONTAINER);
  }

  @Test
  void inspect_audioOnly_isNoVideoStream() throws Exception {
    Path m4a = dir.resolve("audio.mp4");
    TestMedia.ffmpeg(
        "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", "-f", "mp4", m4a.toString());
    assertFails(m4a, FailureCode.NO_VIDEO_STREAM);
  }

  @Test
  void inspect_16x16_isResolutionOutOfRange() throws Exception {
    Path tiny = dir.resolve("tiny.mp4");
    TestMedia.mp4(tiny, 16, 16, 1, false);
    assertFails(tiny, FailureCode.RESOLUTION_OUT_OF_RANGE);
  }

  @Test
  void inspect_twentyStreams_isTooManyStreams() throws Exception {
    Path many = dir.resolve("many.mkv");
    String[] args = new String[4 + 20 * 2 + 6];
    int i = 0;
    args[i++] = "-i";
    args[i++] = good.toString();
    args[i++] = "-map";
    args[i++] = "0:v";
    for (int s = 0; s < 19; s++) {
      args[i++] = "-map";
      args[i++] = "0:a";
    }
    args[i++] = "-c";
    args[i++] = "copy";
    args[i++] = many.toString();
    TestMedia.ffmpeg(Arrays.copyOf(args, i));
    assertFails(many, FailureCode.TOO_MANY_STREAMS);
  }

  @Test
  void inspect_tooLong_isDurationTooLong() throws Exception {
    assertThatThrownBy(
            () -> backend.inspect(good, new InputLimits(64, 7680, 2, 8), TestMedia.control(60)))
        .isInstanceOf(TaskFailedException.class)
        .satisfies(e -> assertThat(code(e)).isEqualTo(FailureCode.DURATION_TOO_LONG));
  }

  @Test
  void inspect_unknownVideoCodec_isUnsupportedCodec() throws Exception {
    Path mkv = dir.resolve("codec.mkv");
    TestMedia.ffmpeg("-i", good.toString(), "-c", "copy", "-an", mkv.toString());
    byte[] bytes = Files.readAllBytes(mkv);
    String s = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = s.indexOf("V_MPEG4/ISO/AVC");
    assertThat(at).isPositive();
    byte[] patched = "V_REELBOX/NONE1".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(patched, 0, bytes, at, patched.length);
    assertFails(Files.write(dir.resolve("codec2.mkv"), bytes), FailureCode.UNSUPPORTED_CODEC);
  }

  private static void assertFails(Path file, FailureCode expected) throws IOException {
    Instant start = Instant.now();
    assertThatThrownBy(() -> backend.inspect(file, InputLimits.defaults(), TestMedia.control(60)))
        .isInstanceOf(TaskFailedException.class)
        .satisfies(e -> assertThat(code(e)).as(e.getMessage()).isEqualTo(expected))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(dir.toString()));
    assertThat(TestMedia.since(start)).isLessThan(Duration.ofSeconds(20));
  }

  private static FailureCode code(Throwable e) {
    return ((TaskFailedException) e).code();
  }
}
