package org.reelbox.encoder.pkg;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.PackageInput;
import org.reelbox.common.work.PackageOutput;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.encoder.backend.EncoderBackend;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;
import org.reelbox.media.hls.ByteRange;
import org.reelbox.media.hls.Codecs;
import org.reelbox.media.hls.EncryptionKey;
import org.reelbox.media.hls.IFrameVariant;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistWriter;
import org.reelbox.media.hls.Resolution;
import org.reelbox.media.hls.Segment;
import org.reelbox.media.hls.Variant;

/**
 * The package task, for any backend: each rendition's encoded chunks and the audio become HLS
 * segments ({@link EncoderBackend#segment}), then this class writes the playlists with the media
 * module's {@link PlaylistWriter}.
 *
 * <p>Written under {@code hlsDir}, which mirrors {@code hls/{videoId}/}: {@code master.m3u8}, and
 * per rendition {@code NAME/index.m3u8}, {@code NAME/iframes.m3u8} and {@code NAME/{seq}.ts}. With
 * AES-128, the key is written to {@code keysDir/0.key} (the runner uploads it to {@link
 * BlobLayout#keyKey}), every segment is encrypted with the IV of its media sequence number, and no
 * I-frame playlist is written: its byte ranges would point into CBC ciphertext, which cannot be
 * decrypted from the middle.
 */
public final class HlsPackager {
  private static final long US_PER_SECOND = 1_000_000L;
  private static final int KEY_INDEX = 0;

  private final EncoderBackend backend;
  private final KeyframeIndex keyframeIndex;
  private final SecureRandom random;

  public HlsPackager(EncoderBackend backend, KeyframeIndex keyframeIndex, SecureRandom random) {
    this.backend = requireNonNull(backend, "backend");
    this.keyframeIndex = requireNonNull(keyframeIndex, "keyframeIndex");
    this.random = requireNonNull(random, "random");
  }

  /**
   * Packages a video.
   *
   * @param localFile the local copy of a blob key the input names (encoded chunks, audio)
   * @param hlsDir where {@code hls/{videoId}/} is mirrored
   * @param keysDir where {@code keys/{videoId}/} is mirrored (used only with AES-128)
   */
  public PackageOutput pack(
      PackageInput input,
      Function<String, Path> localFile,
      Path hlsDir,
      Path keysDir,
      TaskControl control)
      throws TaskFailedException {
    requireNonNull(input, "input");
    if (input.renditions().isEmpty()) {
      throw new IllegalArgumentException("nothing to package: no renditions");
    }
    boolean encrypt = PackageInput.AES_128.equals(input.encryption());
    if (!encrypt && !PackageInput.NONE.equals(input.encryption())) {
      throw new IllegalArgumentException("unknown encryption: " + input.encryption());
    }
    boolean hasAudio = input.audio().key() != null;
    Path audio = hasAudio ? localFile.apply(input.audio().key()) : null;
    byte[] key = null;
    EncryptionKey keyTag = null;
    try {
      Files.createDirectories(hlsDir);
      if (encrypt) {
        key = new byte[SegmentCipher.KEY_BYTES];
        random.nextBytes(key);
        Files.createDirectories(keysDir);
        Files.write(keysDir.resolve(KEY_INDEX + ".key"), key);
        keyTag = EncryptionKey.aes128(BlobLayout.keyUri(KEY_INDEX));
      }
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "cannot write the output", e);
    }

