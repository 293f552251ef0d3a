package org.reelbox.media.ts;

import static java.util.Objects.requireNonNull;
import static org.reelbox.media.ts.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.reelbox.media.hls.ByteRange;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.Segment;

/**
 * HLS media playlists from scanned transport stream segments: the segment playlist with exact
 * durations, the I-frame playlist (RFC 8216 §4.3.3.6), and the bit rates that the master playlist
 * advertises for each (§4.3.4.2, §4.3.4.3).
 *
 * <p>All of them share one timeline. Segment {@code i} starts at its earliest video PTS and lasts
 * until segment {@code i + 1}'s earliest video PTS (modulo 2^33, so a wrap between segments does
 * not matter); the last segment lasts its own {@link TsScan#videoDuration90k()}. So the {@code
 * EXTINF} values add up to the presentation's length, with no drift from rounding frame counts.
 * When the next segment starts before this one or more than 2^32 ticks after it (a discontinuity,
 * not a next segment), the segment's own duration is used instead.
 *
 * <p>An I-frame lasts until the next keyframe, in its own segment or a later one, and the last one
 * until the end of the last segment (§4.3.3.6: "the duration of the I-frame is the time between it
 * and the next I-frame, or the end of the presentation").
 */
public final class TsPlaylists {

  private TsPlaylists() {}

  /**
   * A segment file and its scan.
   *
   * @param uri the segment's URI line in the playlist (e.g. {@code 0.ts})
   * @param scan the result of {@link TsScanner#scan(java.io.InputStream)} on its bytes, with its
   *     access units
   */
  public record ScannedSegment(String uri, TsScan scan) {
    public ScannedSegment {
      requireNonNull(uri, "uri");
      requireNonNull(scan, "scan");
      checkArgument(scan.firstVideoPts90k().isPresent(), "segment %s has no video", uri);
    }
  }

  /**
   * Bit rates in bits per second, for {@code BANDWIDTH} and {@code AVERAGE-BANDWIDTH}.
   *
   * @param peakBps the highest bit rate of any one segment (§4.3.4.2: "the peak segment bit rate")
   * @param averageBps all bytes over the whole duration
   */
  public record Bandwidth(long peakBps, long averageBps) {}

  /**
   * A VOD media playlist builder holding the segments with their exact durations and {@code
   * EXT-X-INDEPENDENT-SEGMENTS} (every segment starts with a keyframe and its own PAT/PMT, as
   * {@link TsMuxer} writes them). Add a key, a media sequence, and build.
   */
  public static MediaPlaylist.Builder mediaPlaylist(List<ScannedSegment> segments) {
    long[] starts = starts(segments);
    MediaPlaylist.Builder builder = MediaPlaylist.builder().independentSegments(true);
    for (int i = 0; i < segments.size(); i++) {
      long durationUs = Timestamps.ticksToUs(starts[i + 1]) - Timestamps.ticksToUs(starts[i]);
      builder.addSegment(Segment.of(segments.get(i).uri(), durationUs));
    }
    return builder;
  }

