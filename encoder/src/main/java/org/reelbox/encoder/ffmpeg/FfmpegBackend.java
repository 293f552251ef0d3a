package org.reelbox.encoder.ffmpeg;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.reelbox.common.work.AudioInput;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.InputLimits;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.common.work.WorkProtocol;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.encoder.backend.EncoderBackend;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;
import org.reelbox.encoder.ffmpeg.ContainerSniffer.Container;
import org.reelbox.media.ts.TsFormatException;
import org.reelbox.media.ts.TsMuxer;
import org.reelbox.media.ts.TsScan;
import org.reelbox.media.ts.TsScanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ffmpeg backend: every task is one or a few ffmpeg/ffprobe processes run by {@link
 * ProcessRunner}. docs/transcoding.md ("The ffmpeg backend") lists the exact command lines and why
 * they are what they are; the comments here say what each step relies on.
 *
 * <p>Every input is opened with its demuxer forced ({@code -f mov|matroska|mpegts}, decided by
 * {@link ContainerSniffer} from the file's magic), {@code -protocol_whitelist file}, a {@code
 * file:} URL and bounded probing, so that a playlist, a concat list or a URL inside a file is never
 * followed.
 */
public final class FfmpegBackend implements EncoderBackend {
  private static final Logger log = LoggerFactory.getLogger(FfmpegBackend.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String PROBE_SIZE = "20000000"; // bytes
  private static final String ANALYZE_DURATION = "20000000"; // microseconds
  private static final String MAX_STREAMS = "256";
  private static final int PROBE_JSON_LIMIT = 4 << 20;
  private static final int KEYFRAME_LIST_LIMIT = 64 << 20;

  /** At most this many keyframe times go into {@code MediaInfo} (the list is a hint for split). */
  static final int MAX_KEYFRAMES = 5000;

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DECODE_CHECK_TIMEOUT = Duration.ofSeconds(60);

  /** AAC encoders prepend one frame of priming samples that ADTS cannot signal (no edit list). */
  static final int AAC_PRIMING_SAMPLES = 1024;

  /** Codecs the MPEG-TS muxer carries; chunks of anything else are Matroska (same file names). */
  private static final List<String> TS_VIDEO_CODECS =
      List.of("h264", "hevc", "mpeg2video", "mpeg1video", "mpeg4");

  private final ProcessRunner runner;
  private final String ffmpeg;
  private final String ffprobe;
  private final boolean useHardware;
  private final int x264Threads;
  private volatile List<String> hardwareEncoders;

  /** ffmpeg and ffprobe from the PATH, hardware encoders when they pass the trial. */
  public FfmpegBackend() {
    this(new ProcessRunner(), "ffmpeg", "ffprobe", true);
  }

  /**
   * @param useHardware whether to detect and use hardware encoders ({@code false}: libx264 only, no
   *     detection)
   */
  public FfmpegBackend(ProcessRunner runner, String ffmpeg, String ffprobe, boolean useHardware) {
    this(runner, ffmpeg, ffprobe, useHardware, 0);
  }

  /**
   * @param useHardware whether to detect and use hardware encoders ({@code false}: libx264 only, no
   *     detection)
   * @param x264Threads libx264's {@code -threads} for each encode; 0 lets x264 decide (1.5 per
   *     core, whatever else runs)
   */
  public FfmpegBackend(
      ProcessRunner runner, String ffmpeg, String ffprobe, boolean useHardware, int x264Threads) {
    this.runner = requireNonNull(runner, "runner");
    this.ffmpeg = requireNonNull(ffmpeg, "ffmpeg");
    this.ffprobe = requireNonNull(ffprobe, "ffprobe");
    this.useHardware = useHardware;
    if (x264Threads < 0) {
      throw new IllegalArgumentException("x264Threads must be 0 or more, got " + x264Threads);
    }
    this.x264Threads = x264Threads;
  }

  @Override
  public String name() {
    return WorkerInfo.FFMPEG;
  }

  /** Detected on first use (a few seconds per listed encoder), then remembered. */
  @Override
  public List<String> hardwareEncoders() {
    List<String> found = hardwareEncoders;
    if (found == null) {
      synchronized (this) {
        found = hardwareEncoders;
        if (found == null) {
          found = useHardware ? HardwareEncoders.detect(runner, ffmpeg) : List.of();
          hardwareEncoders = found;
        }
      }
    }
    return found;
  }

  // ---------------------------------------------------------------------------------- inspect

  @Override
  public MediaInfo inspect(Path source, InputLimits limits, TaskControl control)
      throws TaskFailedException {
    requireNonNull(limits, "limits");
    long sizeBytes = size(source);
    Container container = ContainerSniffer.sniff(source);
    control.checkNotCancelled();

    JsonNode probe =
        probeJson(source, container, List.of("-show_format", "-show_streams"), control);
    JsonNode streams = probe.path("streams");
    String formatName = probe.path("format").path("format_name").asText("");
    if (!formatMatches(container, formatName)) {
      throw new TaskFailedException(
          FailureCode.UNSUPPORTED_CONTAINER, "unsupported container '" + formatName + "'");
    }
    if (streams.size() > limits.maxStreams()) {
      throw new TaskFailedException(
          FailureCode.TOO_MANY_STREAMS,
          "the file has " + streams.size() + " streams; at most " + limits.maxStreams());
    }
    JsonNode video = firstStream(streams, "video");
    if (video == null) {
      throw new TaskFailedException(FailureCode.NO_VIDEO_STREAM, "the file has no video stream");
    }
    String codec = video.path("codec_name").asText("");
    if (codec.isEmpty() || codec.equals("none") || codec.equals("unknown")) {
      throw new TaskFailedException(
          FailureCode.UNSUPPORTED_CODEC,
          "unknown video codec (tag '" + video.path("codec_tag_string").asText("?") + "')");
    }
    int width = video.path("width").asInt(0);
    int height = video.path("height").asInt(0);
    if (width <= 0 || height <= 0) {
      throw new TaskFailedException(
          FailureCode.CORRUPT_INPUT, "the video stream has no picture size");
    }
    if (Math.min(width, height) < limits.minSide() || Math.max(width, height) > limits.maxSide()) {
      throw new TaskFailedException(
          FailureCode.RESOLUTION_OUT_OF_RANGE,
          String.format(
              Locale.ROOT,
              "%dx%d is outside %d to %d pixels a side",
              width,
              height,
              limits.minSide(),
              limits.maxSide()));
    }
    long durationMillis = durationMillis(probe);
    if (durationMillis <= 0) {
      throw new TaskFailedException(FailureCode.CORRUPT_INPUT, "the file has no duration");
    }
    if (durationMillis > limits.maxDurationSeconds() * 1000) {
      throw new TaskFailedException(
          FailureCode.DURATION_TOO_LONG,
          "the video is "
              + durationMillis / 1000
              + " s long; at most "
              + limits.maxDurationSeconds()
              + " s");
    }

    int rotation = rotation(video);
    int[] sar = ratio(video.path("sample_aspect_ratio").asText(""));
    int displayWidth = width;
    int displayHeight = height;
    if (sar != null && sar[0] > 0 && sar[1] > 0 && sar[0] != sar[1]) {
      displayWidth = (int) Math.round((double) width * sar[0] / sar[1] / 2) * 2;
    }
    if (rotation == 90 || rotation == 270) {
      int swap = displayWidth;
      displayWidth = displayHeight;
      displayHeight = swap;
    }
    int[] fps = ratio(video.path("avg_frame_rate").asText(""));
    if (fps == null || fps[0] <= 0 || fps[1] <= 0) {
      fps = ratio(video.path("r_frame_rate").asText(""));
    }
    if (fps == null || fps[0] <= 0 || fps[1] <= 0) {
      throw new TaskFailedException(FailureCode.CORRUPT_INPUT, "the video has no frame rate");
    }

    decodeCheck(source, container, control);
    List<Long> keyframes = keyframeTimes(source, container, video, control);

    JsonNode audio = firstStream(streams, "audio");
    MediaInfo.AudioInfo audioInfo =
        audio == null
            ? null
            : new MediaInfo.AudioInfo(
                audio.path("codec_name").asText("unknown"),
                audio.path("channels").asInt(0),
                audio.path("sample_rate").asInt(0),
                audio.path("bit_rate").asLong(0));
    return new MediaInfo(
        container.name,
        sizeBytes,
        durationMillis,
        streams.size(),
        new MediaInfo.VideoInfo(
            codec,
            video.path("profile").asText(""),
            width,
            height,
            rotation,
            displayWidth,
            displayHeight,
            fps[0],
            fps[1],
            video.path("bit_rate").asLong(0),
            keyframes),
        audioInfo);
  }

  private static boolean formatMatches(Container container, String formatName) {
    switch (container) {
      case MP4:
        return formatName.startsWith("mov,mp4");
      case MATROSKA:
        return formatName.startsWith("matroska");
      case MPEGTS:
        return formatName.equals("mpegts");
      default:
        return false;
    }
  }

  /** The first stream of a type; a cover picture (attached_pic) is not a video stream. */
  private static JsonNode firstStream(JsonNode streams, String type) {
    for (JsonNode stream : streams) {
      if (type.equals(stream.path("codec_type").asText())
          && stream.path("disposition").path("attached_pic").asInt(0) == 0) {
        return stream;
      }
    }
    return null;
  }

  private static long durationMillis(JsonNode probe) {
    double longest = 0;
    for (JsonNode stream : probe.path("streams")) {
      double duration = parseDouble(stream.path("duration").asText(""));
      if (!Double.isNaN(duration)) {
        longest = Math.max(longest, duration);
      }
    }
    if (longest <= 0) {
      // Matroska gives no per-stream duration (only a DURATION tag): use the container's.
      longest = zeroIfNaN(parseDouble(probe.path("format").path("duration").asText("")));
    }
    return Math.round(longest * 1000);
  }

  /**
   * Clockwise display rotation: ffprobe's display-matrix {@code rotation} is counter-clockwise
   * (what ffmpeg's own autorotate undoes), the legacy {@code rotate} tag clockwise.
   */
  static int rotation(JsonNode video) {
    double degrees = 0;
    boolean found = false;
    for (JsonNode sideData : video.path("side_data_list")) {
      if (sideData.has("rotation")) {
        degrees = -sideData.path("rotation").asDouble(0);
        found = true;
        break;
      }
    }
    if (!found && video.path("tags").has("rotate")) {
      degrees = parseDouble(video.path("tags").path("rotate").asText("0"));
    }
    long quarter = Math.round(degrees / 90.0);
    return (int) (((quarter % 4) + 4) % 4) * 90;
  }

  /**
   * Decodes the first second, so that a stream whose headers parse but whose frames do not fails
   * inspect with a code rather than every encode task later.
   */
  private void decodeCheck(Path source, Container container, TaskControl control)
      throws TaskFailedException {
    List<String> cmd = ffmpegCommand();
    cmd.add("-xerror");
    cmd.addAll(input(container, source));
    cmd.addAll(List.of("-map", "0:v:0", "-an", "-sn", "-dn", "-t", "1", "-f", "null", "-"));
    ProcessRunner.Result result =
        runner.run(
            cmd, ProcessRunner.Options.defaults().withTimeout(DECODE_CHECK_TIMEOUT), control);
    if (result.exitCode() != 0) {
      String stderr = result.stderrTail();
      if (stderr.contains("Decoder (codec") || stderr.contains("Unsupported codec")) {
        throw new TaskFailedException(
            FailureCode.UNSUPPORTED_CODEC, "cannot decode the video: " + result.lastErrorLine());
      }
      throw new TaskFailedException(
          FailureCode.CORRUPT_INPUT,
          "the first second of video does not decode: " + result.lastErrorLine());
    }
  }

  /**
   * Keyframe times from the packet flags (no decoding), relative to the video's first packet. The
   * list is capped at {@link #MAX_KEYFRAMES}; a cut-off list is only a hint (split asks ffmpeg's
   * segmenter, which finds keyframes itself).
   */
  private List<Long> keyframeTimes(
      Path source, Container container, JsonNode video, TaskControl control)
      throws TaskFailedException {
    List<String> cmd = ffprobeCommand();
    cmd.addAll(
        List.of(
            "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0"));
    cmd.addAll(input(container, source));
    ProcessRunner.Result result =
        runner.run(cmd, ProcessRunner.Options.defaults().withStdout(KEYFRAME_LIST_LIMIT), control);
    double start = parseDouble(video.path("start_time").asText(""));
    if (Double.isNaN(start)) {
      start = 0;
    }
    List<Long> times = new ArrayList<>();
    for (String line : result.stdoutText().split("\n")) {
      String[] fields = line.split(",");
      if (fields.length >= 2 && fields[1].startsWith("K") && times.size() < MAX_KEYFRAMES) {
        double pts = parseDouble(fields[0]);
        if (!Double.isNaN(pts)) {
          times.add(Math.max(0, Math.round((pts - start) * 1000)));
        }
      }
    }
    times.sort(Comparator.naturalOrder());
    return times;
  }

  // ------------------------------------------------------------------------------------ split

  @Override
  public List<SplitOutput.Chunk> split(
      Path source, MediaInfo info, int chunkSeconds, Path outDir, TaskControl control)
      throws TaskFailedException {
    if (chunkSeconds < 1) {
      throw new IllegalArgumentException("chunkSeconds must be at least 1: " + chunkSeconds);
    }
    Container container = ContainerSniffer.sniff(source);
    createDirectories(outDir);
    Path list = outDir.resolve("chunks.csv");
    String codec = info.video().codec();
    List<String> cmd = ffmpegCommand();
    cmd.addAll(input(container, source));
    cmd.addAll(List.of("-map", "0:v:0", "-an", "-sn", "-dn", "-c", "copy"));
    int rotation = info.video().rotation();
    if (rotation != 0 && codec.equals("h264")) {
      // MPEG-TS has no display matrix: carry the rotation in the stream itself, as an H.264
      // display orientation SEI (counter-clockwise), which encode reads back from the first frame.
      cmd.addAll(
          List.of(
              "-bsf:v",
              "h264_metadata=display_orientation=insert:rotate=" + ((360 - rotation) % 360)));
    }
    cmd.addAll(
        List.of(
            "-f",
            "segment",
            "-segment_format",
            TS_VIDEO_CODECS.contains(codec) ? "mpegts" : "matroska",
            "-segment_time",
            Integer.toString(chunkSeconds),
            "-segment_list",
            fileUrl(list),
            "-segment_list_type",
            "csv",
            fileUrl(outDir.toAbsolutePath()) + "/c%04d.ts"));
    ProcessRunner.Result result = runner.run(cmd, ProcessRunner.Options.defaults(), control);
    if (result.exitCode() != 0) {
      throw new TaskFailedException(
          FailureCode.ENCODER_FAILED, "split failed: " + result.lastErrorLine());
    }
    List<String> lines = readLines(list);
    deleteIfExists(list);
    // The segment list's times are not the chunks' (its first start is 0 whatever the first
    // packet's time), so each chunk is read: its first frame time and frame count are exact.
    double fps = (double) info.video().frameRateNum() / info.video().frameRateDen();
    List<String> names = new ArrayList<>();
    List<double[]> probed = new ArrayList<>(); // start, duration, frames
    for (String line : lines) {
      String[] fields = line.split(",");
      if (fields.length < 3) {
        continue;
      }
      control.checkNotCancelled();
      names.add(fields[0]);
      probed.add(chunkTimes(outDir.resolve(fields[0]), fps, control));
    }
    List<SplitOutput.Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < probed.size(); i++) {
      double[] chunk = probed.get(i);
      double first = probed.get(0)[0];
      long startMillis = Math.round((chunk[0] - first) * 1000);
      long endMillis =
          i + 1 < probed.size()
              ? Math.round((probed.get(i + 1)[0] - first) * 1000)
              : Math.round((chunk[0] + chunk[1] - first) * 1000);
      chunks.add(
          new SplitOutput.Chunk(
              i,
              names.get(i),
              startMillis,
              endMillis - startMillis,
              (int) chunk[2],
              info.video().rotation()));
    }
    if (chunks.isEmpty()) {
      throw new TaskFailedException(FailureCode.ENCODER_FAILED, "split wrote no chunks");
    }
    return chunks;
  }