    List<Variant> variants = new ArrayList<>();
    List<IFrameVariant> iFrameVariants = new ArrayList<>();
    List<PackageOutput.PackagedRendition> packaged = new ArrayList<>();
    long durationMillis = 0;
    for (PackageInput.PackageRendition pr : input.renditions()) {
      control.checkNotCancelled();
      RenditionSpec spec = pr.rendition();
      Path dir = hlsDir.resolve(spec.name());
      List<Path> chunks = new ArrayList<>();
      pr.chunks().forEach(chunk -> chunks.add(localFile.apply(chunk.key())));
      List<EncoderBackend.Segment> segments =
          backend.segment(
              chunks,
              audio,
              hasAudio ? input.audio().startOffsetMillis() : 0,
              input.segmentSeconds(),
              dir,
              control);

      // Bandwidth from the segments as written (audio included), before encryption pads them.
      long peakBps = 0;
      long totalBytes = 0;
      long totalUs = 0;
      for (EncoderBackend.Segment segment : segments) {
        long bytes = size(segment.file());
        totalBytes += bytes;
        totalUs += segment.durationUs();
        if (segment.durationUs() > 0) {
          peakBps = Math.max(peakBps, bitsPerSecond(bytes, segment.durationUs()));
        }
      }
      long averageBps = Math.max(1, bitsPerSecond(totalBytes, Math.max(1, totalUs)));
      peakBps = Math.max(peakBps, averageBps);
      if (durationMillis == 0) {
        durationMillis = totalUs / 1000;
      }

      String videoCodec = avc1(spec);
      List<String> codecs = hasAudio ? List.of(videoCodec, Codecs.AAC_LC) : List.of(videoCodec);
      String prefix = spec.name() + "/";

      IFrames iFrames = encrypt ? null : iFrames(segments, control);

      MediaPlaylist.Builder media =
          MediaPlaylist.builder().independentSegments(true).encryptionKey(keyTag);
      for (int seq = 0; seq < segments.size(); seq++) {
        EncoderBackend.Segment segment = segments.get(seq);
        media.addSegment(Segment.of(segment.file().getFileName().toString(), segment.durationUs()));
        if (encrypt) {
          try {
            SegmentCipher.encryptInPlace(segment.file(), key, keyTag.ivForSegment(seq));
          } catch (IOException | GeneralSecurityException e) {
            throw new TaskFailedException(FailureCode.INTERNAL, "cannot encrypt a segment", e);
          }
        }
      }
      write(dir.resolve("index.m3u8"), PlaylistWriter.write(media.build()));

      if (iFrames != null && !iFrames.segments.isEmpty()) {
        MediaPlaylist iFramePlaylist =
            MediaPlaylist.builder()
                .independentSegments(true)
                .iFramesOnly(true)
                .segments(iFrames.segments)
                .build();
        write(dir.resolve("iframes.m3u8"), PlaylistWriter.write(iFramePlaylist));
        iFrameVariants.add(
            new IFrameVariant(
                prefix + "iframes.m3u8",
                iFrames.peakBps,
                OptionalLong.of(iFrames.averageBps),
                List.of(videoCodec),
                Optional.of(new Resolution(spec.width(), spec.height()))));
      }

      variants.add(
          Variant.builder(prefix + "index.m3u8", peakBps)
              .averageBandwidthBps(averageBps)
              .codecs(codecs)
              .resolution(spec.width(), spec.height())
              .frameRate((double) spec.frameRateNum() / spec.frameRateDen())
              .build());
      packaged.add(
          new PackageOutput.PackagedRendition(
              spec.name(),
              BlobLayout.mediaPlaylistKey(input.videoId(), spec.name()),
              segments.size(),
              peakBps,
              averageBps,
              Codecs.join(codecs)));
    }
    MasterPlaylist master =
        new MasterPlaylist(
            iFrameVariants.isEmpty() ? 3 : 4,
            /* independentSegments= */ true,
            List.of(),
            variants,
            iFrameVariants);
    write(hlsDir.resolve("master.m3u8"), PlaylistWriter.write(master));
    return new PackageOutput(
        BlobLayout.masterKey(input.videoId()), durationMillis, packaged, encrypt);
  }

  /**
   * {@code avc1.PPCCLL} from the rendition's profile and level, with the constraint flags libx264
   * writes: Baseline sets constraint_set0 and 1 (0xc0), Main constraint_set1 (0x40), High none.
   */
  static String avc1(RenditionSpec spec) {
    int profileIdc;
    int constraints;
    switch (spec.profile().toLowerCase(Locale.ROOT)) {
      case "baseline":
        profileIdc = Codecs.PROFILE_BASELINE;
        constraints = 0xc0;
        break;
      case "main":
        profileIdc = Codecs.PROFILE_MAIN;
        constraints = 0x40;
        break;
      case "high":
        profileIdc = Codecs.PROFILE_HIGH;
        constraints = 0;
        break;
      default:
        throw new IllegalArgumentException("unknown H.264 profile: " + spec.profile());
    }
    int levelIdc = (int) Math.round(Double.parseDouble(spec.level()) * 10);
    return Codecs.avc1(profileIdc, constraints, levelIdc);
  }

  private static final class IFrames {
    final List<Segment> segments = new ArrayList<>();
    long peakBps;
    long averageBps;
  }

  /**
   * The I-frame playlist's entries: each keyframe as a byte range of its segment, lasting until the
   * next keyframe (the last until the end of the stream).
   */
  private IFrames iFrames(List<EncoderBackend.Segment> segments, TaskControl control)
      throws TaskFailedException {
    record Found(String uri, KeyframeIndex.Keyframe keyframe) {}
    List<Found> found = new ArrayList<>();
    long endUs = Long.MIN_VALUE;
    long segmentStartUs = Long.MIN_VALUE;
    for (EncoderBackend.Segment segment : segments) {
      List<KeyframeIndex.Keyframe> keyframes = keyframeIndex.keyframes(segment.file(), control);
      if (!keyframes.isEmpty() && segmentStartUs == Long.MIN_VALUE) {
        segmentStartUs = keyframes.get(0).ptsUs();
        endUs = segmentStartUs;
      }
      for (KeyframeIndex.Keyframe keyframe : keyframes) {
        found.add(new Found(segment.file().getFileName().toString(), keyframe));
      }
      endUs += segment.durationUs();
    }
    IFrames result = new IFrames();
    long totalBytes = 0;
    long totalUs = 0;
    for (int i = 0; i < found.size(); i++) {
      KeyframeIndex.Keyframe keyframe = found.get(i).keyframe();
      long nextUs = i + 1 < found.size() ? found.get(i + 1).keyframe().ptsUs() : endUs;
      long durationUs = Math.max(0, nextUs - keyframe.ptsUs());
      result.segments.add(
          Segment.of(found.get(i).uri(), durationUs)
              .withByteRange(new ByteRange(keyframe.lengthBytes(), keyframe.offsetBytes())));
      totalBytes += keyframe.lengthBytes();
      totalUs += durationUs;
      if (durationUs > 0) {
        result.peakBps =
            Math.max(result.peakBps, bitsPerSecond(keyframe.lengthBytes(), durationUs));
      }
    }
    result.averageBps = Math.max(1, bitsPerSecond(totalBytes, Math.max(1, totalUs)));
    result.peakBps = Math.max(result.peakBps, result.averageBps);
    return result;
  }

  private static long bitsPerSecond(long bytes, long durationUs) {
    return (long) Math.ceil(bytes * 8.0 * US_PER_SECOND / durationUs);
  }

  private static long size(Path file) throws TaskFailedException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.ENCODER_FAILED, "a segment is missing", e);
    }
  }

  private static void write(Path file, String text) throws TaskFailedException {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "cannot write " + file.getFileName(), e);
    }
  }
}
