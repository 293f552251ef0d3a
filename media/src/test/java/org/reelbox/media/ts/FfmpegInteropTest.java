package org.reelbox.media.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Muxes a real H.264 stream (libx264) and real AAC (FFmpeg's encoder) and asks FFmpeg whether it
 * reads the result cleanly. Needs {@code ffmpeg} and {@code ffprobe} on the PATH: skipped without
 * them, except with {@code CI=true}, where CI installs them ({@code .ci/run}) and a miss fails.
 */
class FfmpegInteropTest {

  private static final long START_90K = 90_000;

  @TempDir static Path dir;

  private static byte[] ts;
  private static TsScan scan;

  @BeforeAll
  static void mux() throws Exception {
    assumeFfmpeg();
    Path h264 = dir.resolve("in.h264");
    Path aac = dir.resolve("in.aac");
    run(
        "ffmpeg",
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=64x64:rate=10",
        "-t",
        "1",
        "-c:v",
        "libx264",
        "-bf",
        "0",
        "-g",
        "5",
        "-pix_fmt",
        "yuv420p",
        "-bsf:v",
        "h264_mp4toannexb",
        "-f",
        "h264",
        h264.toString());
    run(
        "ffmpeg",
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-t",
        "1",
        "-c:a",
        "aac",
        "-b:a",
        "64k",
        "-f",
        "adts",
        aac.toString());

    List<byte[]> accessUnits = splitAccessUnits(Files.readAllBytes(h264));
    List<byte[]> adts = splitAdts(Files.readAllBytes(aac));
    assertThat(accessUnits).hasSize(10);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, true)) {
      int audio = 0;
      for (int i = 0; i < accessUnits.size(); i++) {
        long videoPts = START_90K + i * 9_000L;
        // Audio up to this frame's time: 1024 samples at 48 kHz is 1920 ticks.
        while (audio < adts.size() && START_90K + audio * 1_920L <= videoPts) {
          int batch = Math.min(3, adts.size() - audio);
          muxer.writeAudio(
              START_90K + audio * 1_920L,
              TsTestStreams.concat(adts.subList(audio, audio + batch).toArray(new byte[0][])));
          audio += batch;
        }
        byte[] au = accessUnits.get(i);
        muxer.writeVideo(videoPts, videoPts, au, containsIdr(au));
      }
      while (audio < adts.size()) {
        muxer.writeAudio(START_90K + audio * 1_920L, adts.get(audio));
        audio++;
      }
    }
    ts = out.toByteArray();
    Files.write(dir.resolve("out.ts"), ts);
    scan = TsScanner.scan(new ByteArrayInputStream(ts));
  }

  @Test
  void ffprobe_readsStreamTypesFramesAndDurationWithoutErrors() throws Exception {
    String probe =
        run(
            "ffprobe",
            "-v",
            "error",
            "-count_frames",
            "-show_entries",
            "stream=codec_name,codec_type,nb_read_frames,width,height:format=format_name,duration",
            "-of",
            "default=noprint_wrappers=1",
            dir.resolve("out.ts").toString());

    assertThat(probe)
        .contains(
            "codec_name=h264",
            "codec_type=video",
            "width=64",
            "height=64",
            "nb_read_frames=10",
            "codec_name=aac",
            "codec_type=audio",
            "format_name=mpegts");
    double duration =
        Double.parseDouble(
            probe
                .lines()
                .filter(l -> l.startsWith("duration="))
                .findFirst()
                .orElseThrow()
                .substring(9));
    assertThat(duration).isBetween(0.95, 1.15);
  }

  @Test
  void ffmpeg_decodesWholeStreamWithoutErrors() throws Exception {
    // run() fails on any stderr output: at -v warning, a clean decode prints nothing (no
    // continuity, timestamp or PES errors).
    run("ffmpeg", "-v", "warning", "-i", dir.resolve("out.ts").toString(), "-f", "null", "-");
  }

  @Test
  void scanner_agreesWithFfmpegFrames() {
    assertThat(scan.accessUnitCount()).isEqualTo(10);
    assertThat(scan.keyframeCount()).isEqualTo(2);
    assertThat(scan.keyframes())
        .extracting(VideoAccessUnit::pts90k)
        .containsExactly(90_000L, 135_000L);
    assertThat(scan.videoDurationUs()).isEqualTo(1_000_000);
    assertThat(scan.firstAudioPts90k()).hasValue(START_90K);
  }

  @Test
  void iFrameByteRange_decodesAsOneFrameOnItsOwn() throws Exception {
    VideoAccessUnit second = scan.keyframes().get(1);
    Path range = dir.resolve("iframe.ts");
    Files.write(
        range,
        Arrays.copyOfRange(
            ts,
            (int) second.frameOffsetBytes(),
            (int) (second.frameOffsetBytes() + second.frameLengthBytes())));

    String probe =
        run(
            "ffprobe",
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v",
            "-show_entries",
            "stream=codec_name,nb_read_frames",
            "-of",
            "default=noprint_wrappers=1",
            range.toString());

    assertThat(probe).contains("codec_name=h264", "nb_read_frames=1");
  }

  // --- helpers

  private static void assumeFfmpeg() {
    boolean present = works("ffmpeg", "-version") && works("ffprobe", "-version");
    if (!present) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("ffmpeg and ffprobe are required in CI for the TS interop test");
      }
      System.err.println("SKIPPED: FfmpegInteropTest needs ffmpeg and ffprobe on the PATH");
      assumeTrue(false, "ffmpeg is not installed");
    }
  }

  private static boolean works(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs a command; fails on a non-zero exit or anything on stderr. Returns stdout. */
  private static String run(String... command) throws Exception {
    Path stderr = Files.createTempFile(dir, "stderr", ".txt");
    Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
    String err = Files.readString(stderr);
    assertThat(err).as("stderr of %s", String.join(" ", command)).isEmpty();
    assertThat(p.exitValue()).as("exit of %s", command[0]).isZero();
    return out;
  }

  /**
   * Splits an Annex B stream into access units (H.264 §7.4.1.2.3): a new one starts at an AUD, SPS,
   * PPS or SEI after a picture's slices, or at a slice with first_mb_in_slice 0 after them.
   */
  static List<byte[]> splitAccessUnits(byte[] stream) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i + 3 <= stream.length; i++) {
      if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) {
        starts.add(i > 0 && stream[i - 1] == 0 ? i - 1 : i);
        i += 2;
      }
    }
    List<byte[]> units = new ArrayList<>();
    int unitStart = 0;
    boolean hasSlice = false;
    for (int n = 0; n < starts.size(); n++) {
      int at = starts.get(n);
      int header = stream[at] == 0 && stream[at + 1] == 0 && stream[at + 2] == 0 ? at + 4 : at + 3;
      int type = stream[header] & 0x1F;
      boolean slice = type == 1 || type == 5;
      boolean firstMb = slice && (stream[header + 1] & 0x80) != 0;
      boolean boundary = hasSlice && ((type >= 6 && type <= 9) || firstMb);
      if (boundary) {
        units.add(Arrays.copyOfRange(stream, unitStart, at));
        unitStart = at;
        hasSlice = false;
      }
      hasSlice |= slice;
    }
    units.add(Arrays.copyOfRange(stream, unitStart, stream.length));
    return units;
  }

  static boolean containsIdr(byte[] au) {
    for (int i = 0; i + 3 < au.length; i++) {
      if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1 && (au[i + 3] & 0x1F) == 5) {
        return true;
      }
    }
    return false;
  }

  static List<byte[]> splitAdts(byte[] stream) {
    List<byte[]> frames = new ArrayList<>();
    int offset = 0;
    while (offset + 7 <= stream.length) {
      int length =
          ((stream[offset + 3] & 0x03) << 11)
              | ((stream[offset + 4] & 0xFF) << 3)
              | ((stream[offset + 5] & 0xE0) >>> 5);
      frames.add(Arrays.copyOfRange(stream, offset, offset + length));
      offset += length;
    }
    return frames;
  }
}
