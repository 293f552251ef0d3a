package org.reelbox.media.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reelbox.media.ts.TsTestStreams.FRAME_90K;
import static org.reelbox.media.ts.TsTestStreams.mux;
import static org.reelbox.media.ts.TsTestStreams.scan;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reelbox.media.hls.ByteRange;
import org.reelbox.media.hls.EncryptionKey;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.PlaylistType;
import org.reelbox.media.hls.PlaylistWriter;
import org.reelbox.media.hls.Segment;
import org.reelbox.media.ts.TsPlaylists.Bandwidth;
import org.reelbox.media.ts.TsPlaylists.ScannedSegment;

class TsPlaylistsTest {

  /** Segments of {@code frames[i]} frames each, one GOP of {@code gop}, on one timeline. */
  private static List<ScannedSegment> segments(long startPts, int gop, int... frames) {
    List<ScannedSegment> segments = new ArrayList<>();
    long pts = startPts;
    for (int i = 0; i < frames.length; i++) {
      byte[] ts = mux(frames[i], gop, pts, true, true, null);
      segments.add(new ScannedSegment(i + ".ts", scan(ts)));
      pts += (long) frames[i] * FRAME_90K;
    }
    return segments;
  }

  @Test
  void mediaPlaylist_durationsFromNextSegmentStart_lastFromItsOwnSpan() {
    // 4 s, 4 s, 1.5 s at 30 fps.
    MediaPlaylist playlist = TsPlaylists.mediaPlaylist(segments(126_000, 30, 120, 120, 45)).build();

    assertThat(playlist.segments())
        .extracting(Segment::uri, Segment::durationUs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("0.ts", 4_000_000L),
            org.assertj.core.groups.Tuple.tuple("1.ts", 4_000_000L),
            org.assertj.core.groups.Tuple.tuple("2.ts", 1_500_000L));
    assertThat(playlist.playlistType()).contains(PlaylistType.VOD);
    assertThat(playlist.independentSegments()).isTrue();
    assertThat(playlist.endList()).isTrue();
    assertThat(playlist.targetDurationSeconds()).isEqualTo(4);
  }

