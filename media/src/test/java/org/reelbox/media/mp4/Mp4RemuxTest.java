package org.reelbox.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.reelbox.common.testing.Ffmpeg;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistType;
import org.reelbox.media.hls.PlaylistWriter;

/**
 * Real libx264/AAC movies through {@link Mp4SampleReader}, {@link Mp4SegmentPlan} and {@link
 * Mp4ToTs}, checked by FFmpeg: every frame decodes, the playlist lasts as long as the source, and
 * the coded video is byte for byte the source's.
 */
class Mp4RemuxTest {
  @TempDir static Path dir;

  @BeforeAll
  static void ffmpeg() {
    Ffmpeg.assume();
  }

  static Mp4Movie read(Path file) throws Exception {
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      return Mp4SampleReader.read(ch);
    }
  }

  /** Writes every segment and a VOD playlist; returns the playlist. */
  static Path remux(Path source, Mp4SegmentPlan plan, Path out) throws Exception {
    Files.createDirectories(out);
    MediaPlaylist.Builder playlist =
        MediaPlaylist.builder().playlistType(PlaylistType.VOD).independentSegments(true);
    try (FileChannel ch = FileChannel.open(source)) {
      Mp4ToTs.ByteSource bytes =
          (offset, length) -> {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
              if (ch.read(b, offset + b.position()) < 0) {
                throw new java.io.EOFException();
              }
            }
            return b.array();
          };
      for (int s = 0; s < plan.segmentCount(); s++) {
        try (OutputStream o = Files.newOutputStream(out.resolve(s + ".ts"))) {
          Mp4ToTs.writeSegment(plan, s, bytes, o);
        }
        playlist.addSegment(s + ".ts", plan.durationUs(s));
      }
    }
    Path index = out.resolve("index.m3u8");
    Files.writeString(index, PlaylistWriter.write(playlist.build()));
    return index;
  }

  /** A small testsrc clip, {@code seconds} long, with the given extra inputs and output options. */
  static void testClip(Path file, int seconds, String... options) throws Exception {
    List<String> c = new ArrayList<>();
    c.addAll(
        List.of(
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10:duration=" + seconds));
    c.addAll(List.of(options));
    c.add(file.toString());
    Ffmpeg.run(c);
  }

  @ParameterizedTest(name = "bframes={0} gop={1} faststart={2} audio={3}")
  @CsvSource({
    "0, 25, false, true",
    "3, 50, true, true",
    "2, 30, false, false",
    "0, 13, true, true"
  })
  void remux_ffmpegMovie_everyFrameDecodesAndDurationsMatch(
      int bFrames, int gop, boolean faststart, boolean audio) throws Exception {
    String name = "m" + bFrames + "-" + gop + "-" + faststart + "-" + audio;
    Path src = Ffmpeg.movie(dir.resolve(name + ".mp4"), 7, bFrames, gop, faststart, audio);
    Mp4Movie movie = read(src);
    assertThat(movie.video().width()).isEqualTo(320);
    assertThat(movie.video().height()).isEqualTo(240);
    assertThat(movie.audio().isPresent()).isEqualTo(audio);
    int frames = Ffmpeg.decodedVideoFrames(src.toString());
    assertThat(movie.videoSamples().count()).isEqualTo(frames);

    Mp4SegmentPlan plan = Mp4SegmentPlan.of(movie, 2_000_000);
    assertThat(plan.segmentCount()).isGreaterThan(1);
    long totalUs = 0;
    for (int s = 0; s < plan.segmentCount(); s++) {
      assertThat(movie.videoSamples().isSync(plan.videoFrom(s))).isTrue();
      totalUs += plan.durationUs(s);
    }
    double sourceSeconds = Ffmpeg.videoDurationSeconds(src);
    assertThat(totalUs / 1e6).isCloseTo(sourceSeconds, org.assertj.core.data.Offset.offset(0.04));

    Path index = remux(src, plan, dir.resolve(name));
    assertThat(Ffmpeg.decodedVideoFrames(index.toString())).isEqualTo(frames);
    // A full decode reports nothing.
    assertThat(
            Ffmpeg.runText(
                "ffmpeg", "-v", "warning", "-nostats", "-i", index.toString(), "-f", "null", "-"))
        .isEmpty();
    if (audio) {
      assertThat(Ffmpeg.audioPackets(index.toString())).isEqualTo(movie.audioSamples().count());
    }
    // No re-encoding: the slices and SEI of the remux are the source's, in order.
    assertThat(Ffmpeg.slices(index.toString())).isEqualTo(Ffmpeg.slices(src.toString()));
  }

  @Test
  void plan_cutsNearTarget_atSyncSamples() throws Exception {
    Path src = Ffmpeg.movie(dir.resolve("cuts.mp4"), 10, 0, 25, false, false);
    Mp4SegmentPlan plan = Mp4SegmentPlan.of(read(src), 3_000_000);
    // Keyframes every second: segments of 3 s, the last the remainder.
    List<Long> durations = new ArrayList<>();
    for (int s = 0; s < plan.segmentCount(); s++) {
      durations.add(plan.durationUs(s));
    }
    assertThat(durations).containsExactly(3_000_000L, 3_000_000L, 3_000_000L, 1_000_000L);
  }

  @Test
  void read_mpeg4Part2_refusedInWords() throws Exception {
    Path src = dir.resolve("mpeg4.mp4");
    testClip(src, 1, "-c:v", "mpeg4");
    assertThatThrownBy(() -> read(src))
        .isInstanceOf(Mp4UnsupportedException.class)
        .hasMessageContaining("MPEG-4 Part 2");
  }

  @Test
  void read_hevc_refusedInWords() throws Exception {
    Path src = dir.resolve("hevc.mp4");
    testClip(src, 1, "-c:v", "libx265", "-x265-params", "log-level=error", "-tag:v", "hvc1");
    assertThatThrownBy(() -> read(src))
        .isInstanceOf(Mp4UnsupportedException.class)
        .hasMessageContaining("HEVC");
  }

  @Test
  void read_mp3Audio_refusedInWords() throws Exception {
    Path src = dir.resolve("mp3.mp4");
    testClip(
        src, 1, "-f", "lavfi", "-i", "sine=duration=1", "-c:v", "libx264", "-c:a", "libmp3lame");
    assertThatThrownBy(() -> read(src))
        .isInstanceOf(Mp4UnsupportedException.class)
        .hasMessageContaining("not AAC");
  }

  @Test
  void read_fragmented_refused() throws Exception {
    Path src = dir.resolve("frag.mp4");
    testClip(src, 2, "-c:v", "libx264", "-movflags", "frag_keyframe+empty_moov");
    assertThatThrownBy(() -> read(src))
        .isInstanceOf(Mp4UnsupportedException.class)
        .hasMessageContaining("fragmented");
  }

  @Test
  void read_matroska_refusedAsNotMp4() throws Exception {
    Path src = dir.resolve("x.mkv");
    testClip(src, 1, "-c:v", "libx264");
    assertThatThrownBy(() -> read(src)).isInstanceOf(Mp4FormatException.class);
  }
}