  /**
   * A chunk's first frame time (seconds), duration (seconds) and frame count. MPEG-TS chunks are
   * read in the JVM ({@link TsScanner}: the packet headers, no decoding), which costs a few
   * milliseconds where an {@code ffprobe -count_packets} costs about 0.3 s of CPU (a 60 s source
   * has 15 chunks, all before the first encode can start); Matroska chunks, and a TS chunk the
   * scanner refuses, are probed.
   */
  private double[] chunkTimes(Path file, double fps, TaskControl control)
      throws TaskFailedException {
    Container container = ContainerSniffer.sniff(file);
    if (container == Container.MPEGTS) {
      try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        TsScan scan = TsScanner.scan(in, au -> {});
        if (scan.accessUnitCount() > 0 && scan.firstVideoPts90k().isPresent()) {
          return new double[] {
            scan.firstVideoPts90k().getAsLong() / 90_000.0,
            scan.videoDuration90k() / 90_000.0,
            scan.accessUnitCount()
          };
        }
      } catch (IOException | TsFormatException e) {
        log.debug("scanning {} failed ({}); probing it", file, e.toString());
      }
    }
    JsonNode stream =
        probeJson(
                file,
                container,
                List.of(
                    "-count_packets",
                    "-select_streams",
                    "v:0",
                    "-show_entries",
                    "stream=start_time,duration,nb_read_packets"),
                control)
            .path("streams")
            .path(0);
    int frames = stream.path("nb_read_packets").asInt(0);
    double duration = parseDouble(stream.path("duration").asText(""));
    return new double[] {
      parseDouble(stream.path("start_time").asText("")),
      Double.isNaN(duration) ? frames / fps : duration,
      frames
    };
  }

  // ----------------------------------------------------------------------------------- encode

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
    return encodeAll(
            chunk,
            chunkInfo,
            List.of(rendition),
            preset,
            keyframeSeconds,
            filters,
            List.of(out),
            control)
        .get(0);
  }

  /** Fused encodes are one ffmpeg process: as many as the work protocol hands out at once. */
  @Override
  public int fuseLimit() {
    return WorkProtocol.MAX_FUSE_LIMIT;
  }

  /**
   * One ffmpeg process for every rendition: the chunk is decoded once and {@code split} feeds one
   * scale (and watermark) chain and one encoder per rendition. Decoding a noisy 720p chunk costs
   * about a third of its 360p encode, so three renditions encoded apart decode it three times; one
   * process also starts ffmpeg and reads the chunk once (docs/transcoding.md §15 has the figures).
   * Every output gets the same forced keyframes as it would alone, so fused and single encodes of a
   * chunk are interchangeable (a retried task may run alone).
   */
  @Override
  public List<EncodedChunk> encodeAll(
      Path chunk,
      SplitOutput.Chunk chunkInfo,
      List<RenditionSpec> renditions,
      String preset,
      int keyframeSeconds,
      List<LocalFilter> filters,
      List<Path> outs,
      TaskControl control)
      throws TaskFailedException {
    if (keyframeSeconds < 1) {
      throw new IllegalArgumentException("keyframeSeconds must be at least 1: " + keyframeSeconds);
    }
    if (renditions.isEmpty() || renditions.size() != outs.size()) {
      throw new IllegalArgumentException(
          "one output per rendition, at least one: "
              + renditions.size()
              + " renditions, "
              + outs.size()
              + " outputs");
    }
    Container container = ContainerSniffer.sniff(chunk);
    ChunkProbe probed = probeChunk(chunk, container, control);
    // Split records the source's rotation with every chunk (HEVC chunks have no other place for
    // it); a report without it (0) falls back to the orientation SEI split puts in H.264 chunks.
    int rotation = chunkInfo.rotation() != 0 ? chunkInfo.rotation() : probed.rotation();
    List<Double> framePts = probed.framePts();
    List<String> hardware = hardwareEncoders();
    String encoder = hardware.isEmpty() ? "libx264" : hardware.get(0);
    Function<String, List<String>> command =
        enc ->
            encodeCommand(
                chunk,
                container,
                rotation,
                chunkInfo,
                renditions,
                preset,
                keyframeSeconds,
                filters,
                outs,
                enc,
                framePts);
    ProcessRunner.Result result =
        runner.run(command.apply(encoder), ProcessRunner.Options.defaults(), control);
    if (result.exitCode() != 0 && !encoder.equals("libx264")) {
      log.warn(
          "{} failed on chunk {} ({}); encoding it with libx264",
          encoder,
          chunkInfo.index(),
          result.lastErrorLine());
      encoder = "libx264";
      result = runner.run(command.apply(encoder), ProcessRunner.Options.defaults(), control);
    }
    if (result.exitCode() != 0) {
      throw new TaskFailedException(
          FailureCode.ENCODER_FAILED, "encode failed: " + result.lastErrorLine());
    }
    List<EncodedChunk> encoded = new ArrayList<>(outs.size());
    for (Path out : outs) {
      int frames = countFrames(out, control);
      if (frames == 0) {
        throw new TaskFailedException(FailureCode.ENCODER_FAILED, "encode wrote no frames");
      }
      encoded.add(new EncodedChunk(frames, chunkInfo.durationMillis(), encoder));
    }
    return encoded;
  }

  /** The rotation that split carried in the chunk's first frame (display orientation SEI). */
  private int chunkRotation(Path chunk, Container container, TaskControl control)
      throws TaskFailedException {
    JsonNode probe =
        probeJson(
            chunk,
            container,
            List.of(
                "-select_streams",
                "v:0",
                "-read_intervals",
                "%+#1",
                "-show_frames",
                "-show_entries",
                "frame=pts_time:frame_side_data=rotation"),
            control);
    for (JsonNode frame : probe.path("frames")) {
      return rotation(frame);
    }
    return 0;
  }

  /**
   * The ffmpeg command that encodes {@code chunk} into every rendition, output {@code i} at {@code
   * outs.get(i)}: one decode, rotated once, {@code split} into one chain per rendition (frame step,
   * scale, watermarks, pixel format), each mapped to its own encoder and MPEG-TS file.
   */
  List<String> encodeCommand(
      Path chunk,
      Container container,
      int rotation,
      SplitOutput.Chunk chunkInfo,
      List<RenditionSpec> renditions,
      String preset,
      int keyframeSeconds,
      List<LocalFilter> filters,
      List<Path> outs,
      String encoder,
      List<Double> framePts) {
    List<String> cmd = ffmpegCommand();
    if (encoder.equals("h264_vaapi")) {
      cmd.addAll(List.of("-vaapi_device", HardwareEncoders.VAAPI_DEVICE));
    }
    // -copyts: the chunk's timestamps go through unchanged, so encoded chunks of one rendition
    // concatenate byte-wise into one timeline (the chunk's TS already carries split's offset).
    cmd.addAll(List.of("-copyts", "-noautorotate"));
    cmd.addAll(input(container, chunk));
    for (LocalFilter filter : filters) {
      if (!filter.type().equals("watermark")) {
        throw new IllegalArgumentException("unknown filter type: " + filter.type());
      }
    }
    // A filter graph input is consumed once: each rendition reads its own copy of every mark.
    for (int r = 0; r < renditions.size(); r++) {
      for (LocalFilter filter : filters) {
        cmd.addAll(List.of("-f", "png_pipe", "-i", fileUrl(filter.image())));
      }
    }

    int n = renditions.size();
    StringBuilder graph = new StringBuilder("[0:v:0]");
    switch (rotation) {
      case 90:
        graph.append("transpose=clock,");
        break;
      case 180:
        graph.append("hflip,vflip,");
        break;
      case 270:
        graph.append("transpose=cclock,");
        break;
      default:
        break;
    }
    graph.append(n == 1 ? "null[s0]" : "split=" + n);
    if (n > 1) {
      for (int r = 0; r < n; r++) {
        graph.append("[s").append(r).append(']');
      }
    }
    for (int r = 0; r < n; r++) {
      RenditionSpec rendition = renditions.get(r);
      graph.append(";[s").append(r).append(']');
      if (rendition.frameStep() > 1) {
        // Keeps every n-th frame of the chunk; chunks start at keyframes, so the first frame is
        // always kept and is where the forced keyframe goes.
        graph.append("select='not(mod(n,").append(rendition.frameStep()).append("))',");
      }
      graph
          .append("scale=")
          .append(rendition.width())
          .append(':')
          .append(rendition.height())
          .append(":flags=lanczos,setsar=1");
      String last = "base" + r;
      graph.append("[").append(last).append("]");
      for (int i = 0; i < filters.size(); i++) {
        LocalFilter wm = filters.get(i);
        int inputIndex = 1 + r * filters.size() + i;
        // The mark is drawn for a 1080-line picture and scaled with the rendition.
        double scale = rendition.height() / 1080.0;
        int margin = (int) Math.round(wm.marginPx() * scale);
        String mark = "wm" + r + "_" + i;
        String over = "ov" + r + "_" + i;
        graph
            .append(";[")
            .append(inputIndex)
            .append(":v]format=rgba,scale=w='max(2,trunc(iw*")
            .append(String.format(Locale.ROOT, "%.4f", scale))
            .append("/2)*2)':h=-2[")
            .append(mark)
            .append("];[")
            .append(last)
            .append("][")
            .append(mark)
            .append("]overlay=")
            .append(overlayPosition(wm.position(), margin))
            .append("[")
            .append(over)
            .append("]");
        last = over;
      }
      graph.append(";[").append(last).append("]format=yuv420p");
      if (encoder.equals("h264_vaapi")) {
        graph.append(",format=nv12,hwupload");
      }
      graph.append("[v").append(r).append("]");
    }
    cmd.addAll(List.of("-filter_complex", graph.toString()));
    for (int r = 0; r < n; r++) {
      cmd.add("-map");
      cmd.add("[v" + r + "]");
      cmd.addAll(List.of("-an", "-sn", "-dn"));
      cmd.addAll(
          encoderOptions(renditions.get(r), preset, keyframeSeconds, chunkInfo, encoder, framePts));
      cmd.add(fileUrl(outs.get(r)));
    }
    return cmd;
  }

  /** The options of one output: its encoder, rate control, keyframes and MPEG-TS muxer. */
  private List<String> encoderOptions(
      RenditionSpec rendition,
      String preset,
      int keyframeSeconds,
      SplitOutput.Chunk chunkInfo,
      String encoder,
      List<Double> framePts) {
    List<String> cmd = new ArrayList<>();
    long bitrate = rendition.videoBitrateBps();
    long maxrate = bitrate * 3 / 2;
    long bufsize = bitrate * 2;
    double outFps = (double) rendition.frameRateNum() / rendition.frameRateDen();
    // A natural GOP end must never come before the next forced keyframe: forced keyframes alone
    // decide where GOPs start, identically in every rendition.
    int gop = (int) Math.ceil(outFps * keyframeSeconds * 2) + 1;
    cmd.addAll(List.of("-c:v", encoder));
    switch (encoder) {
      case "libx264":
        if (x264Threads > 0) {
          cmd.addAll(List.of("-threads", Integer.toString(x264Threads)));
        }
        cmd.addAll(
            List.of(
                "-preset",
                preset,
                "-profile:v",
                rendition.profile(),
                "-level:v",
                rendition.level(),
                "-sc_threshold",
                "0",
                "-forced-idr",
                "1",
                "-flags",
                "+cgop"));
        break;
      case "h264_nvenc":
        cmd.addAll(
            List.of(
                "-preset",
                "p4",
                "-rc",
                "vbr",
                "-profile:v",
                rendition.profile(),
                "-level:v",
                rendition.level(),
                "-no-scenecut",
                "1",
                "-forced-idr",
                "1",
                "-strict_gop",
                "1"));
        break;
      default: // h264_qsv, h264_vaapi
        cmd.addAll(List.of("-profile:v", rendition.profile(), "-level", rendition.level()));
        break;
    }
    cmd.addAll(
        List.of(
            "-b:v",
            Long.toString(bitrate),
            "-maxrate",
            Long.toString(maxrate),
            "-bufsize",
            Long.toString(bufsize),
            "-g",
            Integer.toString(gop),
            "-force_key_frames",
            forceKeyFramesExpr(
                framePts, chunkInfo.startMillis(), keyframeSeconds, rendition.frameStep()),
            "-fps_mode",
            "passthrough",
            "-muxdelay",
            "0",
            "-muxpreload",
            "0",
            "-f",
            "mpegts"));
    return cmd;
  }

  /**
   * Keyframes at the chunk's first frame and at every multiple of {@code keyframeSeconds} on the
   * source timeline, as an expression over {@code n}, the index of the frame entering the encoder.
   *
   * <p>Frame indices, not times: the {@code t} of ffmpeg's expression counts from an origin that
   * depends on the chunk's first decode timestamp (with B-frames it is not the first frame), so
   * times could shift by a frame or two between chunks. The indices are computed here from the
   * chunk's own packet times: frame {@code i}'s source time is {@code startMillis + pts[i] -
   * pts[0]}; the first frame of each {@code keyframeSeconds} slot is a keyframe (1 ms of tolerance
   * absorbs the millisecond rounding of {@code startMillis}). Every rendition computes the same
   * indices from the same chunk, so keyframes line up across renditions.
   *
   * @param framePtsSeconds the chunk's frame times in presentation order
   * @param frameStep keep every n-th frame (the kept frames are the ones the encoder numbers)
   */
  static String forceKeyFramesExpr(
      List<Double> framePtsSeconds, long chunkStartMillis, int keyframeSeconds, int frameStep) {
    StringBuilder expr = new StringBuilder("expr:eq(n,0)");
    if (framePtsSeconds.isEmpty()) {
      return expr.toString();
    }
    double first = framePtsSeconds.get(0);
    long lastSlot = Long.MIN_VALUE;
    int encoderIndex = 0;
    for (int i = 0; i < framePtsSeconds.size(); i += frameStep, encoderIndex++) {
      double sourceSeconds = chunkStartMillis / 1000.0 + (framePtsSeconds.get(i) - first);
      long slot = (long) Math.floor((sourceSeconds + 0.001) / keyframeSeconds);
      if (slot != lastSlot && encoderIndex > 0) {
        expr.append("+eq(n,").append(encoderIndex).append(')');
      }
      lastSlot = slot;
    }
    return expr.toString();
  }

  /** What encode needs to know about a chunk: the same for every rendition of it. */
  private record ChunkProbe(int rotation, List<Double> framePts) {}

  // When a chunk needs ffprobe (not H.264 in TS, or rotated), every rendition encoded apart from
  // the others would probe the same bytes, so a worker remembers the last few chunks' probes by
  // content (SHA-256 of the file): two ffprobe runs (about 0.4 s of CPU) saved for each rendition
  // after the first. Keyed by content, a hit is right by construction. The usual chunk (H.264 in
  // TS, unrotated) is read once in the JVM and needs neither the probes nor the hash.
  private static final int PROBE_CACHE_SIZE = 64;
  private final Map<String, ChunkProbe> probeCache =
      new LinkedHashMap<>(16, 0.75f, /* accessOrder= */ true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ChunkProbe> eldest) {
          return size() > PROBE_CACHE_SIZE;
        }
      };

  private ChunkProbe probeChunk(Path chunk, Container container, TaskControl control)
      throws TaskFailedException {
    ChunkProbe scanned = scanChunk(chunk, container);
    if (scanned != null && scanned.rotation() >= 0) {
      return scanned;
    }
    String key;
    try {
      key = container + ":" + sha256(chunk);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.MISSING_INPUT, "cannot read the chunk", e);
    }
    synchronized (probeCache) {
      ChunkProbe cached = probeCache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    ChunkProbe probed =
        scanned == null
            ? new ChunkProbe(
                chunkRotation(chunk, container, control),
                List.copyOf(framePts(chunk, container, control)))
            : new ChunkProbe(chunkRotation(chunk, container, control), scanned.framePts());
    synchronized (probeCache) {
      probeCache.put(key, probed);
    }
    return probed;
  }

  /**
   * An MPEG-TS chunk read in the JVM (packet headers, the first frame's NAL units), in place of two
   * ffprobes (about 0.5 s of CPU per chunk): its frame times in presentation order, and its
   * rotation: 0 when the first frame of an H.264 chunk carries no display orientation SEI, -1 when
   * it does (or the video is not H.264) and ffprobe must read it. Null when the chunk is not
   * MPEG-TS or the scanner refuses it: probe everything.
   */
  private static ChunkProbe scanChunk(Path chunk, Container container) {
    if (container != Container.MPEGTS) {
      return null;
    }
    List<Double> pts = new ArrayList<>();
    boolean[] oriented = new boolean[1];
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(chunk), 1 << 16)) {
      TsScan scan =
          TsScanner.demux(
              in,
              sample -> {
                if (pts.isEmpty()) {
                  oriented[0] = H264Sei.mayContain(sample.annexB(), H264Sei.DISPLAY_ORIENTATION);
                }
                pts.add(sample.accessUnit().pts90k() / 90_000.0);
              });
      if (pts.isEmpty()) {
        return null;
      }
      boolean h264 =
          scan.streams().stream()
              .anyMatch(
                  s ->
                      scan.videoPid().isPresent()
                          && s.pid() == scan.videoPid().getAsInt()
                          && s.streamType() == TsMuxer.STREAM_TYPE_H264);
      pts.sort(Comparator.naturalOrder());
      return new ChunkProbe(h264 && !oriented[0] ? 0 : -1, List.copyOf(pts));
    } catch (IOException | TsFormatException e) {
      log.debug("scanning {} failed ({}); probing it", chunk, e.toString());
      return null;
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The video frames of an encoded chunk (MPEG-TS, written by ffmpeg): counted in the JVM by the
   * media module's scanner, which saves an ffprobe process per encode; ffprobe when the scanner
   * refuses the stream.
   */
  private int countFrames(Path encoded, TaskControl control) throws TaskFailedException {
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(encoded))) {
      return (int) TsScanner.scan(in, au -> {}).accessUnitCount();
    } catch (IOException | TsFormatException e) {
      log.debug("scanning {} failed ({}); counting with ffprobe", encoded, e.toString());
    }
    JsonNode probe =
        probeJson(
            encoded,
            Container.MPEGTS,
            List.of(
                "-count_packets",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=nb_read_packets"),
            control);
    return probe.path("streams").path(0).path("nb_read_packets").asInt(0);
  }

  /** The chunk's video frame times, in presentation order. */
  private List<Double> framePts(Path chunk, Container container, TaskControl control)
      throws TaskFailedException {
    List<String> cmd = ffprobeCommand();
    cmd.addAll(
        List.of("-select_streams", "v:0", "-show_entries", "packet=pts_time", "-of", "csv=p=0"));
    cmd.addAll(input(container, chunk));
    ProcessRunner.Result result =
        runner.run(
            cmd,
            ProcessRunner.Options.defaults()
                .withStdout(KEYFRAME_LIST_LIMIT)
                .withTimeout(PROBE_TIMEOUT),
            control);
    if (result.exitCode() != 0 || result.stdoutOverflow()) {
      throw new TaskFailedException(
          FailureCode.ENCODER_FAILED, "cannot read the chunk: " + result.lastErrorLine());
    }
    List<Double> pts = new ArrayList<>();
    for (String line : result.stdoutText().split("\n")) {
      double value = parseDouble(line.replace(",", "").strip());
      if (!Double.isNaN(value)) {
        pts.add(value);
      }
    }
    pts.sort(Comparator.naturalOrder());
    return pts;
  }

  private static String overlayPosition(String position, int margin) {
    String m = Integer.toString(margin);
    switch (position == null ? "top-right" : position) {
      case "top-left":
        return "x=" + m + ":y=" + m;
      case "bottom-left":
        return "x=" + m + ":y=main_h-overlay_h-" + m;
      case "bottom-right":
        return "x=main_w-overlay_w-" + m + ":y=main_h-overlay_h-" + m;
      case "top-right":
        return "x=main_w-overlay_w-" + m + ":y=" + m;
      default:
        throw new IllegalArgumentException("unknown watermark position: " + position);
    }
  }

  // ------------------------------------------------------------------------------------ audio

  @Override
  public Optional<AudioResult> audio(
      Path source, MediaInfo info, AudioInput spec, Path out, TaskControl control)
      throws TaskFailedException {
    if (info.audio() == null) {
      return Optional.empty();
    }
    Container container = ContainerSniffer.sniff(source);
    JsonNode probe = probeJson(source, container, List.of("-show_streams"), control);
    JsonNode video = firstStream(probe.path("streams"), "video");
    JsonNode audio = firstStream(probe.path("streams"), "audio");
    if (audio == null) {
      return Optional.empty();
    }
    double videoStart =
        video == null ? 0 : zeroIfNaN(parseDouble(video.path("start_time").asText("")));
    double audioStart = zeroIfNaN(parseDouble(audio.path("start_time").asText("")));

    createDirectories(out.toAbsolutePath().getParent());
    List<String> cmd = ffmpegCommand();
    cmd.addAll(input(container, source));
    cmd.addAll(
        List.of(
            "-map",
            "0:a:0",
            "-vn",
            "-sn",
            "-dn",
            "-c:a",
            "aac",
            "-profile:a",
            "aac_low",
            "-b:a",
            Long.toString(spec.bitrateBps()),
            "-ac",
            Integer.toString(spec.channels()),
            "-ar",
            Integer.toString(spec.sampleRateHz()),
            "-f",
            "adts",
            fileUrl(out)));
    ProcessRunner.Result result = runner.run(cmd, ProcessRunner.Options.defaults(), control);
    if (result.exitCode() != 0) {
      throw new TaskFailedException(
          FailureCode.ENCODER_FAILED, "audio encode failed: " + result.lastErrorLine());
    }
    JsonNode adts =
        probeJson(
            out,
            null,
            List.of(
                "-count_packets",
                "-select_streams",
                "a:0",
                "-show_entries",
                "stream=nb_read_packets"),
            control);
    long packets = adts.path("streams").path(0).path("nb_read_packets").asLong(0);
    long durationMillis = packets * AAC_PRIMING_SAMPLES * 1000 / spec.sampleRateHz();
    // The ADTS stream starts with one frame of encoder priming, which ADTS cannot mark as such:
    // its first sample is at the source's first audio sample minus that frame.
    long offsetMillis =
        Math.round(
            (audioStart - videoStart - (double) AAC_PRIMING_SAMPLES / spec.sampleRateHz()) * 1000);
    return Optional.of(new AudioResult(durationMillis, offsetMillis));
  }

  // ------------------------------------------------------------------------------- thumbnails

  /** A candidate frame is too dark below this mean luma (of 255) … */
  static final double MIN_MEAN_LUMA = 28;

  /** … or too uniform below this luma standard deviation. */
  static final double MIN_LUMA_STDDEV = 8;

  private static final int PROBE_W = 32;
  private static final int PROBE_H = 18;

  @Override
  public List<Path> thumbnails(
      Path source, MediaInfo info, int count, Path image, Path outDir, TaskControl control)
      throws TaskFailedException {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    createDirectories(outDir);
    if (image != null) {
      if (!Files.isRegularFile(image)) {
        throw new TaskFailedException(FailureCode.MISSING_INPUT, "the thumbnail image is missing");
      }
      return writeThumbnail(
          List.of("-f", imageDemuxer(image), "-i", fileUrl(image)), 0, outDir, control);
    }
    Container container = ContainerSniffer.sniff(source);
    double duration = info.durationMillis() / 1000.0;
    int perPick = 3;
    int candidates = count * perPick;
    List<Path> written = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double bestTime = -1;
      double bestScore = -1;
      for (int j = 0; j < perPick; j++) {
        double time = duration * (i * perPick + j + 0.5) / candidates;
        double[] stats = lumaStats(source, container, time, control);
        if (stats == null) {
          continue;
        }
        boolean good = stats[0] >= MIN_MEAN_LUMA && stats[1] >= MIN_LUMA_STDDEV;
        double score = (good ? 1000 : 0) + stats[1];
        if (score > bestScore) {
          bestScore = score;
          bestTime = time;
        }
        if (good) {
          break;
        }
      }
      if (bestTime < 0) {
        throw new TaskFailedException(
            FailureCode.CORRUPT_INPUT, "no frame could be decoded for a thumbnail");
      }
      List<String> in = new ArrayList<>(List.of("-ss", seconds(bestTime)));
      in.addAll(input(container, source));
      written.addAll(writeThumbnail(in, i, outDir, control));
    }
    return written;
  }

  /** Mean and standard deviation of the luma of the frame at {@code time}, or null if none. */
  private double[] lumaStats(Path source, Container container, double time, TaskControl control)
      throws TaskFailedException {
    List<String> cmd = ffmpegCommand();
    cmd.addAll(List.of("-ss", seconds(time)));
    cmd.addAll(input(container, source));
    cmd.addAll(
        List.of(
            "-map",
            "0:v:0",
            "-frames:v",
            "1",
            "-vf",
            "scale=" + PROBE_W + ":" + PROBE_H + ",format=gray",
            "-f",
            "rawvideo",
            "-"));
    ProcessRunner.Result result =
        runner.run(
            cmd,
            ProcessRunner.Options.defaults()
                .withStdout(PROBE_W * PROBE_H)
                .withTimeout(PROBE_TIMEOUT),
            control);
    byte[] pixels = result.stdout();
    if (result.exitCode() != 0 || pixels.length < PROBE_W * PROBE_H) {
      return null;
    }
    double sum = 0;
    double sumSquares = 0;
    for (byte b : pixels) {
      int v = b & 0xff;
      sum += v;
      sumSquares += (double) v * v;
    }
    double mean = sum / pixels.length;
    return new double[] {mean, Math.sqrt(Math.max(0, sumSquares / pixels.length - mean * mean))};
  }

  /** One decode of one frame, scaled into every thumbnail box (aspect kept), as JPEG. */
  private List<Path> writeThumbnail(List<String> input, int i, Path outDir, TaskControl control)
      throws TaskFailedException {
    List<int[]> sizes = BlobLayout.THUMBNAIL_SIZES;
    List<String> cmd = ffmpegCommand();
    cmd.addAll(input);
    StringBuilder graph = new StringBuilder("[0:v:0]split=").append(sizes.size());
    for (int s = 0; s < sizes.size(); s++) {
      graph.append("[s").append(s).append("]");
    }
    List<Path> files = new ArrayList<>();
    for (int s = 0; s < sizes.size(); s++) {
      int[] box = sizes.get(s);
      graph
          .append(";[s")
          .append(s)
          .append("]scale=")
          .append(box[0])
          .append(':')
          .append(box[1])
          .append(":force_original_aspect_ratio=decrease:force_divisible_by=2:flags=lanczos,")
          .append("setsar=1,format=yuvj420p[o")
          .append(s)
          .append("]");
    }
    cmd.addAll(List.of("-filter_complex", graph.toString()));
    for (int s = 0; s < sizes.size(); s++) {
      Path file = outDir.resolve((s * 10 + i) + ".jpg");
      files.add(file);
      cmd.addAll(
          List.of(
              "-map",
              "[o" + s + "]",
              "-frames:v",
              "1",
              "-c:v",
              "mjpeg",
              "-q:v",
              "3",
              "-f",
              "mjpeg",
              fileUrl(file)));
    }
    ProcessRunner.Result result =
        runner.run(cmd, ProcessRunner.Options.defaults().withTimeout(PROBE_TIMEOUT), control);
    if (result.exitCode() != 0) {
      throw new TaskFailedException(
          FailureCode.ENCODER_FAILED, "thumbnail failed: " + result.lastErrorLine());
    }
    for (Path file : files) {
      if (size(file) == 0) {
        throw new TaskFailedException(FailureCode.ENCODER_FAILED, "thumbnail wrote nothing");
      }
    }
    return files;
  }

  private static String imageDemuxer(Path image) throws TaskFailedException {
    byte[] head = new byte[4];
    try (var in = Files.newInputStream(image)) {
      int n = in.readNBytes(head, 0, 4);
      if (n >= 4
          && (head[0] & 0xff) == 0x89
          && head[1] == 'P'
          && head[2] == 'N'
          && head[3] == 'G') {
        return "png_pipe";
      }
      if (n >= 3
          && (head[0] & 0xff) == 0xff
          && (head[1] & 0xff) == 0xd8
          && (head[2] & 0xff) == 0xff) {
        return "jpeg_pipe";
      }
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.MISSING_INPUT, "cannot read the image", e);
    }
    throw new TaskFailedException(
        FailureCode.UNSUPPORTED_CONTAINER, "the thumbnail image is neither PNG nor JPEG");
  }

  // ---------------------------------------------------------------------------------- segment

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
      throw new IllegalArgumentException("no encoded chunks");
    }
    createDirectories(outDir);
    Path work = createTempDirectory(outDir.toAbsolutePath().getParent());
    try {
      // Encoded chunks carry the source timeline, so their bytes in order are one MPEG-TS stream
      // (continuity counters restart at each chunk, which the demuxer tolerates).
      Path video = work.resolve("video.ts");
      try (OutputStream os = Files.newOutputStream(video)) {
        for (Path chunk : encodedChunks) {
          control.checkNotCancelled();
          Files.copy(chunk, os);
        }
      } catch (IOException e) {
        throw new TaskFailedException(FailureCode.MISSING_INPUT, "cannot read an encoded chunk", e);
      }
      JsonNode first =
          probeJson(
              encodedChunks.get(0),
              Container.MPEGTS,
              List.of("-select_streams", "v:0", "-show_entries", "stream=start_time"),
              control);
      double videoStart =
          zeroIfNaN(parseDouble(first.path("streams").path(0).path("start_time").asText("")));

      Path playlist = work.resolve("ffmpeg.m3u8");
      List<String> cmd = ffmpegCommand();
      cmd.add("-copyts");
      cmd.addAll(input(Container.MPEGTS, video));
      if (audio != null) {
        // ADTS has no timestamps: place its first frame on the video's timeline.
        cmd.addAll(
            List.of(
                "-itsoffset",
                seconds(videoStart + audioOffsetMillis / 1000.0),
                "-protocol_whitelist",
                "file",
                "-f",
                "aac",
                "-i",
                fileUrl(audio)));
      }
      cmd.addAll(List.of("-map", "0:v:0"));
      if (audio != null) {
        cmd.addAll(List.of("-map", "1:a:0"));
      }
      cmd.addAll(
          List.of(
              "-c",
              "copy",
              "-muxdelay",
              "0",
              "-muxpreload",
              "0",
              "-f",
              "hls",
              "-hls_time",
              Integer.toString(segmentSeconds),
              "-hls_playlist_type",
              "vod",
              "-hls_segment_type",
              "mpegts",
              "-hls_flags",
              "independent_segments",
              "-hls_segment_filename",
              outDir.toAbsolutePath() + "/%d.ts",
              playlist.toString()));
      ProcessRunner.Result result = runner.run(cmd, ProcessRunner.Options.defaults(), control);
      if (result.exitCode() != 0) {
        throw new TaskFailedException(
            FailureCode.ENCODER_FAILED, "segmenting failed: " + result.lastErrorLine());
      }
      List<Segment> segments = new ArrayList<>();
      long durationUs = -1;
      for (String line : readLines(playlist)) {
        if (line.startsWith("#EXTINF:")) {
          String value = line.substring("#EXTINF:".length()).split(",", 2)[0];
          durationUs = new BigDecimal(value.strip()).movePointRight(6).longValue();
        } else if (!line.isBlank() && !line.startsWith("#") && durationUs >= 0) {
          segments.add(new Segment(outDir.resolve(line.strip()), durationUs));
          durationUs = -1;
        }
      }
      if (segments.isEmpty()) {
        throw new TaskFailedException(FailureCode.ENCODER_FAILED, "segmenting wrote no segments");
      }
      return segments;
    } finally {
      deleteTree(work);
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  private List<String> ffmpegCommand() {
    return new ArrayList<>(List.of(ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y"));
  }

  private List<String> ffprobeCommand() {
    return new ArrayList<>(List.of(ffprobe, "-hide_banner", "-v", "error"));
  }

  /**
   * The hardened input side: only the file protocol, the demuxer named (no probing), bounded
   * probing of stream parameters, a {@code file:} URL (so no name is ever read as a protocol).
   */
  private static List<String> input(Container container, Path file) {
    List<String> args = new ArrayList<>(List.of("-protocol_whitelist", "file"));
    args.addAll(
        List.of(
            "-probesize",
            PROBE_SIZE,
            "-analyzeduration",
            ANALYZE_DURATION,
            "-max_streams",
            MAX_STREAMS));
    if (container != null) {
      args.addAll(List.of("-f", container.demuxer));
    }
    args.addAll(List.of("-i", fileUrl(file)));
    return args;
  }

  private JsonNode probeJson(Path file, Container container, List<String> what, TaskControl control)
      throws TaskFailedException {
    List<String> cmd = ffprobeCommand();
    cmd.addAll(what);
    cmd.addAll(List.of("-of", "json"));
    if (container == null) {
      // Only for files this backend wrote itself (ADTS audio).
      cmd.addAll(List.of("-protocol_whitelist", "file", "-f", "aac", "-i", fileUrl(file)));
    } else {
      cmd.addAll(input(container, file));
    }
    ProcessRunner.Result result =
        runner.run(
            cmd,
            ProcessRunner.Options.defaults()
                .withStdout(PROBE_JSON_LIMIT)
                .withTimeout(PROBE_TIMEOUT),
            control);
    if (result.stdoutOverflow()) {
      throw new TaskFailedException(
          FailureCode.CORRUPT_INPUT,
          "ffprobe's description of the file is over " + PROBE_JSON_LIMIT + " bytes");
    }
    if (result.exitCode() != 0) {
      throw new TaskFailedException(
          FailureCode.CORRUPT_INPUT, "cannot read the file: " + result.lastErrorLine());
    }
    try {
      return JSON.readTree(result.stdout());
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.CORRUPT_INPUT, "unreadable ffprobe output", e);
    }
  }

  static String fileUrl(Path file) {
    return "file:" + file.toAbsolutePath();
  }

  private static String seconds(double value) {
    return String.format(Locale.ROOT, "%.6f", value);
  }

  static double parseDouble(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static double zeroIfNaN(double value) {
    return Double.isNaN(value) ? 0 : value;
  }

  /** {@code "30000/1001"} or {@code "1:1"}; null when it is neither. */
  static int[] ratio(String text) {
    String[] parts = text.split("[/:]");
    if (parts.length != 2) {
      return null;
    }
    try {
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long size(Path file) throws TaskFailedException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.MISSING_INPUT, "the input is missing", e);
    }
  }

  private static List<String> readLines(Path file) throws TaskFailedException {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.ENCODER_FAILED, "ffmpeg wrote no list", e);
    }
  }

  private static void createDirectories(Path dir) throws TaskFailedException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "cannot create a work directory", e);
    }
  }

  private static Path createTempDirectory(Path parent) throws TaskFailedException {
    try {
      return Files.createTempDirectory(parent, ".work-");
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "cannot create a work directory", e);
    }
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("cannot delete {}", file, e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(FfmpegBackend::deleteIfExists);
    } catch (IOException e) {
      log.debug("cannot delete {}", dir, e);
    }
  }
}
