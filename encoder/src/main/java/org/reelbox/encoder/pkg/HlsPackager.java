package org.reelbox.encoder.pkg;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.PackageInput;
import org.reelbox.common.work.PackageOutput;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.encoder.backend.EncoderBackend;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;
import org.reelbox.encoder.worker.Packager;
import org.reelbox.media.crypto.HlsAes128;
import org.reelbox.media.hls.Codecs;
import org.reelbox.media.hls.EncryptionKey;
import org.reelbox.media.hls.IFrameVariant;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistWriter;
import org.reelbox.media.hls.Resolution;
import org.reelbox.media.hls.Variant;
import org.reelbox.media.ts.TsFormatException;
import org.reelbox.media.ts.TsPlaylists;
import org.reelbox.media.ts.TsScan;
import org.reelbox.media.ts.TsScanner;

/**
 * The package task, for any backend: each rendition's encoded chunks and the audio become HLS
 * segments ({@link EncoderBackend#segment}); the media module scans them ({@link TsScanner}) and
 * this class writes the playlists ({@link TsPlaylists}, {@link PlaylistWriter}).
 *
 * <p>Written under {@code hlsDir}, which mirrors {@code hls/{videoId}/}: {@code master.m3u8}, and
 * per rendition {@code NAME/index.m3u8}, {@code NAME/iframes.m3u8} and {@code NAME/{seq}.ts}.
 *
 * <ul>
 *   <li>Durations and bit rates come from the scan, not from the backend: segment {@code i} lasts
 *       from its first video PTS to segment {@code i + 1}'s, so {@code EXTINF}s add up exactly, and
 *       the media and I-frame playlists share one timeline.
 *   <li>{@code BANDWIDTH} is the peak segment bit rate (audio included, it is muxed in), {@code
 *       AVERAGE-BANDWIDTH} all bytes over the duration, both of the clear segments.
 *   <li>{@code CODECS}: {@code avc1.PPCCLL} from the SPS in the segments ({@link SpsCodec}), plus
 *       {@code mp4a.40.2} when there is audio.
 *   <li>AES-128: one random key per video, written to {@code keyDir/0.key} (the runner uploads it
 *       to {@link BlobLayout#keyKey}), or the key already in {@code keyDir/0.key} (the runner puts
 *       the published one there, so an early and a final package use the same key); every segment
 *       is encrypted whole, AES-128-CBC with PKCS7, its IV its media sequence number (RFC 8216
 *       §5.2), and {@code EXT-X-KEY} points at {@link BlobLayout#keyUri}. No I-frame playlist is
 *       written then: its byte ranges would point into the middle of CBC ciphertext, which does not
 *       decrypt on its own.
 * </ul>
 */
public final class HlsPackager implements Packager {
  private static final int KEY_INDEX = 0;

  private final EncoderBackend backend;
  private final SecureRandom random;

  public HlsPackager(EncoderBackend backend, SecureRandom random) {
    this.backend = requireNonNull(backend, "backend");
    this.random = requireNonNull(random, "random");
  }

  /**
   * Packages a video; see {@link Packager#pack}.
   *
   * @param chunks the local encoded chunks of each rendition, in the order of {@code
   *     input.renditions()}
   * @param audio the local ADTS audio, or {@code null} when {@code input.audio().key()} is null
   * @param hlsDir where {@code hls/{videoId}/} is mirrored
   * @param keyDir where {@code keys/{videoId}/} is mirrored (written only with AES-128)
   */
  @Override
  public PackageOutput pack(
      PackageInput input,
      List<List<Path>> chunks,
      Path audio,
      Path hlsDir,
      Path keyDir,
      TaskControl control)
      throws TaskFailedException {
    requireNonNull(input, "input");
    requireNonNull(chunks, "chunks");
    if (input.renditions().isEmpty()) {
      throw new IllegalArgumentException("nothing to package: no renditions");
    }
    if (chunks.size() != input.renditions().size()) {
      throw new IllegalArgumentException(
          "chunks for " + chunks.size() + " renditions, input has " + input.renditions().size());
    }
    boolean encrypt = PackageInput.AES_128.equals(input.encryption());
    if (!encrypt && !PackageInput.NONE.equals(input.encryption())) {
      throw new IllegalArgumentException("unknown encryption: " + input.encryption());
    }
    boolean hasAudio = input.audio().key() != null;
    if (hasAudio != (audio != null)) {
      throw new IllegalArgumentException("audio file and input.audio().key() disagree");
    }
    byte[] key = null;
    EncryptionKey keyTag = null;
    try {
      Files.createDirectories(hlsDir);
      if (encrypt) {
        Files.createDirectories(keyDir);
        Path keyFile = keyDir.resolve(KEY_INDEX + ".key");
        // A key already there is the one an early package published under: segments already
        // served must stay byte for byte the same, and with the same key and IVs (the media
        // sequence numbers) they do. Anything but a 16-byte key is replaced by a fresh one.
        key = Files.isRegularFile(keyFile) ? Files.readAllBytes(keyFile) : null;
        if (key == null || key.length != 16) {
          key = HlsAes128.generateKey(random);
          Files.write(keyFile, key);
        }
        keyTag = EncryptionKey.aes128(BlobLayout.keyUri(KEY_INDEX));
      }
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "cannot write the output", e);
    }

