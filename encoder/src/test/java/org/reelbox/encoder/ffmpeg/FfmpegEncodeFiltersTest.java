package org.reelbox.encoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.work.InputLimits;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.encoder.backend.EncoderBackend;

/** Rotation carried from inspect through split to encode; the fused watermark; frame step. */
class FfmpegEncodeFiltersTest {
  @TempDir Path dir;
  final FfmpegBackend backend =
      new FfmpegBackend(new ProcessRunner(), "ffmpeg", "ffprobe", /* useHardware= */ false);

  /** A 160x90 picture whose left half is white and right half black, 1 s. */
  private Path halves(String name) throws Exception {
    Path out = dir.resolve(name);
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "color=c=black:s=160x90:r=30:d=1,drawbox=x=0:y=0:w=80:h=90:color=white:t=fill",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        out.toString());
    return out;
  }

  @Test
  void encode_rotatedSource_isTurnedLikeFfmpegsOwnAutorotate() throws Exception {
    assertTurnedLikeAutorotate(halves("plain.mp4"));
  }

  /**
   * A rotated HEVC source (what phones record): split cannot put an orientation SEI into HEVC, so
   * the rotation travels in the chunk record ({@code SplitOutput.Chunk#rotation}).
   */
  @Test
  void encode_rotatedHevcSource_isTurnedLikeFfmpegsOwnAutorotate() throws Exception {
    Path hevc = dir.resolve("plain-hevc.mp4");
    TestMedia.ffmpeg(
        "-i",
        halves("plain-h264.mp4").toString(),
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-x265-params",
        "log-level=error",
        "-tag:v",
        "hvc1",
        hevc.toString());
    assertTurnedLikeAutorotate(hevc);
  }

  @Test
  void encode_rotatedChunkWithoutRotationInItsRecord_readsTheOrientationSeiOfTheChunk()
      throws Exception {
    // A chunk record without the rotation (0): encode finds split's display orientation SEI in
    // the chunk's first frame and turns the picture all the same.
    assertTurnedLikeAutorotate(halves("plain-sei.mp4"), /* rotationInRecord= */ false);
  }

  private void assertTurnedLikeAutorotate(Path plain) throws Exception {
    assertTurnedLikeAutorotate(plain, true);
  }

  private void assertTurnedLikeAutorotate(Path plain, boolean rotationInRecord) throws Exception {
    Path rotated = dir.resolve("rotated.mp4");
    TestMedia.ffmpeg(
        "-i", plain.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated.toString());
    MediaInfo info = backend.inspect(rotated, InputLimits.defaults(), TestMedia.control(60));
    assertThat(info.video().displayWidth()).isEqualTo(90);
    List<SplitOutput.Chunk> chunks =
        backend.split(rotated, info, 4, dir.resolve("chunks"), TestMedia.control(60));
    assertThat(chunks.get(0).rotation()).isEqualTo(info.video().rotation()).isNotZero();
    SplitOutput.Chunk c = chunks.get(0);
    SplitOutput.Chunk record =
        rotationInRecord
            ? c
            : new SplitOutput.Chunk(
                c.index(), c.key(), c.startMillis(), c.durationMillis(), c.frames());
    Path out = dir.resolve("out.ts");
    backend.encode(
        dir.resolve("chunks").resolve(chunks.get(0).key()),
        record,
        new RenditionSpec("90p", 90, 160, 30, 1, 1, 200_000, "main", "3.0"),
        "veryfast",
        1,
        List.of(),
        out,
        TestMedia.control(60));
    // ffmpeg's autorotate of the source is the reference picture.
    Path reference = dir.resolve("reference.ts");
    TestMedia.ffmpeg(
        "-i", rotated.toString(), "-vf", "scale=90:160", "-c:v", "libx264", reference.toString());
    double[] ours = quadrants(out);
    double[] theirs = quadrants(reference);
    for (int i = 0; i < 4; i++) {
      assertThat(Math.abs(ours[i] - theirs[i])).as("quadrant %d", i).isLessThan(40);
    }
    assertThat(Math.abs(ours[0] - ours[3])).as("not a uniform picture").isGreaterThan(100);
  }

  @Test
  void encode_watermark_isDrawnInTheCorner() throws Exception {
    Path source = halves("plain.mp4");
    MediaInfo info = backend.inspect(source, InputLimits.defaults(), TestMedia.control(60));
    List<SplitOutput.Chunk> chunks =
        backend.split(source, info, 4, dir.resolve("chunks"), TestMedia.control(60));
    Path png = dir.resolve("mark.png");
    TestMedia.ffmpeg(
        "-f", "lavfi", "-i", "color=c=white:s=400x400", "-frames:v", "1", png.toString());
    Path out = dir.resolve("marked.ts");
    EncoderBackend.EncodedChunk result =
        backend.encode(
            dir.resolve("chunks").resolve(chunks.get(0).key()),
            chunks.get(0),
            new RenditionSpec("90p", 160, 90, 30, 1, 1, 200_000, "main", "3.0"),
            "veryfast",
            1,
            List.of(new EncoderBackend.LocalFilter("watermark", png, "top-right", 0)),
            out,
            TestMedia.control(60));
    assertThat(result.frames()).isEqualTo(30);
    // The right half was black; a 400 px mark scaled for 90 lines (33 px) whitens its top corner.
    double[] q = quadrants(out);
    assertThat(q[1]).as("top-right").isGreaterThan(60);
    assertThat(q[3]).as("bottom-right").isLessThan(40);
  }

  @Test
  void encode_frameStep2_halvesTheFrames() throws Exception {
    Path source = halves("plain.mp4");
    MediaInfo info = backend.inspect(source, InputLimits.defaults(), TestMedia.control(60));
    List<SplitOutput.Chunk> chunks =
        backend.split(source, info, 4, dir.resolve("chunks"), TestMedia.control(60));
    Path out = dir.resolve("half.ts");
    EncoderBackend.EncodedChunk result =
        backend.encode(
            dir.resolve("chunks").resolve(chunks.get(0).key()),
            chunks.get(0),
            new RenditionSpec("90p", 160, 90, 15, 1, 2, 200_000, "main", "3.0"),
            "veryfast",
            1,
            List.of(),
            out,
            TestMedia.control(60));
    assertThat(result.frames()).isEqualTo(15);
    List<double[]> packets = TestMedia.videoPackets(out);
    assertThat(packets.get(1)[0] - packets.get(0)[0])
        .isCloseTo(2 / 30.0, org.assertj.core.data.Offset.offset(0.002));
  }

  @Test
  void encodeAll_watermarkAndFrameStepPerRendition_eachOutputAsIfAlone() throws Exception {
    Path source = halves("plain.mp4");
    MediaInfo info = backend.inspect(source, InputLimits.defaults(), TestMedia.control(60));
    List<SplitOutput.Chunk> chunks =
        backend.split(source, info, 4, dir.resolve("chunks"), TestMedia.control(60));
    Path png = dir.resolve("mark2.png");
    TestMedia.ffmpeg(
        "-f", "lavfi", "-i", "color=c=white:s=400x400", "-frames:v", "1", png.toString());
    List<EncoderBackend.LocalFilter> mark =
        List.of(new EncoderBackend.LocalFilter("watermark", png, "top-right", 0));
    List<RenditionSpec> renditions =
        List.of(
            new RenditionSpec("90p", 160, 90, 30, 1, 1, 200_000, "main", "3.0"),
            new RenditionSpec("45p", 80, 46, 15, 1, 2, 100_000, "main", "3.0"));
    Path chunk = dir.resolve("chunks").resolve(chunks.get(0).key());
    List<Path> fused = List.of(dir.resolve("fused-90.ts"), dir.resolve("fused-45.ts"));
    List<EncoderBackend.EncodedChunk> made =
        backend.encodeAll(
            chunk, chunks.get(0), renditions, "veryfast", 1, mark, fused, TestMedia.control(60));
    assertThat(made).extracting(EncoderBackend.EncodedChunk::frames).containsExactly(30, 15);
    for (int i = 0; i < renditions.size(); i++) {
      Path alone = dir.resolve("alone-" + i + ".ts");
      backend.encode(
          chunk,
          chunks.get(0),
          renditions.get(i),
          "veryfast",
          1,
          mark,
          alone,
          TestMedia.control(60));
      assertThat(fused.get(i)).as(renditions.get(i).name()).hasSameBinaryContentAs(alone);
    }
    double[] q = quadrants(fused.get(0));
    assertThat(q[1]).as("top-right marked").isGreaterThan(60);
    assertThat(q[3]).as("bottom-right").isLessThan(40);
  }

  @Test
  void forceKeyFramesExpr_marksTheFirstFrameOfEachSlot() {
    List<Double> pts = List.of(10.0, 10.5, 11.0, 11.5, 12.0, 12.5);
    // The chunk starts at 3.5 s on the source timeline: slots 3 | 4 4 | 5 5 | 6.
    assertThat(FfmpegBackend.forceKeyFramesExpr(pts, 3500, 1, 1))
        .isEqualTo("expr:eq(n,0)+eq(n,1)+eq(n,3)+eq(n,5)");
    assertThat(FfmpegBackend.forceKeyFramesExpr(pts, 3500, 1, 2))
        .isEqualTo("expr:eq(n,0)+eq(n,1)+eq(n,2)");
  }

  /** Mean luma of the first frame's quadrants: top-left, top-right, bottom-left, bottom-right. */
  private double[] quadrants(Path video) throws Exception {
    Path raw = dir.resolve("frame-" + video.getFileName() + ".gray");
    TestMedia.ffmpeg(
        "-i",
        video.toString(),
        "-frames:v",
        "1",
        "-vf",
        "scale=2:2:flags=area,format=gray",
        "-f",
        "rawvideo",
        raw.toString());
    byte[] px = Files.readAllBytes(raw);
    return new double[] {px[0] & 0xff, px[1] & 0xff, px[2] & 0xff, px[3] & 0xff};
  }
}
