package org.reelbox.media.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.reelbox.media.ts.TsTestStreams.FRAME_90K;
import static org.reelbox.media.ts.TsTestStreams.accessUnit;
import static org.reelbox.media.ts.TsTestStreams.mux;
import static org.reelbox.media.ts.TsTestStreams.packets;
import static org.reelbox.media.ts.TsTestStreams.scan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reelbox.media.ts.TsTestStreams.Frame;
import org.reelbox.media.ts.TsTestStreams.Packet;

class TsScannerTest {

  // --- reading what the muxer wrote

  @Test
  void scan_muxedStream_accessUnitsMatchWhatWasWritten() {
    List<Frame> frames = new ArrayList<>();
    byte[] ts = mux(45, 15, 126_000, true, true, frames);

    TsScan scan = scan(ts);

    assertThat(scan.sizeBytes()).isEqualTo(ts.length);
    assertThat(scan.accessUnits()).hasSize(45);
    assertThat(scan.accessUnitCount()).isEqualTo(45);
    assertThat(scan.keyframeCount()).isEqualTo(3);
    for (int i = 0; i < frames.size(); i++) {
      VideoAccessUnit au = scan.accessUnits().get(i);
      assertThat(au.pts90k()).isEqualTo(frames.get(i).pts90k());
      assertThat(au.dts90k()).isEqualTo(frames.get(i).dts90k());
      assertThat(au.keyframe()).isEqualTo(frames.get(i).keyframe());
    }
    assertThat(scan.continuityErrors()).isZero();
  }

  @Test
  void scan_muxedStream_programAndDurations() {
    byte[] ts = mux(30, 10, 126_000, true, true, null);

    TsScan scan = scan(ts);

    assertThat(scan.streams())
        .containsExactly(
            new ElementaryStream(TsMuxer.VIDEO_PID, TsMuxer.STREAM_TYPE_H264),
            new ElementaryStream(TsMuxer.AUDIO_PID, TsMuxer.STREAM_TYPE_AAC_ADTS));
    assertThat(scan.videoPid()).hasValue(TsMuxer.VIDEO_PID);
    assertThat(scan.audioPid()).hasValue(TsMuxer.AUDIO_PID);
    // PTS runs from 126000 + 2 frames to 126000 + 31 frames; plus one frame.
    assertThat(scan.firstVideoPts90k()).hasValue(126_000 + 2 * FRAME_90K);
    assertThat(scan.videoDuration90k()).isEqualTo(30 * FRAME_90K);
    assertThat(scan.videoDurationUs()).isEqualTo(1_000_000);
    assertThat(scan.firstAudioPts90k()).hasValue(126_000);
    assertThat(scan.lastAudioPts90k()).hasValue(126_000 + 29 * FRAME_90K);
    assertThat(scan.stream(TsMuxer.AUDIO_PID)).isPresent();
    assertThat(scan.stream(0x1234)).isEmpty();
  }

  @Test
  void scan_byteRanges_tileTheStreamFromTheFirstAccessUnit() {
    byte[] ts = mux(20, 10, 0, false, true, null);

    List<VideoAccessUnit> aus = scan(ts).accessUnits();

    assertThat(aus.get(0).offsetBytes()).isEqualTo(2 * 188); // after PAT and PMT
    for (int i = 0; i + 1 < aus.size(); i++) {
      assertThat(aus.get(i).offsetBytes() + aus.get(i).lengthBytes())
          .isEqualTo(aus.get(i + 1).offsetBytes());
    }
    VideoAccessUnit last = aus.get(aus.size() - 1);
    assertThat(last.offsetBytes() + last.lengthBytes()).isEqualTo(ts.length);
  }