    List<Variant> variants = new ArrayList<>();
    List<IFrameVariant> iFrameVariants = new ArrayList<>();
    List<PackageOutput.PackagedRendition> packaged = new ArrayList<>();
    long durationMillis = -1;
    for (int r = 0; r < input.renditions().size(); r++) {
      control.checkNotCancelled();
      RenditionSpec spec = input.renditions().get(r).rendition();
      Path dir = hlsDir.resolve(spec.name());
      List<EncoderBackend.Segment> segments =
          backend.segment(
              chunks.get(r),
              audio,
              hasAudio ? input.audio().startOffsetMillis() : 0,
              input.segmentSeconds(),
              dir,
              control);

      List<TsPlaylists.ScannedSegment> scanned = new ArrayList<>();
      for (EncoderBackend.Segment segment : segments) {
        control.checkNotCancelled();
        scanned.add(
            new TsPlaylists.ScannedSegment(
                segment.file().getFileName().toString(), scan(segment.file())));
      }
      MediaPlaylist media = TsPlaylists.mediaPlaylist(scanned).encryptionKey(keyTag).build();
      TsPlaylists.Bandwidth bandwidth = TsPlaylists.bandwidth(scanned);
      if (durationMillis < 0) {
        durationMillis = media.durationUs() / 1000;
      }
      // What the segments hold, which is not always what the rung asked for (jcodec writes
      // Constrained Baseline); the rung's profile only when no SPS is found.
      String videoCodec = videoCodec(segments).orElseGet(() -> avc1(spec));
      List<String> codecs = hasAudio ? List.of(videoCodec, Codecs.AAC_LC) : List.of(videoCodec);
      String prefix = spec.name() + "/";

      if (!encrypt) {
        MediaPlaylist iFrames = TsPlaylists.iFramePlaylist(scanned).build();
        TsPlaylists.Bandwidth iFrameBandwidth = TsPlaylists.iFrameBandwidth(iFrames);
        write(dir.resolve("iframes.m3u8"), PlaylistWriter.write(iFrames));
        iFrameVariants.add(
            new IFrameVariant(
                prefix + "iframes.m3u8",
                Math.max(1, iFrameBandwidth.peakBps()),
                OptionalLong.of(Math.max(1, iFrameBandwidth.averageBps())),
                List.of(videoCodec),
                Optional.of(new Resolution(spec.width(), spec.height()))));
      } else {
        for (int seq = 0; seq < segments.size(); seq++) {
          encryptInPlace(segments.get(seq).file(), key, keyTag.ivForSegment(seq));
        }
      }
      write(dir.resolve("index.m3u8"), PlaylistWriter.write(media));

      long peakBps = Math.max(1, bandwidth.peakBps());
      long averageBps = Math.max(1, bandwidth.averageBps());
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
    // Version 4 for the I-frame variants' playlists (they use byte ranges); nothing in the master
    // itself needs more than 1 (RFC 8216 §7).
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
   * writes: Baseline sets constraint_set0 and 1 ({@code 0xc0}), Main constraint_set1 ({@code
   * 0x40}), High none.
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

  /** The {@code avc1} string of the SPSs in the segments' keyframes. */
  private static Optional<String> videoCodec(List<EncoderBackend.Segment> segments)
      throws TaskFailedException {
    SpsCodec codec = new SpsCodec();
    for (EncoderBackend.Segment segment : segments) {
      try (InputStream in = Files.newInputStream(segment.file())) {
        TsScanner.demux(
            in,
            sample -> {
              if (sample.accessUnit().keyframe()) {
                codec.accept(sample.annexB());
              }
            });
      } catch (TsFormatException e) {
        throw new TaskFailedException(
            FailureCode.ENCODER_FAILED,
            "segment " + segment.file().getFileName() + " is not valid MPEG-TS: " + e.getMessage(),
            e);
      } catch (IOException e) {
        throw new TaskFailedException(FailureCode.ENCODER_FAILED, "a segment is missing", e);
      }
    }
    return codec.codec();
  }

  private static TsScan scan(Path segment) throws TaskFailedException {
    try (InputStream in = Files.newInputStream(segment)) {
      TsScan scan = TsScanner.scan(in);
      if (scan.firstVideoPts90k().isEmpty() || scan.keyframeCount() == 0) {
        throw new TaskFailedException(
            FailureCode.ENCODER_FAILED, "segment " + segment.getFileName() + " has no keyframe");
      }
      return scan;
    } catch (TsFormatException e) {
      throw new TaskFailedException(
          FailureCode.ENCODER_FAILED,
          "segment " + segment.getFileName() + " is not valid MPEG-TS: " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.ENCODER_FAILED, "a segment is missing", e);
    }
  }

  private static void encryptInPlace(Path file, byte[] key, byte[] iv) throws TaskFailedException {
    Path tmp = file.resolveSibling(file.getFileName() + ".enc");
    try {
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = Files.newOutputStream(tmp)) {
        HlsAes128.encrypt(in, out, key, iv);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "cannot encrypt a segment", e);
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
