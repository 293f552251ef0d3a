package org.reelbox.encoder.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.reelbox.common.work.AudioInput;
import org.reelbox.common.work.InputLimits;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.common.work.SplitOutput;

/**
 * What a worker runs tasks with: the ffmpeg backend (an external, hardened process; libx264 or a
 * hardware encoder) or the pure-Java jcodec backend. A backend transforms local files only: the
 * worker's task runner downloads inputs from the blob store, calls the backend, uploads what it
 * wrote, and reports; a backend knows nothing of blob stores, leases or HTTP.
 *
 * <p>Every method either returns or throws {@link TaskFailedException} with a {@code FailureCode};
 * any other exception is reported as {@code INTERNAL}. Every method checks {@link
 * TaskControl#checkNotCancelled()} between steps and honours {@link TaskControl#deadline()}.
 *
 * <p>Output formats are the work protocol's ({@code BlobLayout}): chunks and encoded chunks are
 * MPEG-TS holding one H.264 stream on the source timeline, audio is ADTS AAC-LC, thumbnails JPEG.
 */
public interface EncoderBackend {

  /** {@code WorkerInfo.FFMPEG} or {@code WorkerInfo.JCODEC}. */
  String name();

  /** Hardware H.264 encoders that passed a trial encode; empty for a CPU-only node. */
  List<String> hardwareEncoders();

  /** Describes the source, or fails with a non-recoverable code when it cannot be processed. */
  MediaInfo inspect(Path source, InputLimits limits, TaskControl control)
      throws TaskFailedException;

  /**
   * Cuts the source's first video stream at keyframes into chunks of about {@code chunkSeconds}, by
   * stream copy, writing {@code outDir/c0000.ts}, {@code c0001.ts}, …
   *
   * @return the chunks in order; {@link SplitOutput.Chunk#key()} is the file name ({@code
   *     c0000.ts}), which the runner turns into a blob key
   */
  List<SplitOutput.Chunk> split(
      Path source, MediaInfo info, int chunkSeconds, Path outDir, TaskControl control)
      throws TaskFailedException;

  /**
   * Encodes one chunk into one rendition at {@code out}, with keyframes forced at the chunk start
   * and at every multiple of {@code keyframeSeconds} on the source timeline.
   *
   * @param filters fused per-frame filters, with their images already local
   */
  EncodedChunk encode(
      Path chunk,
      SplitOutput.Chunk chunkInfo,
      RenditionSpec rendition,
      String preset,
      int keyframeSeconds,
      List<LocalFilter> filters,
      Path out,
      TaskControl control)
      throws TaskFailedException;

  /**
   * Encodes one chunk into several renditions, output {@code i} of {@code renditions.get(i)} at
   * {@code outs.get(i)}, each exactly as {@link #encode} would write it alone (same keyframes), so
   * a fused group and its tasks run one by one are interchangeable. A backend that can decode once
   * for all of them overrides this and {@link #fuseLimit()}; the default encodes them in turn.
   *
   * @return what each encode produced, in rendition order
   */
  default List<EncodedChunk> encodeAll(
      Path chunk,
      SplitOutput.Chunk chunkInfo,
      List<RenditionSpec> renditions,
      String preset,
      int keyframeSeconds,
      List<LocalFilter> filters,
      List<Path> outs,
      TaskControl control)
      throws TaskFailedException {
    if (renditions.size() != outs.size()) {
      throw new IllegalArgumentException("one output per rendition");
    }
    List<EncodedChunk> encoded = new java.util.ArrayList<>(renditions.size());
    for (int i = 0; i < renditions.size(); i++) {
      control.checkNotCancelled();
      encoded.add(
          encode(
              chunk,
              chunkInfo,
              renditions.get(i),
              preset,
              keyframeSeconds,
              filters,
              outs.get(i),
              control));
    }
    return encoded;
  }

  /**
   * How many encodes of one chunk this backend runs as one ({@link #encodeAll}) to advantage: the
   * worker's claims ask for fused groups up to this size. 1 (the default): no gain, claim singly.
   */
  default int fuseLimit() {
    return 1;
  }

  /**
   * The source's first audio track, whole, to ADTS AAC-LC at {@code out}.
   *
   * @return empty when the source has no audio track
   */
  Optional<AudioResult> audio(
      Path source, MediaInfo info, AudioInput spec, Path out, TaskControl control)
      throws TaskFailedException;

  /**
   * Writes thumbnails into {@code outDir} as {@code {size*10+i}.jpg} for every size of {@code
   * BlobLayout.THUMBNAIL_SIZES}: {@code count} frames picked over the video (not black ones), or
   * the creator's {@code image} (then as {@code i = 0} only).
   *
   * @return the files written
   */
  List<Path> thumbnails(
      Path source, MediaInfo info, int count, Path image, Path outDir, TaskControl control)
      throws TaskFailedException;

  /**
   * Cuts one rendition into HLS segments: the encoded chunks (concatenated in order, one timeline)
   * with the audio muxed in, at keyframes, each segment about {@code segmentSeconds} long (a
   * segment ends at the first keyframe at or after its target end). Writes {@code outDir/0.ts},
   * {@code 1.ts}, … as self-contained MPEG-TS (PAT/PMT first, a keyframe first). Playlists are not
   * the backend's job: the packager writes them from what this returns.
   *
   * @param audio the ADTS audio, or {@code null} for video-only segments
   * @param audioOffsetMillis {@link AudioResult#startOffsetMillis()} of that audio
   * @return the segments in order
   */
  List<Segment> segment(
      List<Path> encodedChunks,
      Path audio,
      long audioOffsetMillis,
      int segmentSeconds,
      Path outDir,
      TaskControl control)
      throws TaskFailedException;

  /** One HLS segment written by {@link #segment}: its file and exact duration. */
  record Segment(Path file, long durationUs) {}

  /** What an encode produced. */
  record EncodedChunk(int frames, long durationMillis, String encoder) {}

  /** What the audio step produced. */
  record AudioResult(long durationMillis, long startOffsetMillis) {}

  /** A fused filter with its inputs made local: for watermark, {@code image} is a local PNG. */
  record LocalFilter(String type, Path image, String position, int marginPx) {}
}