  @Test
  void scan_keyframeRange_startsAtPatAndEndsAtLastVideoPacket() {
    byte[] ts = mux(20, 10, 0, false, true, null);
    List<Packet> packets = packets(ts);

    for (VideoAccessUnit au : scan(ts).accessUnits()) {
      if (au.keyframe()) {
        assertThat(au.frameOffsetBytes()).isEqualTo(au.offsetBytes() - 2 * 188);
        assertThat(packets.get((int) au.frameOffsetBytes() / 188).pid()).isEqualTo(0);
      } else {
        assertThat(au.frameOffsetBytes()).isEqualTo(au.offsetBytes());
      }
      long end = au.frameOffsetBytes() + au.frameLengthBytes();
      assertThat(end % 188).isZero();
      assertThat(end).isLessThanOrEqualTo(au.offsetBytes() + au.lengthBytes());
      // The last packet of the range is video; the audio packet after it is not in the range.
      assertThat(packets.get((int) (end / 188) - 1).pid()).isEqualTo(TsMuxer.VIDEO_PID);
      assertThat(packets.get((int) (end / 188)).pid()).isNotEqualTo(TsMuxer.VIDEO_PID);
    }
  }

  @Test
  void scan_keyframeRange_decodesOnItsOwn() {
    byte[] ts = mux(20, 10, 0, false, true, null);
    VideoAccessUnit second = scan(ts).keyframes().get(1);

    byte[] range =
        Arrays.copyOfRange(
            ts,
            (int) second.frameOffsetBytes(),
            (int) (second.frameOffsetBytes() + second.frameLengthBytes()));
    TsScan alone = scan(range);

    assertThat(alone.streams()).hasSize(2);
    assertThat(alone.accessUnits()).hasSize(1);
    assertThat(alone.accessUnits().get(0).keyframe()).isTrue();
    assertThat(alone.accessUnits().get(0).pts90k()).isEqualTo(second.pts90k());
  }

  @Test
  void scan_streamedToConsumer_sameAccessUnitsNoneKept() throws Exception {
    byte[] ts = mux(30, 10, 0, true, true, null);
    List<VideoAccessUnit> seen = new ArrayList<>();

    TsScan streamed = TsScanner.scan(new ByteArrayInputStream(ts), seen::add);

    TsScan kept = scan(ts);
    assertThat(seen).isEqualTo(kept.accessUnits());
    assertThat(streamed.accessUnits()).isEmpty();
    assertThat(streamed.accessUnitCount()).isEqualTo(30);
    assertThat(streamed.videoDuration90k()).isEqualTo(kept.videoDuration90k());
    assertThat(streamed.keyframeCount()).isEqualTo(kept.keyframeCount());
  }

  @Test
  void scan_idrWithoutRandomAccessIndicator_stillKeyframe() {
    byte[] ts = mux(20, 10, 0, false, false, null);
    for (Packet packet : packets(ts)) {
      if (packet.randomAccess()) {
        ts[packet.offset() + 5] &= ~0x40;
      }
    }

    TsScan scan = scan(ts);

    assertThat(scan.keyframeCount()).isEqualTo(2);
    assertThat(scan.accessUnits().get(10).keyframe()).isTrue();
  }

