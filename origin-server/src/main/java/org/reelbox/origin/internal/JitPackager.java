package org.reelbox.origin.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.playback.ObjectKind;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.common.storage.BlobInfo;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.storage.FileBlobStore;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistType;
import org.reelbox.media.hls.PlaylistWriter;
import org.reelbox.media.hls.Variant;
import org.reelbox.media.mp4.Mp4FormatException;
import org.reelbox.media.mp4.Mp4Movie;
import org.reelbox.media.mp4.Mp4SampleReader;
import org.reelbox.media.mp4.Mp4SegmentPlan;
import org.reelbox.media.mp4.Mp4ToTs;
import org.reelbox.media.mp4.Mp4UnsupportedException;
import org.reelbox.media.mp4.SampleTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Just-in-time HLS for the long tail: while a video has no transcoded HLS, and its original is
 * H.264/AAC in MP4, serves it as a single-rendition HLS ({@value PlaybackPath#JIT_RENDITION})
 * remuxed from the original on request, without re-encoding (docs/streaming.md, "Just in time").
 *
 * <ul>
 *   <li>{@code master.m3u8} (asked here only when none is in storage): offered while the control
 *       plane says the video is UPLOADED or PROCESSING and not playable;
 *   <li>{@code src/index.m3u8} and {@code src/{n}.ts}: served while the original is usable
 *       (UPLOADED, PROCESSING, READY), so a viewer who started on the JIT master plays to the end
 *       even if the transcoded HLS is published meanwhile.
 * </ul>
 *
 * The parsed original ({@link Mp4Movie}, its segment plan and both playlists) is kept in a Caffeine
 * cache weighed by sample count; an original that cannot be remuxed is remembered too, with its
 * reason, so it is parsed once. A segment is remuxed into memory (its samples, read in a few ranged
 * reads, and its TS), at most {@code maxConcurrentRemuxes} at once. All methods block: storage
 * executor only.
 */
public final class JitPackager {
  private static final Logger log = LoggerFactory.getLogger(JitPackager.class);

  private final BlobStore blobs;
  private final VideoStates states;
  private final long segmentUs;
  private final Semaphore remuxes;
  private final String playlistCacheControl;
  private final Cache<String, Indexed> index;
  private final Timer remuxTimer;
  private final MeterRegistry registry;

  /**
   * @param segmentSeconds target segment duration
   * @param indexCacheSamples the most samples of parsed originals kept
   * @param maxConcurrentRemuxes segments remuxed at once
   * @param playlistMaxAgeSeconds {@code max-age} of JIT playlists
   * @param registry gets {@code origin.jit.remux} (a timer: count and seconds of segment remuxes)
   *     and {@code origin.jit.index} (originals parsed, tag {@code outcome}: {@code indexed} or
   *     {@code refused})
   */
  public JitPackager(
      BlobStore blobs,
      VideoStates states,
      int segmentSeconds,
      long indexCacheSamples,
      int maxConcurrentRemuxes,
      int playlistMaxAgeSeconds,
      MeterRegistry registry) {
    this.blobs = requireNonNull(blobs, "blobs");
    this.states = requireNonNull(states, "states");
    this.segmentUs = segmentSeconds * 1_000_000L;
    this.remuxes = new Semaphore(maxConcurrentRemuxes);
    this.playlistCacheControl = "public, max-age=" + playlistMaxAgeSeconds;
    this.index =
        Caffeine.newBuilder()
            .maximumWeight(indexCacheSamples)
            .weigher((String k, Indexed v) -> v.weight())
            .expireAfterAccess(Duration.ofMinutes(30))
            .build();
    this.registry = requireNonNull(registry, "registry");
    this.remuxTimer =
        Timer.builder("origin.jit.remux")
            .description("Just-in-time segments remuxed from originals, and how long each took")
            .register(registry);
  }

  /** Whether the path can only be answered here: the JIT rendition's playlist and segments. */
  static boolean isJitPath(PlaybackPath path) {
    return PlaybackPath.JIT_RENDITION.equals(path.rendition());
  }

  /** An answer: the object and its {@code Cache-Control}. */
  record Answer(StoredObject object, String cacheControl) {}

  /**
   * The JIT object for {@code path}: a master playlist (when storage has none), or a {@code src}
   * playlist or segment.
   *
   * @return empty when there is no such object (404 {@code NOT_FOUND})
   * @throws ApiException {@code NOT_READY} (404) when the video exists but has nothing to play,
   *     with the reason; {@code UNAVAILABLE} (503) when the control plane cannot be asked
   */
  Optional<Answer> open(PlaybackPath path) throws IOException {
    boolean master = path.kind() == ObjectKind.MASTER_PLAYLIST;
    if (!master
        && !(isJitPath(path)
            && (path.kind() == ObjectKind.MEDIA_PLAYLIST || path.kind() == ObjectKind.SEGMENT))) {
      return Optional.empty();
    }
    String videoId = path.videoId();
    Optional<VideoStates.VideoState> found;
    try {
      found = states.find(videoId);
    } catch (IOException e) {
      log.warn("cannot look video {} up at the control plane: {}", videoId, e.toString());
      throw new ApiException(
          ErrorCode.UNAVAILABLE, "the video's state cannot be looked up; try again shortly");
    }
    if (found.isEmpty()) {
      return Optional.empty();
    }
    VideoStates.VideoState state = found.get();
    if (master ? !state.offersJitMaster() : !state.originalUsable()) {
      return switch (state.state()) {
        case "UPLOADING" -> throw notReady("the upload is not complete yet");
        case "FAILED" -> throw notReady("the video failed processing and has nothing to play");
        default -> Optional.empty(); // transcoded: its own master is (or was) in storage
      };
    }
    Indexed indexed = indexed(videoId);
    if (indexed == null) {
      return Optional.empty(); // no original
    }
    if (indexed.refusal != null) {
      throw notReady(
          "the video is not transcoded yet and its original cannot be played as it is: "
              + indexed.refusal);
    }
    return switch (path.kind()) {
      case MASTER_PLAYLIST -> Optional.of(playlist(indexed, indexed.master));
      case MEDIA_PLAYLIST -> Optional.of(playlist(indexed, indexed.media));
      case SEGMENT -> segment(indexed, path.number());
      default -> Optional.empty();
    };
  }

  private static ApiException notReady(String message) {
    return new ApiException(ErrorCode.NOT_READY, message);
  }

  private Answer playlist(Indexed indexed, byte[] bytes) {
    BlobInfo info =
        new BlobInfo(indexed.original.key(), bytes.length, indexed.original.lastModified());
    return new Answer(StoredObject.inMemory(info, bytes), playlistCacheControl);
  }

  private Optional<Answer> segment(Indexed indexed, int n) throws IOException {
    Mp4SegmentPlan plan = indexed.plan;
    if (n >= plan.segmentCount()) {
      return Optional.empty();
    }
    try {
      remuxes.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorCode.UNAVAILABLE, "shutting down");
    }
    byte[] ts;
    long started = System.nanoTime();
    try (SampleSource source = SampleSource.open(blobs, indexed.original)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.min(plan.sampleBytes(n) * 11 / 10 + 4096, 1 << 26));
      Mp4ToTs.writeSegment(plan, n, source, out);
      ts = out.toByteArray();
    } catch (Mp4FormatException e) {
      // Tables that passed the reader but a sample that does not parse (a NAL length past its
      // sample): the original is broken in its mdat.
      log.warn("remuxing {} segment {} failed: {}", indexed.original.key(), n, e.getMessage());
      throw notReady("the original is damaged at byte " + e.offsetBytes() + ": " + e.reason());
    } finally {
      remuxes.release();
      remuxTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
    // Immutable: "src" is reserved, so this URL names these bytes for as long as the original
    // exists (docs/streaming.md).
    BlobInfo info =
        new BlobInfo(indexed.original.key(), ts.length, indexed.original.lastModified());
    return Optional.of(new Answer(StoredObject.inMemory(info, ts), OriginService.IMMUTABLE));
  }

  /** The cached index of the video's original, or null when there is no original. */
  private Indexed indexed(String videoId) throws IOException {
    Indexed cached = index.getIfPresent(videoId);
    if (cached != null) {
      return cached;
    }
    try {
      // One load per video at a time: concurrent first requests wait for it.
      return index.get(
          videoId,
          id -> {
            try {
              return load(id);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Parses the original; a refusal is kept (weight 1), a missing original is not. */
  private Indexed load(String videoId) throws IOException {
    String key = BlobLayout.sourceKey(videoId);
    Optional<BlobInfo> original = blobs.stat(key);
    if (original.isEmpty()) {
      return null; // Caffeine keeps nothing for null
    }
    BlobInfo info = original.get();
    long started = System.nanoTime();
    Mp4Movie movie;
    try (SeekableByteChannel ch = channel(info)) {
      movie = Mp4SampleReader.read(ch);
    } catch (Mp4FormatException e) {
      countIndex("refused");
      return Indexed.refused(info, "it is not a readable MP4 (" + e.getMessage() + ")");
    } catch (Mp4UnsupportedException e) {
      countIndex("refused");
      return Indexed.refused(info, e.getMessage());
    }
    countIndex("indexed");
    Mp4SegmentPlan plan = Mp4SegmentPlan.of(movie, segmentUs);
    log.info(
        "indexed {} for just-in-time HLS: {} samples, {} segments, {} ms",
        key,
        movie.sampleCount(),
        plan.segmentCount(),
        (System.nanoTime() - started) / 1_000_000);
    return new Indexed(info, plan, null, masterPlaylist(plan), mediaPlaylist(plan));
  }

  private void countIndex(String outcome) {
    Counter.builder("origin.jit.index")
        .description("Originals parsed for just-in-time HLS, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private SeekableByteChannel channel(BlobInfo info) throws IOException {
    if (blobs instanceof FileBlobStore files) {
      Optional<Path> path = files.localPath(info.key());
      if (path.isPresent()) {
        return FileChannel.open(path.get(), StandardOpenOption.READ);
      }
    }
    return new BlobChannel(blobs, info.key(), info.sizeBytes());
  }

  static byte[] masterPlaylist(Mp4SegmentPlan plan) {
    Mp4Movie movie = plan.movie();
    long peak = 1;
    long bytes = 0;
    long us = 0;
    for (int s = 0; s < plan.segmentCount(); s++) {
      peak = Math.max(peak, plan.estimatedBitrateBps(s));
      bytes += plan.sampleBytes(s);
      us += plan.durationUs(s);
    }
    long average = Math.max(1, Math.min(peak, bytes * 8 * 1_000_000L / Math.max(1, us)));
    List<String> codecs = new ArrayList<>();
    codecs.add(movie.video().codecString());
    movie.audio().ifPresent(a -> codecs.add(a.codecString()));
    Variant.Builder variant =
        Variant.builder(PlaybackPath.JIT_RENDITION + "/index.m3u8", peak)
            .averageBandwidthBps(average)
            .codecs(codecs)
            .resolution(movie.video().width(), movie.video().height());
    SampleTable v = movie.videoSamples();
    long videoUs = Math.floorDiv(v.endPts() * 1_000_000L, v.timescale());
    if (videoUs > 0 && v.count() > 1) {
      variant.frameRate(v.count() * 1_000_000.0 / videoUs);
    }
    MasterPlaylist master =
        new MasterPlaylist(
            3, /* independentSegments= */ true, List.of(), List.of(variant.build()), List.of());
    return PlaylistWriter.write(master).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] mediaPlaylist(Mp4SegmentPlan plan) {
    MediaPlaylist.Builder media =
        MediaPlaylist.builder().playlistType(PlaylistType.VOD).independentSegments(true);
    for (int s = 0; s < plan.segmentCount(); s++) {
      media.addSegment(s + ".ts", plan.durationUs(s));
    }
    return PlaylistWriter.write(media.build()).getBytes(StandardCharsets.UTF_8);
  }

  /** A parsed original, or the reason it cannot be remuxed. */
  private record Indexed(
      BlobInfo original, Mp4SegmentPlan plan, String refusal, byte[] master, byte[] media) {
    static Indexed refused(BlobInfo original, String reason) {
      return new Indexed(original, null, reason, null, null);
    }

    int weight() {
      return plan == null ? 1 : Math.max(1, plan.movie().sampleCount());
    }
  }

  /** Reads sample runs of the original: positional reads of the file, or ranged GETs. */
  private abstract static class SampleSource implements Mp4ToTs.ByteSource, AutoCloseable {
    static SampleSource open(BlobStore blobs, BlobInfo original) throws IOException {
      if (blobs instanceof FileBlobStore files) {
        Optional<Path> path = files.localPath(original.key());
        if (path.isPresent()) {
          FileChannel ch = FileChannel.open(path.get(), StandardOpenOption.READ);
          return new SampleSource() {
            @Override
            public byte[] read(long offset, int length) throws IOException {
              ByteBuffer b = ByteBuffer.allocate(length);
              while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) {
                  throw new IOException("the original " + original.key() + " ended early");
                }
              }
              return b.array();
            }

            @Override
            public void close() throws IOException {
              ch.close();
            }
          };
        }
      }
      return new SampleSource() {
        @Override
        public byte[] read(long offset, int length) throws IOException {
          return BlobChannel.readFully(blobs, original.key(), offset, length);
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public abstract void close() throws IOException;
  }
}