  @Test
  void mediaPlaylist_ntscDurations_sumExactly() {
    // 29.97 fps: 3003 ticks a frame; 100 frames is 3.336666... s, which no EXTINF holds exactly.
    List<ScannedSegment> segments = new ArrayList<>();
    long pts = 0;
    for (int i = 0; i < 3; i++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try (TsMuxer muxer = new TsMuxer(out, false)) {
        for (int f = 0; f < 100; f++) {
          muxer.writeVideo(pts, pts, TsTestStreams.accessUnit(f == 0, 50, f), f == 0);
          pts += 3003;
        }
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
      segments.add(new ScannedSegment(i + ".ts", scan(out.toByteArray())));
    }

    MediaPlaylist playlist = TsPlaylists.mediaPlaylist(segments).build();

    assertThat(playlist.durationUs()).isEqualTo(Timestamps.ticksToUs(300 * 3003));
    assertThat(playlist.segments())
        .extracting(Segment::durationUs)
        .containsExactly(3_336_667L, 3_336_666L, 3_336_667L);
  }

  @Test
  void mediaPlaylist_wrapBetweenSegments_sameDurations() {
    long start = (1L << 33) - 4 * 30 * FRAME_90K - 15_000; // the wrap falls inside segment 0
    MediaPlaylist playlist = TsPlaylists.mediaPlaylist(segments(start, 30, 120, 120, 45)).build();

    assertThat(playlist.segments())
        .extracting(Segment::durationUs)
        .containsExactly(4_000_000L, 4_000_000L, 1_500_000L);
  }

  @Test
  void mediaPlaylist_withKeyAndSequence_writesExtXKey() {
    MediaPlaylist playlist =
        TsPlaylists.mediaPlaylist(segments(0, 30, 60))
            .mediaSequence(5)
            .encryptionKey(EncryptionKey.aes128("key"))
            .build();

    assertThat(PlaylistWriter.write(playlist))
        .isEqualTo(
            """
            #EXTM3U
            #EXT-X-VERSION:1
            #EXT-X-TARGETDURATION:2
            #EXT-X-MEDIA-SEQUENCE:5
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-KEY:METHOD=AES-128,URI="key"
            #EXTINF:2,
            0.ts
            #EXT-X-ENDLIST
            """);
  }

  @Test
  void iFramePlaylist_oneEntryPerKeyframe_durationsToNextKeyframeAcrossSegments() throws Exception {
    // GOPs of 2 s (60 frames) in segments of 4, 3 and 1 s: keyframes at 0, 2, 4, 6, 7 s.
    List<ScannedSegment> segments = segments(126_000, 60, 120, 90, 30);

    MediaPlaylist playlist = TsPlaylists.iFramePlaylist(segments).build();

    assertThat(playlist.iFramesOnly()).isTrue();
    assertThat(playlist.segments())
        .extracting(Segment::uri)
        .containsExactly("0.ts", "0.ts", "1.ts", "1.ts", "2.ts");
    assertThat(playlist.segments())
        .extracting(Segment::durationUs)
        .containsExactly(2_000_000L, 2_000_000L, 2_000_000L, 1_000_000L, 1_000_000L);
    VideoAccessUnit secondKeyframe = segments.get(0).scan().keyframes().get(1);
    assertThat(playlist.segments().get(1).byteRange())
        .contains(
            new ByteRange(secondKeyframe.frameLengthBytes(), secondKeyframe.frameOffsetBytes()));
    assertThat(playlist.segments().get(0).byteRange().orElseThrow().offsetBytes()).isZero();
    // It writes, and reads back equal.
    String text = PlaylistWriter.write(playlist);
    assertThat(text).contains("#EXT-X-I-FRAMES-ONLY", "#EXT-X-BYTERANGE:");
    assertThat(PlaylistParser.parse(text)).isEqualTo(playlist);
  }

  @Test
  void iFramePlaylist_streamedScan_rejected() throws Exception {
    byte[] ts = mux(30, 30, 0, false, false, null);
    TsScan streamed = TsScanner.scan(new ByteArrayInputStream(ts), au -> {});

    assertThatThrownBy(
            () -> TsPlaylists.iFramePlaylist(List.of(new ScannedSegment("0.ts", streamed))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment 0.ts was scanned without keeping its access units");
  }

  @Test
  void scannedSegment_withoutVideo_rejected() {
    byte[] tablesOnly = scanTablesOnly();

    assertThatThrownBy(() -> new ScannedSegment("0.ts", scan(tablesOnly)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment 0.ts has no video");
    assertThatThrownBy(() -> TsPlaylists.mediaPlaylist(List.of()))
        .hasMessage("segments must not be empty");
  }

  @Test
  void bandwidth_peakIsLargestSegmentRate_averageIsTotal() {
    List<ScannedSegment> segments = segments(0, 30, 120, 60);
    long size0 = segments.get(0).scan().sizeBytes();
    long size1 = segments.get(1).scan().sizeBytes();

    Bandwidth bandwidth = TsPlaylists.bandwidth(segments);

    long rate0 = (size0 * 8 + 3) / 4; // ceil over 4 s
    long rate1 = (size1 * 8 + 1) / 2;
    assertThat(bandwidth.peakBps()).isEqualTo(Math.max(rate0, rate1));
    assertThat(bandwidth.averageBps()).isEqualTo(((size0 + size1) * 8 + 5) / 6);
  }

  @Test
  void iFrameBandwidth_fromByteRangesAndDurations() {
    MediaPlaylist iFrames = TsPlaylists.iFramePlaylist(segments(0, 30, 60, 60)).build();

    Bandwidth bandwidth = TsPlaylists.iFrameBandwidth(iFrames);

    long maxRange =
        iFrames.segments().stream()
            .mapToLong(s -> s.byteRange().orElseThrow().lengthBytes())
            .max()
            .orElseThrow();
    assertThat(bandwidth.peakBps()).isEqualTo(maxRange * 8);
    assertThat(bandwidth.averageBps()).isLessThanOrEqualTo(bandwidth.peakBps());
    assertThatThrownBy(
            () ->
                TsPlaylists.iFrameBandwidth(TsPlaylists.mediaPlaylist(segments(0, 30, 30)).build()))
        .hasMessage("not an I-frame playlist");
  }

  private static byte[] scanTablesOnly() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      new TsMuxer(out, true).close();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }
}