  @Test
  void scan_randomAccessIndicatorWithoutIdr_keyframe() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, false)) {
      muxer.writeVideo(0, 0, accessUnit(false, 100, 0), true); // flagged, but a non-IDR slice
      muxer.writeVideo(3000, 3000, accessUnit(false, 100, 1), false);
    }

    TsScan scan = scan(out.toByteArray());

    assertThat(scan.accessUnits())
        .extracting(VideoAccessUnit::keyframe)
        .containsExactly(true, false);
  }

  @Test
  void scan_startCodeSplitAcrossPackets_idrFound() throws IOException {
    // Place the IDR's 00 00 01 65 across a packet boundary: the first packet holds the 4-byte
    // header, 8 bytes of adaptation field (PCR), 14 bytes of PES header, the 6-byte AUD, and
    // then 156 bytes of the access unit; the start code begins at its byte 153 to 157.
    for (int shift = 0; shift < 5; shift++) {
      int payloadInFirst = 188 - 4 - 8 - 14 - 6; // PTS-only header: 14 bytes
      byte[] filler = new byte[payloadInFirst - 7 + shift];
      Arrays.fill(filler, (byte) 0x55);
      byte[] au =
          TsTestStreams.concat(
              new byte[] {0, 0, 1, 0x06}, filler, new byte[] {0, 0, 1, 0x65, 0x11, 0x22});
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TsMuxer muxer = new TsMuxer(out, false)) {
        muxer.writeVideo(0, 0, au, false); // no random_access_indicator: only the NAL tells
      }

      assertThat(scan(out.toByteArray()).accessUnits().get(0).keyframe())
          .as("shift %s", shift)
          .isTrue();
    }
  }

  @Test
  void scan_timestampWrap_unwrappedTimeline() {
    long start = (1L << 33) - 10 * FRAME_90K;
    byte[] ts = mux(20, 10, start, false, true, null);

    TsScan scan = scan(ts);

    assertThat(scan.accessUnits().get(19).pts90k()).isEqualTo(start + 19 * FRAME_90K);
    assertThat(scan.videoDuration90k()).isEqualTo(20 * FRAME_90K);
    assertThat(scan.lastAudioPts90k()).hasValue(start + 19 * FRAME_90K);
  }

  @Test
  void scan_droppedPacket_countedAsContinuityError() {
    byte[] ts = mux(10, 10, 0, false, false, null);
    int drop = 5 * 188; // a video packet in the middle
    byte[] damaged = new byte[ts.length - 188];
    System.arraycopy(ts, 0, damaged, 0, drop);
    System.arraycopy(ts, drop + 188, damaged, drop, ts.length - drop - 188);

    assertThat(scan(damaged).continuityErrors()).isEqualTo(1);
  }

  @Test
  void scan_discontinuityIndicator_noContinuityError() {
    byte[] ts = mux(10, 10, 0, false, false, null);
    int lastVideoCc =
        packets(ts).stream()
            .filter(p -> p.pid() == TsMuxer.VIDEO_PID)
            .reduce((a, b) -> b)
            .orElseThrow()
            .continuityCounter();
    byte[] doubled = TsTestStreams.concat(ts, ts); // counters restart at 0 halfway
    // The tables' 0 after 0 reads as a repeated packet; the video's jump back is an error ...
    assertThat(scan(doubled).continuityErrors()).isEqualTo(lastVideoCc == 15 ? 0 : 1);

    // ... unless the packet that jumps says so with discontinuity_indicator.
    for (Packet packet : packets(doubled)) {
      if (packet.offset() >= ts.length && packet.adaptationLength() > 0) {
        doubled[packet.offset() + 5] |= (byte) 0x80;
      }
    }
    TsScan scan = scan(doubled);

    assertThat(scan.continuityErrors()).isZero();
    assertThat(scan.accessUnitCount()).isEqualTo(20);
  }

  @Test
  void scan_emptyInput_emptyScan() {
    TsScan scan = scan(new byte[0]);

    assertThat(scan.sizeBytes()).isZero();
    assertThat(scan.streams()).isEmpty();
    assertThat(scan.videoPid()).isEmpty();
    assertThat(scan.firstVideoPts90k()).isEmpty();
    assertThat(scan.videoDuration90k()).isZero();
  }

  @Test
  void scan_singleFrame_zeroDuration() {
    TsScan scan = scan(mux(1, 1, 5000, false, false, null));

    assertThat(scan.videoDuration90k()).isZero();
    assertThat(scan.firstVideoPts90k()).hasValue(5000);
  }

  @Test
  void scan_nullPacketsAndUnknownPids_skipped() {
    byte[] ts = mux(5, 5, 0, false, false, null);
    byte[] nullPacket = new byte[188];
    nullPacket[0] = 0x47;
    nullPacket[1] = 0x1F;
    nullPacket[2] = (byte) 0xFF;
    nullPacket[3] = 0x10;
    byte[] other = nullPacket.clone();
    other[1] = 0x02; // PID 0x2FF
    byte[] withNoise = TsTestStreams.concat(nullPacket, other, ts, nullPacket);

    TsScan scan = scan(withNoise);

    assertThat(scan.accessUnitCount()).isEqualTo(5);
    assertThat(scan.accessUnits().get(0).offsetBytes()).isEqualTo(4 * 188);
  }

  @Test
  void scan_streamJoinedMidPes_leadingPacketsSkipped() {
    byte[] ts = mux(3, 3, 0, false, false, null);
    // Tables, then a continuation packet of a PES we never saw the start of.
    byte[] continuation = new byte[188];
    continuation[0] = 0x47;
    continuation[1] = 0x01;
    continuation[2] = 0x00;
    continuation[3] = 0x15;
    byte[] joined =
        TsTestStreams.concat(
            Arrays.copyOf(ts, 2 * 188), continuation, Arrays.copyOfRange(ts, 2 * 188, ts.length));

    assertThat(scan(joined).accessUnitCount()).isEqualTo(3);
  }

  // --- bad input

  @Test
  void scan_lostSync_errorWithOffset() {
    byte[] ts = mux(5, 5, 0, false, false, null);
    ts[3 * 188] = 0x46;

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .isInstanceOf(TsFormatException.class)
        .hasMessage("offset 564: lost sync: packet starts with 0x46, not the sync byte 0x47")
        .satisfies(e -> assertThat(((TsFormatException) e).offsetBytes()).isEqualTo(564));
  }

  @Test
  void scan_truncatedPacket_errorWithOffset() {
    byte[] ts = mux(5, 5, 0, false, false, null);
    byte[] cut = Arrays.copyOf(ts, ts.length - 100);

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(cut)))
        .isInstanceOf(TsFormatException.class)
        .hasMessage(
            "offset " + (ts.length - 188) + ": truncated packet: the stream ends 88 bytes into it");
  }

  @Test
  void scan_transportError_rejected() {
    byte[] ts = mux(2, 2, 0, false, false, null);
    ts[188 + 1] |= (byte) 0x80;

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 188: transport_error_indicator is set");
  }

  @Test
  void scan_reservedAdaptationFieldControl_rejected() {
    byte[] ts = mux(2, 2, 0, false, false, null);
    ts[2 * 188 + 3] &= (byte) 0xCF;

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 376: adaptation_field_control is 00 (reserved) on PID 256");
  }

  @Test
  void scan_adaptationFieldTooLong_rejected() {
    byte[] ts = mux(2, 2, 0, false, false, null);
    ts[2 * 188 + 4] = (byte) 183; // with payload, at most 182

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 376: adaptation_field_length 183 exceeds 182 in a packet with payload");

    byte[] ts2 = mux(2, 2, 0, false, false, null);
    ts2[2 * 188 + 3] = (byte) ((ts2[2 * 188 + 3] & 0xCF) | 0x20); // adaptation only
    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts2)))
        .hasMessageContaining("is not 183 without payload");

    byte[] ts3 = mux(2, 2, 0, false, false, null);
    ts3[2 * 188 + 4] = 3; // flags say PCR, but 3 bytes cannot hold one
    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts3)))
        .hasMessageContaining("too short for its PCR");
  }

  @Test
  void scan_badPsiCrc_rejected() {
    byte[] ts = mux(2, 2, 0, false, false, null);
    ts[188 + 15] ^= 0x01; // inside the PMT section

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .isInstanceOf(TsFormatException.class)
        .hasMessage("offset 188: PSI section (table_id 2) fails its CRC_32");
  }

  @Test
  void scan_hugeSectionLength_rejectedNotAllocated() {
    byte[] ts = mux(2, 2, 0, false, false, null);
    ts[6] = (byte) 0xBF; // section_length 0xFFF
    ts[7] = (byte) 0xFF;

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 0: PAT section_length 4095 exceeds 1021");
  }

  @Test
  void scan_pointerFieldPastPacket_rejected() {
    byte[] ts = mux(2, 2, 0, false, false, null);
    ts[4] = (byte) 200;

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 0: PAT pointer_field 200 points past the packet");
  }

  @Test
  void scan_pmtLengthsOverrunningSection_rejected() throws Exception {
    byte[] ts = mux(2, 2, 0, false, false, null);
    ts[188 + 5 + 10] = (byte) 0xFF; // program_info_length 0xFFF
    ts[188 + 5 + 11] = (byte) 0xFF;
    fixPmtCrc(ts);

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 188: PMT program_info_length 4095 overruns the section");
  }

  @Test
  void scan_pesWithoutStartCode_rejected() {
    byte[] ts = mux(2, 2, 0, false, false, null);
    ts[2 * 188 + 4 + 8 + 2] = 2; // 00 00 02 after the 8-byte adaptation field

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 376: PES packet without the 00 00 01 start code");
  }

  @Test
  void scan_videoPesWithoutPts_rejected() {
    byte[] ts = mux(2, 2, 0, false, false, null);
    ts[2 * 188 + 12 + 7] = 0; // PTS_DTS_flags 00

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 376: video PES without a PTS");

    ts[2 * 188 + 12 + 7] = 0x40; // 01, forbidden
    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 376: PES PTS_DTS_flags is 01 (forbidden)");

    ts[2 * 188 + 12 + 7] = (byte) 0xC0; // DTS claimed, but the header only has room for a PTS
    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 376: PES_header_data_length 5 is too short for its timestamps");
  }

  @Test
  void scan_ptsMarkerBitZero_rejected() {
    byte[] ts = mux(2, 2, 0, false, false, null);
    ts[2 * 188 + 12 + 9 + 4] &= (byte) 0xFE;

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(ts)))
        .hasMessage("offset 376: PES PTS has a marker bit of 0");
  }

  @Test
  void scan_pesHeaderCutOffAtEnd_rejected() {
    byte[] ts = mux(1, 1, 0, false, false, null);
    // A last video packet that starts a PES and claims 255 bytes of header data.
    byte[] packet = new byte[188];
    packet[0] = 0x47;
    packet[1] = 0x41;
    packet[2] = 0x00;
    packet[3] = 0x11;
    packet[4] = 0;
    packet[5] = 0;
    packet[6] = 1;
    packet[7] = (byte) 0xE0;
    packet[10] = (byte) 0x80;
    packet[11] = (byte) 0x80;
    packet[12] = (byte) 255;
    byte[] stream = TsTestStreams.concat(ts, packet);

    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(stream)))
        .hasMessage("offset " + ts.length + ": video PES header is cut off");
  }

  @Test
  void scan_randomGarbage_failsFastWithOffset() {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[random.nextInt(5000)];
      random.nextBytes(garbage);
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> {
            try {
              TsScanner.scan(new ByteArrayInputStream(garbage));
            } catch (TsFormatException expected) {
              assertThat(expected.offsetBytes()).isBetween(0L, (long) garbage.length);
            }
          });
    }
  }

  @Test
  void scan_mutatedStreams_neverThrowAnythingElse() {
    byte[] ts = mux(30, 10, 0, true, true, null);
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] mutated = ts.clone();
      int flips = 1 + random.nextInt(8);
      for (int f = 0; f < flips; f++) {
        int at = random.nextInt(mutated.length);
        mutated[at] = (byte) random.nextInt(256);
      }
      int iteration = i;
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> {
            try {
              TsScan scan = TsScanner.scan(new ByteArrayInputStream(mutated));
              assertThat(scan.sizeBytes()).isEqualTo(ts.length);
            } catch (TsFormatException expected) {
              assertThat(expected.offsetBytes()).as("iteration %s", iteration).isNotNegative();
            }
          });
    }
  }

  @Test
  void scan_endlessSyncBytes_boundedMemoryAndLinearTime() {
    // 20 MB of packets that are all video continuation packets of one never-ending PES, read
    // from a stream that is never in memory whole.
    byte[] head = mux(1, 1, 0, false, false, null);
    long packets = 20L * 1024 * 1024 / 188;
    InputStream in =
        new InputStream() {
          long position;

          @Override
          public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            long end = head.length + packets * 188;
            if (position >= end) {
              return -1;
            }
            int n = (int) Math.min(len, end - position);
            for (int i = 0; i < n; i++, position++) {
              if (position < head.length) {
                b[off + i] = head[(int) position];
              } else {
                long inPacket = (position - head.length) % 188;
                long index = (position - head.length) / 188;
                b[off + i] =
                    (byte)
                        switch ((int) inPacket) {
                          case 0 -> 0x47;
                          case 1 -> 0x01;
                          case 2 -> 0x00;
                          case 3 -> 0x10 | (int) ((index + 1) & 0xF);
                          default -> 0xAB;
                        };
              }
            }
            return n;
          }
        };
    List<VideoAccessUnit> seen = new ArrayList<>();

    TsScan scan =
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> TsScanner.scan(in, seen::add));

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).lengthBytes()).isEqualTo(scan.sizeBytes() - 2 * 188);
    assertThat(scan.continuityErrors()).isZero();
  }

  @Test
  void scan_hevcStream_readsIrapNalAsKeyframe() throws Exception {
    byte[] ts = mux(3, 3, 0, false, false, null);
    // Retype the stream as HEVC in the PMT; the H.264 IDR byte 0x65 reads as HEVC type 50
    // (not IRAP), so only the random_access_indicator marks the first frame then.
    ts[188 + 5 + 12] = (byte) ElementaryStream.STREAM_TYPE_HEVC;
    fixPmtCrc(ts);
    for (Packet packet : packets(ts)) {
      if (packet.randomAccess()) {
        ts[packet.offset() + 5] &= ~0x40;
      }
    }

    TsScan scan = scan(ts);

    assertThat(scan.streams().get(0).streamType()).isEqualTo(0x24);
    assertThat(scan.keyframeCount()).isZero();
    assertThat(scan.accessUnitCount()).isEqualTo(3);
  }

  @Test
  void scan_nullInput_rejected() {
    assertThatThrownBy(() -> TsScanner.scan(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TsScanner.scan(new ByteArrayInputStream(new byte[0]), null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void elementaryStream_classifiesTypesAndChecksRanges() {
    assertThat(new ElementaryStream(0x100, 0x1B).isVideo()).isTrue();
    assertThat(new ElementaryStream(0x100, 0x24).isVideo()).isTrue();
    assertThat(new ElementaryStream(0x101, 0x0F).isAudio()).isTrue();
    assertThat(new ElementaryStream(0x101, 0x81).isAudio()).isTrue();
    assertThat(new ElementaryStream(0x102, 0x15).isAudio()).isFalse();
    assertThatThrownBy(() -> new ElementaryStream(0x2000, 0x1B))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8192");
    assertThatThrownBy(() -> new ElementaryStream(0x100, 256))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Recomputes the CRC of the one-packet PMT in the second packet. */
  private static void fixPmtCrc(byte[] ts) {
    int start = 188 + 5;
    int length = 3 + (((ts[start + 1] & 0x0F) << 8) | (ts[start + 2] & 0xFF));
    int crc = Crc32Mpeg2.compute(ts, start, length - 4);
    ts[start + length - 4] = (byte) (crc >>> 24);
    ts[start + length - 3] = (byte) (crc >>> 16);
    ts[start + length - 2] = (byte) (crc >>> 8);
    ts[start + length - 1] = (byte) crc;
  }
}
