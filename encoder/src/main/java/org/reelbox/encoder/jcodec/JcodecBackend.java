package org.reelbox.encoder.jcodec;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.mpeg4.mp4.EsdsBox;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Size;
import org.jcodec.containers.mp4.boxes.AudioSampleEntry;
import org.jcodec.containers.mp4.boxes.NodeBox;
import org.jcodec.containers.mp4.boxes.SampleEntry;
import org.jcodec.containers.mp4.boxes.TrackHeaderBox;
import org.jcodec.containers.mp4.boxes.TrakBox;
import org.jcodec.containers.mp4.boxes.VideoSampleEntry;
import org.jcodec.scale.AWTUtil;
import org.reelbox.common.work.AudioInput;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.InputLimits;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.encoder.backend.EncoderBackend;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;
import org.reelbox.media.ts.TsFormatException;
import org.reelbox.media.ts.TsMuxer;
import org.reelbox.media.ts.TsScanner;
import org.reelbox.media.ts.VideoSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pure-Java backend, for nodes without ffmpeg: jcodec decodes H.264 (any profile jcodec
 * supports) and encodes H.264 Constrained Baseline (CAVLC, 16×16 macroblocks, no B frames); MP4 is
 * parsed by jcodec after {@link org.reelbox.media.mp4.Mp4Boxes} has checked its structure; TS is
 * written and read by {@code media}'s {@link TsMuxer} and {@link TsScanner}, so its chunks are
 * interchangeable with the ffmpeg backend's. Several times slower than libx264 and with worse
 * compression; {@code docs/transcoding.md} ("The jcodec backend") lists what it does not do.
 *
 * <p>Every failure on bad data, including jcodec's own exceptions, is {@code CORRUPT_INPUT}; every
 * loop over frames checks {@link TaskControl#checkNotCancelled()}.
 */
public final class JcodecBackend implements EncoderBackend {
  private static final Logger log = LoggerFactory.getLogger(JcodecBackend.class);

  /** Where TS timestamps start: the source timeline plus 1.4 s, as ffmpeg's muxer does. */
  static final long TS_BASE_90K = 126_000;

  public static final String ENCODER = "jcodec";

  /** How many keyframe times inspect reports at most. */
  static final int MAX_KEYFRAME_TIMES = 5000;

  /** Thumbnail candidates after a rejected (black or flat) one: the following keyframes. */
  private static final int THUMBNAIL_TRIES = 5;

  public JcodecBackend() {
    System.setProperty("java.awt.headless", "true");
    log.info(
        "jcodec backend: pure-Java H.264 (encodes Constrained Baseline only, several times slower"
            + " than ffmpeg/libx264; reads MP4/MOV with H.264 video and AAC audio only)");
  }

  @Override
  public String name() {
    return WorkerInfo.JCODEC;
  }

  @Override
  public List<String> hardwareEncoders() {
    return List.of();
  }

  // --- inspect

  @Override
  public MediaInfo inspect(Path source, InputLimits limits, TaskControl control)
      throws TaskFailedException {
    control.checkNotCancelled();
    try (Mp4Source src = Mp4Source.open(source)) {
      control.checkNotCancelled();
      return describe(src, limits);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.MISSING_INPUT, "cannot read the source: " + e, e);
    } catch (RuntimeException e) {
      throw Mp4Source.corrupt("the MP4 file cannot be read: " + e, e);
    }
  }

  private MediaInfo describe(Mp4Source src, InputLimits limits) throws TaskFailedException {
    if (src.trackCount > limits.maxStreams()) {
      throw new TaskFailedException(
          FailureCode.TOO_MANY_STREAMS,
          "the source has " + src.trackCount + " streams; at most " + limits.maxStreams());
    }
    if (src.video == null) {
      throw new TaskFailedException(FailureCode.NO_VIDEO_STREAM, "the source has no video track");
    }
    VideoTrack v = videoTrack(src);
    SampleTable t = v.samples;
    if (t.count == 0) {
      throw Mp4Source.corrupt("the video track has no samples", null);
    }
    int w = v.width;
    int h = v.height;
    if (Math.min(w, h) < limits.minSide() || Math.max(w, h) > limits.maxSide()) {
      throw new TaskFailedException(
          FailureCode.RESOLUTION_OUT_OF_RANGE,
          "the picture is "
              + w
              + "x"
              + h
              + "; accepted: sides from "
              + limits.minSide()
              + " to "
              + limits.maxSide()
              + " pixels");
    }
    long videoMillis = v.durationMillis();
    MediaInfo.AudioInfo audio = null;
    long audioMillis = 0;
    if (src.audio != null) {
      SampleEntry entry = Mp4Source.sampleEntry(src.audio);
      SampleTable at = src.audioSamples();
      audioMillis = at.totalDuration() * 1000 / at.timescale;
      int channels = 0;
      int rate = 0;
      if (entry instanceof AudioSampleEntry ase) {
        channels = ase.getChannelCount();
        rate = Math.round(ase.getSampleRate());
      }
      long bitrate = audioMillis > 0 ? at.totalBytes() * 8000 / audioMillis : 0;
      audio = new MediaInfo.AudioInfo(audioCodec(entry), channels, rate, bitrate);
    }
    long durationMillis = Math.max(videoMillis, audioMillis);
    if (durationMillis > limits.maxDurationSeconds() * 1000) {
      throw new TaskFailedException(
          FailureCode.DURATION_TOO_LONG,
          "the source lasts "
              + durationMillis / 1000
              + " s; at most "
              + limits.maxDurationSeconds()
              + " s");
    }
    int rotation = rotation(src.video);
    int displayW = rotation % 180 == 0 ? w : h;
    int displayH = rotation % 180 == 0 ? h : w;
    long[] rate = frameRate(t);
    List<Long> keyframes = new ArrayList<>();
    for (int i = 0; i < t.count && keyframes.size() < MAX_KEYFRAME_TIMES; i++) {
      if (t.sync[i]) {
        keyframes.add(v.millis(v.presentation(i)));
      }
    }
    keyframes.sort(null);
    long videoBitrate = videoMillis > 0 ? t.totalBytes() * 8000 / videoMillis : 0;
    MediaInfo.VideoInfo video =
        new MediaInfo.VideoInfo(
            "h264",
            v.profile,
            w,
            h,
            rotation,
            displayW,
            displayH,
            (int) rate[0],
            (int) rate[1],
            videoBitrate,
            keyframes);
    return new MediaInfo("mp4", src.fileSize, durationMillis, src.trackCount, video, audio);
  }

  private static String audioCodec(SampleEntry entry) {
    String fourcc = entry == null ? "" : entry.getFourcc();
    if ("mp4a".equals(fourcc)) {
      EsdsBox esds = NodeBox.findFirst(entry, EsdsBox.class, "esds");
      int objectType = esds == null ? 0x40 : esds.getObjectType();
      return switch (objectType) {
        case 0x40, 0x66, 0x67, 0x68 -> "aac";
        case 0x69, 0x6B -> "mp3";
        case 0xA5 -> "ac3";
        default -> "mp4a-" + Integer.toHexString(objectType);
      };
    }
    return switch (fourcc) {
      case ".mp3" -> "mp3";
      case "ac-3" -> "ac3";
      case "ec-3" -> "eac3";
      case "Opus" -> "opus";
      case "alac" -> "alac";
      case "fLaC" -> "flac";
      default -> fourcc.trim().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static int rotation(TrakBox trak) {
    TrackHeaderBox tkhd = trak.getTrackHeader();
    if (tkhd == null) {
      return 0;
    }
    int[] m = tkhd.getMatrix();
    if (m == null || m.length < 5) {
      return 0;
    }
    // ISO/IEC 14496-12 §6.2.2: {a, b, u, c, d, v, x, y, w}; a rotation by θ clockwise on screen is
    // a = cos θ, b = sin θ, c = -sin θ, d = cos θ (16.16 fixed point).
    int a = Integer.signum(m[0]);
    int b = Integer.signum(m[1]);
    if (a == 0 && b > 0) {
      return 90;
    }
    if (a < 0 && b == 0) {
      return 180;
    }
    if (a == 0 && b < 0) {
      return 270;
    }
    return 0;
  }

  /** The average frame rate: samples over duration, reduced. */
  private static long[] frameRate(SampleTable t) {
    long num = (long) t.count * t.timescale;
    long den = Math.max(1, t.totalDuration());
    long g = gcd(num, den);
    num /= g;
    den /= g;
    while (num > Integer.MAX_VALUE || den > 1_000_000) {
      num = (num + 1) / 2;
      den = Math.max(1, (den + 1) / 2);
    }
    return new long[] {num, den};
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return Math.max(1, a);
  }

  /** The video track's codec, configuration, size and timeline. */
  private static VideoTrack videoTrack(Mp4Source src) throws TaskFailedException {
    SampleEntry entry = Mp4Source.sampleEntry(src.video);
    String fourcc = entry == null ? "" : entry.getFourcc();
    switch (fourcc) {
      case "avc1", "avc3" -> {}
      case "hvc1", "hev1" ->
          throw new TaskFailedException(
              FailureCode.UNSUPPORTED_CODEC,
              "the video is HEVC (H.265); the jcodec backend decodes H.264 only"
                  + " (a worker with ffmpeg decodes it)");
      default ->
          throw new TaskFailedException(
              FailureCode.UNSUPPORTED_CODEC,
              "the video codec is '"
                  + fourcc.trim()
                  + "'; the jcodec backend decodes H.264 only (a worker with ffmpeg may decode"
                  + " it)");
    }
    AvcConfig avc;
    try {
      avc = AvcConfig.of(entry);
    } catch (RuntimeException e) {
      throw Mp4Source.corrupt("the H.264 configuration (avcC) is broken: " + e.getMessage(), e);
    }
    int width = 0;
    int height = 0;
    String profile = "";
    byte[] sps = avc.firstSps();
    if (sps != null) {
      try {
        ByteBuffer b = ByteBuffer.wrap(sps, 1, sps.length - 1);
        SeqParameterSet s = H264Utils.readSPS(b);
        Size size = H264Utils.getPicSize(s);
        width = size.getWidth(); // after the SPS's frame cropping
        height = size.getHeight();
        profile = AvcConfig.profileName(s.profileIdc, s.constraintSet1Flag);
        if ((s.chromaFormatIdc != ColorSpace.YUV420J && s.chromaFormatIdc != ColorSpace.YUV420)
            || s.bitDepthLumaMinus8 != 0) {
          throw new TaskFailedException(
              FailureCode.UNSUPPORTED_CODEC,
              "the video is H.264 "
                  + (profile.isEmpty() ? "profile " + s.profileIdc : profile)
                  + " with "
                  + (8 + s.bitDepthLumaMinus8)
                  + "-bit "
                  + s.chromaFormatIdc
                  + "; the jcodec backend decodes 8-bit 4:2:0 only (a worker with ffmpeg"
                  + " decodes it)");
        }
      } catch (RuntimeException e) {
        throw Mp4Source.corrupt("the H.264 sequence parameter set is broken: " + e, e);
      }
    }
    if ((width <= 0 || height <= 0) && entry instanceof VideoSampleEntry vse) {
      width = vse.getWidth();
      height = vse.getHeight();
    }
    return new VideoTrack(
        src.videoSamples(), avc, width, height, profile, src.editShift(src.video));
  }

  /**
   * The video track on the source timeline: presentation time of sample i is {@code dts + cto +
   * shift - zero} in the track's timescale, where zero makes the first presented frame 0.
   */
  private static final class VideoTrack {
    final SampleTable samples;
    final AvcConfig avc;
    final int width;
    final int height;
    final String profile;
    final long shift;
    final long zero;

    VideoTrack(
        SampleTable samples, AvcConfig avc, int width, int height, String profile, long shift) {
      this.samples = samples;
      this.avc = avc;
      this.width = width;
      this.height = height;
      this.profile = profile;
      this.shift = shift;
      long min = Long.MAX_VALUE;
      for (int i = 0; i < samples.count; i++) {
        min = Math.min(min, samples.dts[i] + samples.cto[i] + shift);
      }
      this.zero = samples.count == 0 ? 0 : min;
    }

    /** Presentation time of sample i on the source timeline, timescale units. */
    long presentation(int i) {
      return samples.dts[i] + samples.cto[i] + shift - zero;
    }

    /** Decode time of sample i on the source timeline (may be negative), timescale units. */
    long decode(int i) {
      return samples.dts[i] + shift - zero;
    }

    long ticks90k(long t) {
      return Math.floorDiv(t * 90_000, samples.timescale);
    }

    long millis(long t) {
      return Math.floorDiv(t * 1000, samples.timescale);
    }

    /** The end of the last presented frame, timescale units. */
    long end() {
      long end = 0;
      for (int i = 0; i < samples.count; i++) {
        end = Math.max(end, presentation(i) + samples.duration[i]);
      }
      return end;
    }

    long durationMillis() {
      return millis(end());
    }

    /** The first presented frame's time on the movie timeline, seconds (for audio offsets). */
    double zeroSeconds() {
      return (double) zero / samples.timescale;
    }
  }

  // --- split

  @Override
  public List<SplitOutput.Chunk> split(
      Path source, MediaInfo info, int chunkSeconds, Path outDir, TaskControl control)
      throws TaskFailedException {
    if (chunkSeconds < 1) {
      throw new IllegalArgumentException("chunkSeconds must be at least 1: " + chunkSeconds);
    }
    try (Mp4Source src = Mp4Source.open(source)) {
      if (src.video == null) {
        throw new TaskFailedException(FailureCode.NO_VIDEO_STREAM, "the source has no video track");
      }
      VideoTrack v = videoTrack(src);
      SampleTable t = v.samples;
      if (t.count == 0 || !t.sync[0]) {
        throw Mp4Source.corrupt("the video does not start with a keyframe", null);
      }
      long base = TS_BASE_90K;
      for (int i = 0; i < t.count; i++) {
        base = Math.max(base, -v.ticks90k(v.decode(i)) + TS_BASE_90K);
      }
      // Chunk boundaries: the first keyframe (decode order) at or after each chunk's target end.
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      long chunkTicks = (long) chunkSeconds * t.timescale;
      long chunkStart = v.presentation(0);
      for (int i = 1; i < t.count; i++) {
        if (t.sync[i] && v.presentation(i) >= chunkStart + chunkTicks) {
          starts.add(i);
          chunkStart = v.presentation(i);
        }
      }
      Files.createDirectories(outDir);
      long end = v.end();
      List<SplitOutput.Chunk> chunks = new ArrayList<>();
      for (int c = 0; c < starts.size(); c++) {
        int from = starts.get(c);
        int to = c + 1 < starts.size() ? starts.get(c + 1) : t.count;
        String name = String.format("c%04d.ts", c);
        long first = Long.MAX_VALUE;
        try (TsMuxer muxer =
            new TsMuxer(
                new BufferedOutputStream(Files.newOutputStream(outDir.resolve(name))), false)) {
          for (int i = from; i < to; i++) {
            control.checkNotCancelled();
            byte[] au;
            try {
              au = v.avc.toAnnexB(src.read(t, i), t.sync[i]);
            } catch (IllegalArgumentException e) {
              throw Mp4Source.corrupt("video sample " + i + " is broken: " + e.getMessage(), e);
            }
            long pts = base + v.ticks90k(v.presentation(i));
            long dts = base + v.ticks90k(v.decode(i));
            muxer.writeVideo(pts, Math.min(dts, pts), au, t.sync[i]);
            first = Math.min(first, v.presentation(i));
          }
        }
        long next = c + 1 < starts.size() ? v.presentation(starts.get(c + 1)) : end;
        long startMillis = v.millis(first);
        long durationMillis = v.millis(next) - startMillis;
        chunks.add(
            new SplitOutput.Chunk(
                c, name, startMillis, durationMillis, to - from, info.video().rotation()));
      }
      return chunks;
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "split failed: " + e, e);
    } catch (RuntimeException e) {
      throw Mp4Source.corrupt("the source cannot be split: " + e, e);
    }
  }

  // --- encode

  @Override
  public EncodedChunk encode(
      Path chunk,
      SplitOutput.Chunk chunkInfo,
      RenditionSpec rendition,
      String preset,
      int keyframeSeconds,
      List<LocalFilter> filters,
      Path out,
      TaskControl control)
      throws TaskFailedException {
    List<VideoSample> samples = demux(chunk, "chunk " + chunkInfo.index());
    if (samples.isEmpty()) {
      throw Mp4Source.corrupt("chunk " + chunkInfo.index() + " has no video frames", null);
    }
    List<BufferedImage> marks = new ArrayList<>();
    for (LocalFilter f : filters) {
      if (!"watermark".equals(f.type())) {
        throw new TaskFailedException(
            FailureCode.INTERNAL, "the jcodec backend has no filter '" + f.type() + "'");
      }
      marks.add(readImage(f.image(), "watermark"));
    }
    int width = rendition.width();
    int height = rendition.height();
    double frameRate =
        rendition.frameRateDen() > 0
            ? (double) rendition.frameRateNum() / rendition.frameRateDen()
            : 25;
    BitrateControl rc = new BitrateControl(rendition.videoBitrateBps(), frameRate, width, height);
    BaselineEncoder encoder = new BaselineEncoder(rc, BaselineEncoder.levelIdc(rendition.level()));
    H264Decoder decoder = new H264Decoder();

    // Presentation order: a frame is shown once every frame with an earlier PTS is decoded.
    long[] order = samples.stream().mapToLong(s -> s.accessUnit().pts90k()).sorted().toArray();
    long firstPts = order[0];
    long chunkStart90k = chunkInfo.startMillis() * 90;
    long keyframe90k = Math.max(1, keyframeSeconds) * 90_000L;
    int step = Math.max(1, rendition.frameStep());
    Map<Long, Picture> pending = new HashMap<>();
    int next = 0;
    int written = 0;
    long nextIdr90k = Long.MIN_VALUE; // source time of the next forced keyframe
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(1 << 16, width * height * 3));
    try (TsMuxer muxer = new TsMuxer(new BufferedOutputStream(Files.newOutputStream(out)), false)) {
      for (VideoSample s : samples) {
        control.checkNotCancelled();
        Picture decoded = decode(decoder, s.annexB(), chunkInfo.index());
        if (decoded == null) {
          continue; // jcodec skips what it cannot place (e.g. a leading non-IDR)
        }
        pending.put(s.accessUnit().pts90k(), decoded);
        while (next < order.length && pending.containsKey(order[next])) {
          Picture p = pending.remove(order[next]);
          long pts = order[next];
          if (next % step == 0) {
            long source90k = chunkStart90k + (pts - firstPts);
            boolean idr = written == 0 || source90k >= nextIdr90k;
            if (idr) {
              nextIdr90k = (Math.floorDiv(source90k, keyframe90k) + 1) * keyframe90k;
            }
            BufferedImage img = Images.scale(Images.toImage(p), width, height);
            for (int f = 0; f < marks.size(); f++) {
              LocalFilter filter = filters.get(f);
              Images.overlay(img, marks.get(f), filter.position(), filter.marginPx());
            }
            Picture yuv = AWTUtil.fromBufferedImage(img, ColorSpace.YUV420J);
            buffer.clear();
            ByteBuffer encoded =
                idr ? encoder.encodeIDRFrame(yuv, buffer) : encoder.encodePFrame(yuv, buffer);
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            rc.frameDone(bytes.length);
            muxer.writeVideo(pts, pts, bytes, idr);
            written++;
          }
          next++;
        }
      }
    } catch (IOException e) {
      throw new TaskFailedException(
          FailureCode.INTERNAL, "writing the encoded chunk failed: " + e, e);
    } catch (RuntimeException e) {
      throw new TaskFailedException(
          FailureCode.ENCODER_FAILED,
          "jcodec failed to encode chunk " + chunkInfo.index() + ": " + e,
          e);
    }
    if (written == 0) {
      throw Mp4Source.corrupt("chunk " + chunkInfo.index() + " has no decodable frame", null);
    }
    long lastPts = order[order.length - 1];
    long frame90k = order.length > 1 ? (lastPts - firstPts) / (order.length - 1) : 0;
    long durationMillis = (lastPts - firstPts + frame90k) / 90;
    return new EncodedChunk(written, durationMillis, ENCODER);
  }

  /** Decodes one access unit into a fresh buffer (jcodec keeps reference frames in it). */
  private static Picture decode(H264Decoder decoder, byte[] annexB, int chunk)
      throws TaskFailedException {
    try {
      ByteBuffer data = ByteBuffer.wrap(annexB);
      Size size = null;
      try {
        org.jcodec.common.VideoCodecMeta meta = decoder.getCodecMeta(data.duplicate());
        size = meta == null ? null : meta.getSize();
      } catch (RuntimeException e) {
        size = null;
      }
      int w = size == null ? 4096 : (size.getWidth() + 15) & ~15;
      int h = size == null ? 2304 : (size.getHeight() + 15) & ~15;
      byte[][] buf = Picture.create(w, h, ColorSpace.YUV420J).getData();
      return decoder.decodeFrame(data, buf);
    } catch (RuntimeException | OutOfMemoryError e) {
      throw new TaskFailedException(
          FailureCode.CORRUPT_INPUT,
          "the H.264 video of chunk " + chunk + " cannot be decoded: " + e,
          false,
          e);
    }
  }

  private static List<VideoSample> demux(Path ts, String what) throws TaskFailedException {
    List<VideoSample> samples = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(ts))) {
      TsScanner.demux(in, samples::add);
    } catch (TsFormatException e) {
      throw Mp4Source.corrupt(what + " is not a readable MPEG-TS file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.MISSING_INPUT, "cannot read " + what + ": " + e, e);
    }
    return samples;
  }

  private static BufferedImage readImage(Path file, String what) throws TaskFailedException {
    try {
      BufferedImage img = ImageIO.read(file.toFile());
      if (img == null) {
        throw Mp4Source.corrupt("the " + what + " image is not a PNG or JPEG", null);
      }
      return img;
    } catch (IOException e) {
      throw Mp4Source.corrupt("the " + what + " image cannot be read: " + e.getMessage(), e);
    }
  }

  // --- audio

  @Override
  public Optional<AudioResult> audio(
      Path source, MediaInfo info, AudioInput spec, Path out, TaskControl control)
      throws TaskFailedException {
    try (Mp4Source src = Mp4Source.open(source)) {
      if (src.audio == null) {
        return Optional.empty();
      }
      SampleEntry entry = Mp4Source.sampleEntry(src.audio);
      String codec = audioCodec(entry);
      if (!"aac".equals(codec)) {
        throw new TaskFailedException(
            FailureCode.UNSUPPORTED_CODEC,
            "the audio is "
                + codec
                + "; the jcodec backend copies AAC-LC only and cannot re-encode audio (a worker"
                + " with ffmpeg converts it)");
      }
      EsdsBox esds = NodeBox.findFirst(entry, EsdsBox.class, "esds");
      ByteBuffer info0 = esds == null ? null : esds.getStreamInfo();
      if (info0 == null) {
        throw Mp4Source.corrupt("the AAC track has no decoder configuration (esds)", null);
      }
      byte[] asc = new byte[info0.remaining()];
      info0.duplicate().get(asc);
      Adts.Config config;
      try {
        config = Adts.parseConfig(asc);
      } catch (IllegalArgumentException e) {
        throw new TaskFailedException(
            FailureCode.UNSUPPORTED_CODEC,
            "the AAC configuration cannot be carried in ADTS (" + e.getMessage() + ")");
      }
      if (config.objectType() != 2) {
        throw new TaskFailedException(
            FailureCode.UNSUPPORTED_CODEC,
            "the audio is AAC object type "
                + config.objectType()
                + " (not AAC-LC); the jcodec backend copies AAC-LC only");
      }
      SampleTable t = src.audioSamples();
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out))) {
        byte[] header = new byte[Adts.HEADER_BYTES];
        for (int i = 0; i < t.count; i++) {
          if (i % 256 == 0) {
            control.checkNotCancelled();
          }
          byte[] frame = src.read(t, i);
          try {
            Adts.writeHeader(config, frame.length, header, 0);
          } catch (IllegalArgumentException e) {
            throw Mp4Source.corrupt("audio sample " + i + " is too large for ADTS", e);
          }
          os.write(header);
          os.write(frame);
        }
      }
      long durationMillis = t.totalDuration() * 1000 / t.timescale;
      // Audio's first sample is at its edit shift on the movie timeline; the source timeline's
      // zero is video's first presented frame.
      double audioStart = (double) src.editShift(src.audio) / t.timescale;
      double videoZero = src.video == null ? 0 : videoTrack(src).zeroSeconds();
      long offset = Math.round((audioStart - videoZero) * 1000);
      return Optional.of(new AudioResult(durationMillis, offset));
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "audio failed: " + e, e);
    } catch (RuntimeException e) {
      throw Mp4Source.corrupt("the audio track cannot be read: " + e, e);
    }
  }

  // --- thumbnails

  @Override
  public List<Path> thumbnails(
      Path source, MediaInfo info, int count, Path image, Path outDir, TaskControl control)
      throws TaskFailedException {
    List<BufferedImage> picks = new ArrayList<>();
    if (image != null) {
      picks.add(readImage(image, "thumbnail"));
    } else {
      if (count < 1) {
        throw new IllegalArgumentException("count must be at least 1: " + count);
      }
      try (Mp4Source src = Mp4Source.open(source)) {
        if (src.video == null) {
          throw new TaskFailedException(
              FailureCode.NO_VIDEO_STREAM, "the source has no video track");
        }
        VideoTrack v = videoTrack(src);
        int rotation = rotation(src.video);
        List<Integer> keyframes = new ArrayList<>();
        for (int i = 0; i < v.samples.count; i++) {
          if (v.samples.sync[i]) {
            keyframes.add(i);
          }
        }
        if (keyframes.isEmpty()) {
          throw Mp4Source.corrupt("the video has no keyframe", null);
        }
        long end = v.end();
        for (int k = 0; k < count; k++) {
          control.checkNotCancelled();
          long target = end * (k + 1) / (count + 1);
          int at = nearestKeyframe(v, keyframes, target);
          BufferedImage best = null;
          double bestScore = -1;
          for (int tries = 0; tries <= THUMBNAIL_TRIES && at + tries < keyframes.size(); tries++) {
            control.checkNotCancelled();
            int sample = keyframes.get(at + tries);
            Picture p = decodeKeyframe(src, v, sample);
            if (p == null) {
              continue;
            }
            double[] stats = Images.lumaStats(p);
            // Near-black (mean luma under 24) or near-uniform (deviation under 10) frames are
            // title cards, fades and blank screens: try the next keyframe.
            boolean good = stats[0] >= 24 && stats[1] >= 10;
            double score = stats[1] + (stats[0] >= 24 ? 100 : 0);
            if (good || score > bestScore) {
              best = Images.rotate(Images.toImage(p), rotation);
              bestScore = score;
            }
            if (good) {
              break;
            }
          }
          if (best == null) {
            throw Mp4Source.corrupt("no keyframe near " + target + " could be decoded", null);
          }
          picks.add(best);
        }
      } catch (IOException e) {
        throw new TaskFailedException(FailureCode.INTERNAL, "thumbnails failed: " + e, e);
      } catch (RuntimeException e) {
        throw Mp4Source.corrupt("the video cannot be decoded for thumbnails: " + e, e);
      }
    }
    List<Path> files = new ArrayList<>();
    try {
      Files.createDirectories(outDir);
      for (int s = 0; s < BlobLayout.THUMBNAIL_SIZES.size(); s++) {
        int[] box = BlobLayout.THUMBNAIL_SIZES.get(s);
        for (int i = 0; i < picks.size(); i++) {
          control.checkNotCancelled();
          BufferedImage pick = picks.get(i);
          int[] size = Images.fit(pick.getWidth(), pick.getHeight(), box[0], box[1]);
          BufferedImage scaled = Images.scale(toBgr(pick), size[0], size[1]);
          Path file = outDir.resolve((s * 10 + i) + ".jpg");
          if (!ImageIO.write(scaled, "jpg", file.toFile())) {
            throw new TaskFailedException(FailureCode.INTERNAL, "no JPEG writer in this JDK");
          }
          files.add(file);
        }
      }
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "writing thumbnails failed: " + e, e);
    }
    return files;
  }

  /** The index (into {@code keyframes}) of the last keyframe at or before {@code target}. */
  private static int nearestKeyframe(VideoTrack v, List<Integer> keyframes, long target) {
    int best = 0;
    for (int k = 0; k < keyframes.size(); k++) {
      if (v.presentation(keyframes.get(k)) <= target) {
        best = k;
      }
    }
    return best;
  }

  private static Picture decodeKeyframe(Mp4Source src, VideoTrack v, int sample)
      throws IOException, TaskFailedException {
    byte[] au;
    try {
      au = v.avc.toAnnexB(src.read(v.samples, sample), true);
    } catch (IllegalArgumentException e) {
      throw Mp4Source.corrupt("video sample " + sample + " is broken: " + e.getMessage(), e);
    }
    return decode(new H264Decoder(), au, -1);
  }

  /** JPEG writers want an image without alpha. */
  private static BufferedImage toBgr(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      return img;
    }
    BufferedImage out =
        new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = out.createGraphics();
    try {
      g.setColor(java.awt.Color.BLACK);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.drawImage(img, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  // --- segment

  @Override
  public List<Segment> segment(
      List<Path> encodedChunks,
      Path audio,
      long audioOffsetMillis,
      int segmentSeconds,
      Path outDir,
      TaskControl control)
      throws TaskFailedException {
    if (encodedChunks.isEmpty()) {
      throw new IllegalArgumentException("no encoded chunks to segment");
    }
    if (segmentSeconds < 1) {
      throw new IllegalArgumentException("segmentSeconds must be at least 1: " + segmentSeconds);
    }
    long segment90k = segmentSeconds * 90_000L;
    List<Segment> segments = new ArrayList<>();
    try (AdtsReader adts = audio == null ? null : new AdtsReader(audio)) {
      Files.createDirectories(outDir);
      TsMuxer muxer = null;
      Path file = null;
      long segmentStart = 0;
      long firstPts = Long.MIN_VALUE;
      long audioBase = 0;
      long lastPts = 0;
      long lastDts = Long.MIN_VALUE;
      long lastStep = 0;
      try {
        for (int c = 0; c < encodedChunks.size(); c++) {
          control.checkNotCancelled();
          List<VideoSample> samples = demux(encodedChunks.get(c), "encoded chunk " + c);
          for (VideoSample s : samples) {
            control.checkNotCancelled();
            long pts = s.accessUnit().pts90k();
            long dts = s.accessUnit().dts90k();
            if (firstPts == Long.MIN_VALUE) {
              if (!s.accessUnit().keyframe()) {
                throw Mp4Source.corrupt("the encoded video does not start with a keyframe", null);
              }
              firstPts = pts;
              audioBase = Math.max(0, pts + audioOffsetMillis * 90);
            }
            if (muxer == null || (s.accessUnit().keyframe() && pts >= segmentStart + segment90k)) {
              if (muxer != null) {
                muxer.close();
                segments.add(new Segment(file, us(pts) - us(segmentStart)));
              }
              file = outDir.resolve(segments.size() + ".ts");
              muxer =
                  new TsMuxer(new BufferedOutputStream(Files.newOutputStream(file)), adts != null);
              segmentStart = pts;
            }
            // Audio up to this frame's decode time, interleaved by time.
            while (adts != null && adts.hasNext() && adts.pts(audioBase) <= dts) {
              muxer.writeAudio(adts.pts(audioBase), adts.next());
            }
            muxer.writeVideo(pts, dts, s.annexB(), s.accessUnit().keyframe());
            if (lastDts != Long.MIN_VALUE) {
              lastStep = Math.max(0, dts - lastDts);
            }
            lastDts = dts;
            lastPts = Math.max(lastPts, pts);
          }
        }
        if (muxer == null) {
          throw Mp4Source.corrupt("the encoded chunks hold no video", null);
        }
        // The rest of the audio goes into the last segment.
        while (adts != null && adts.hasNext()) {
          control.checkNotCancelled();
          muxer.writeAudio(adts.pts(audioBase), adts.next());
        }
        muxer.close();
        muxer = null;
        segments.add(new Segment(file, us(lastPts + lastStep) - us(segmentStart)));
      } finally {
        if (muxer != null) {
          muxer.close();
        }
      }
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "writing segments failed: " + e, e);
    } catch (IllegalArgumentException e) {
      throw Mp4Source.corrupt("the encoded chunks cannot be segmented: " + e.getMessage(), e);
    }
    return segments;
  }

  private static long us(long ticks90k) {
    return Math.floorDiv(ticks90k * 100, 9);
  }

  /**
   * Reads an ADTS stream frame by frame; frame {@code i} is presented at {@code base + i × 1024 /
   * rate} (AAC-LC frames are 1024 samples).
   */
  private static final class AdtsReader implements AutoCloseable {
    private final InputStream in;
    private final byte[] header = new byte[Adts.HEADER_BYTES];
    private byte[] nextFrame;
    private int rate;
    private long index;

    AdtsReader(Path file) throws IOException, TaskFailedException {
      in = new BufferedInputStream(Files.newInputStream(file));
      advance();
    }

    boolean hasNext() {
      return nextFrame != null;
    }

    long pts(long base) {
      return base + Math.floorDiv(index * 1024 * 90_000, rate);
    }

    byte[] next() throws IOException, TaskFailedException {
      byte[] frame = nextFrame;
      index++;
      advance();
      return frame;
    }

    private void advance() throws IOException, TaskFailedException {
      int n = in.readNBytes(header, 0, header.length);
      if (n == 0) {
        nextFrame = null;
        return;
      }
      int frameRate = n == header.length ? Adts.sampleRate(header, 0) : -1;
      int length = frameRate > 0 ? Adts.frameLength(header, 0) : 0;
      if (frameRate <= 0 || length < Adts.HEADER_BYTES || (rate != 0 && frameRate != rate)) {
        throw Mp4Source.corrupt(
            "the audio is not a consistent ADTS stream at frame " + index, null);
      }
      rate = frameRate;
      byte[] frame = Arrays.copyOf(header, length);
      if (in.readNBytes(frame, header.length, length - header.length) != length - header.length) {
        throw Mp4Source.corrupt("the audio's last ADTS frame is cut off", null);
      }
      nextFrame = frame;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