  /**
   * A VOD I-frame playlist builder ({@code EXT-X-I-FRAMES-ONLY}): one entry per keyframe, its byte
   * range the keyframe's {@link VideoAccessUnit#frameOffsetBytes() I-frame range}, its duration the
   * time to the next keyframe.
   *
   * @throws IllegalArgumentException if a scan was streamed (it has no access units) or there is no
   *     keyframe at all
   */
  public static MediaPlaylist.Builder iFramePlaylist(List<ScannedSegment> segments) {
    long[] starts = starts(segments);
    List<String> uris = new ArrayList<>();
    List<ByteRange> ranges = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      ScannedSegment segment = segments.get(i);
      TsScan scan = segment.scan();
      checkArgument(
          scan.accessUnits().size() == scan.accessUnitCount(),
          "segment %s was scanned without keeping its access units",
          segment.uri());
      long first = scan.firstVideoPts90k().getAsLong();
      for (VideoAccessUnit frame : scan.keyframes()) {
        uris.add(segment.uri());
        ranges.add(new ByteRange(frame.frameLengthBytes(), frame.frameOffsetBytes()));
        times.add(starts[i] + (frame.pts90k() - first));
      }
    }
    checkArgument(!times.isEmpty(), "no keyframe in %s segments", segments.size());
    MediaPlaylist.Builder builder =
        MediaPlaylist.builder().independentSegments(true).iFramesOnly(true);
    for (int k = 0; k < times.size(); k++) {
      long end = k + 1 < times.size() ? times.get(k + 1) : starts[segments.size()];
      long durationUs = Math.max(0, Timestamps.ticksToUs(end) - Timestamps.ticksToUs(times.get(k)));
      builder.addSegment(Segment.of(uris.get(k), durationUs).withByteRange(ranges.get(k)));
    }
    return builder;
  }

  /**
   * The bit rates of the segments of {@link #mediaPlaylist}: each segment's whole size over its
   * duration. Segments of no duration count toward the average only.
   */
  public static Bandwidth bandwidth(List<ScannedSegment> segments) {
    MediaPlaylist playlist = mediaPlaylist(segments).build();
    List<Long> sizes = new ArrayList<>();
    for (ScannedSegment segment : segments) {
      sizes.add(segment.scan().sizeBytes());
    }
    return bandwidth(playlist.segments(), sizes);
  }

  /**
   * The bit rates of an I-frame playlist (§4.3.4.3: BANDWIDTH is that of the I-frame segments):
   * each I-frame's byte range over its duration.
   */
  public static Bandwidth iFrameBandwidth(MediaPlaylist iFramePlaylist) {
    checkArgument(iFramePlaylist.iFramesOnly(), "not an I-frame playlist");
    List<Long> sizes = new ArrayList<>();
    for (Segment segment : iFramePlaylist.segments()) {
      sizes.add(segment.byteRange().orElseThrow().lengthBytes());
    }
    return bandwidth(iFramePlaylist.segments(), sizes);
  }

  private static Bandwidth bandwidth(List<Segment> segments, List<Long> sizes) {
    long peak = 0;
    long totalBytes = 0;
    long totalUs = 0;
    for (int i = 0; i < segments.size(); i++) {
      long durationUs = segments.get(i).durationUs();
      long bytes = sizes.get(i);
      totalBytes += bytes;
      totalUs += durationUs;
      if (durationUs > 0) {
        peak = Math.max(peak, bitsPerSecond(bytes, durationUs));
      }
    }
    long average = totalUs > 0 ? bitsPerSecond(totalBytes, totalUs) : 0;
    return new Bandwidth(Math.max(peak, average), average);
  }

  /** Rounded up: a player that budgets by BANDWIDTH must not come up a bit short. */
  private static long bitsPerSecond(long bytes, long durationUs) {
    return Math.floorDiv(Math.multiplyExact(bytes, 8_000_000L) + durationUs - 1, durationUs);
  }

  /**
   * The start of each segment on one timeline that begins at 0, and the end of the last one as a
   * final element.
   */
  private static long[] starts(List<ScannedSegment> segments) {
    checkArgument(!segments.isEmpty(), "segments must not be empty");
    long[] starts = new long[segments.size() + 1];
    for (int i = 0; i < segments.size(); i++) {
      TsScan scan = segments.get(i).scan();
      long duration = scan.videoDuration90k();
      if (i + 1 < segments.size()) {
        long next = segments.get(i + 1).scan().firstVideoPts90k().getAsLong();
        long gap = Math.floorMod(next - scan.firstVideoPts90k().getAsLong(), Timestamps.MODULUS);
        if (gap > 0 && gap < Timestamps.MODULUS / 2) {
          duration = gap;
        }
      }
      starts[i + 1] = starts[i] + duration;
    }
    return starts;
  }
}
