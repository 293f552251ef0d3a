package org.reelbox.media.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reelbox.media.ts.TsTestStreams.accessUnit;
import static org.reelbox.media.ts.TsTestStreams.adtsFrame;
import static org.reelbox.media.ts.TsTestStreams.concat;
import static org.reelbox.media.ts.TsTestStreams.mux;
import static org.reelbox.media.ts.TsTestStreams.packets;
import static org.reelbox.media.ts.TsTestStreams.pesPackets;
import static org.reelbox.media.ts.TsTestStreams.pesPayload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reelbox.media.ts.TsTestStreams.Frame;
import org.reelbox.media.ts.TsTestStreams.Packet;

class TsMuxerTest {

  private static final byte[] AUD = {0, 0, 0, 1, 0x09, (byte) 0xF0};

  @Test
  void write_everyPacket188BytesWithSyncByte() {
    byte[] ts = mux(40, 10, 0, true, true, null);

    assertThat(ts.length % 188).isZero();
    for (int p = 0; p < ts.length; p += 188) {
      assertThat(ts[p] & 0xFF).as("sync at %s", p).isEqualTo(0x47);
      assertThat(ts[p + 1] & 0x80).as("transport_error_indicator at %s", p).isZero();
    }
  }

  @Test
  void write_continuityCountersIncrementPerPidOnPayloadPackets() {
    byte[] ts = mux(40, 10, 0, false, true, null);

    Map<Integer, Integer> last = new HashMap<>();
    for (Packet packet : packets(ts)) {
      boolean payload = (packet.adaptationFieldControl() & 1) != 0;
      Integer previous = last.get(packet.pid());
      if (previous == null) {
        assertThat(packet.continuityCounter()).as("first CC of PID %s", packet.pid()).isZero();
      } else if (payload) {
        assertThat(packet.continuityCounter())
            .as("CC at %s, PID %s", packet.offset(), packet.pid())
            .isEqualTo((previous + 1) & 0xF);
      } else {
        assertThat(packet.continuityCounter()).isEqualTo(previous);
      }
      last.put(packet.pid(), packet.continuityCounter());
    }
    assertThat(last).containsOnlyKeys(0, TsMuxer.PMT_PID, TsMuxer.VIDEO_PID, TsMuxer.AUDIO_PID);
  }

  @Test
  void write_patAndPmtFirstAndRightBeforeEveryKeyframe() {
    byte[] ts = mux(30, 10, 0, false, true, null);
    List<Packet> packets = packets(ts);

    assertThat(packets.get(0).pid()).isEqualTo(TsMuxer.PAT_PID);
    assertThat(packets.get(1).pid()).isEqualTo(TsMuxer.PMT_PID);
    int keyframes = 0;
    int tables = 0;
    for (int i = 0; i < packets.size(); i++) {
      Packet packet = packets.get(i);
      if (packet.pid() == TsMuxer.PAT_PID) {
        tables++;
      }
      if (packet.pid() == TsMuxer.VIDEO_PID && packet.unitStart() && packet.randomAccess()) {
        keyframes++;
        assertThat(packets.get(i - 2).pid()).isEqualTo(TsMuxer.PAT_PID);
        assertThat(packets.get(i - 1).pid()).isEqualTo(TsMuxer.PMT_PID);
      }
    }
    assertThat(keyframes).isEqualTo(3);
    assertThat(tables).isEqualTo(3);
  }

  @Test
  void write_programTables_matchIso13818Layout() {
    byte[] ts = mux(1, 1, 0, false, true, null);
    List<Packet> packets = packets(ts);

    byte[] pat = packets.get(0).payload();
    assertThat(pat[0]).as("pointer_field").isZero();
    byte[] patSection = Arrays.copyOfRange(pat, 1, 1 + 3 + (pat[3] & 0xFF));
    assertThat(patSection)
        .startsWith(0x00, 0xB0, 0x0D, 0x00, 0x01, 0xC1, 0x00, 0x00, 0x00, 0x01, 0xF0, 0x00);
    assertThat(Crc32Mpeg2.compute(patSection, 0, patSection.length)).isZero();
    // Known CRC of this exact PAT (program 1 on PID 0x1000, TSID 1), as FFmpeg writes it.
    assertThat(Arrays.copyOfRange(patSection, 12, 16)).containsExactly(0x2A, 0xB1, 0x04, 0xB2);
    for (int i = 1 + patSection.length; i < pat.length; i++) {
      assertThat(pat[i] & 0xFF).isEqualTo(0xFF);
    }

    byte[] pmt = packets.get(1).payload();
    byte[] pmtSection = Arrays.copyOfRange(pmt, 1, 1 + 3 + (pmt[3] & 0xFF));
    assertThat(pmtSection)
        .startsWith(
            0x02, 0xB0, 0x17, 0x00, 0x01, 0xC1, 0x00, 0x00, 0xE1, 0x00, 0xF0, 0x00, // PCR 0x100
            0x1B, 0xE1, 0x00, 0xF0, 0x00, // H.264 on 0x100
            0x0F, 0xE1, 0x01, 0xF0, 0x00); // AAC on 0x101
    assertThat(Crc32Mpeg2.compute(pmtSection, 0, pmtSection.length)).isZero();
  }

  @Test
  void write_withoutAudio_pmtListsVideoOnly() {
    byte[] ts = mux(3, 3, 0, false, false, null);

    TsScan scan = TsTestStreams.scan(ts);
    assertThat(scan.streams())
        .containsExactly(new ElementaryStream(TsMuxer.VIDEO_PID, TsMuxer.STREAM_TYPE_H264));
    assertThat(scan.audioPid()).isEmpty();
  }

  @Test
  void write_payloadsComeBackByteForByte_withAudPrepended() {
    List<Frame> frames = new ArrayList<>();
    byte[] ts = mux(25, 10, 0, true, true, frames);

    Map<Integer, List<byte[]>> pes = pesPackets(ts);
    List<byte[]> video = pes.get(TsMuxer.VIDEO_PID);
    assertThat(video).hasSize(frames.size());
    for (int i = 0; i < frames.size(); i++) {
      assertThat(pesPayload(video.get(i))).isEqualTo(concat(AUD, frames.get(i).data()));
    }
    List<byte[]> audio = pes.get(TsMuxer.AUDIO_PID);
    assertThat(audio).hasSize(25);
    assertThat(pesPayload(audio.get(0))).isEqualTo(concat(adtsFrame(200), adtsFrame(180)));
  }

  @Test
  void writeVideo_accessUnitStartingWithAud_notPrependedAgain() throws IOException {
    byte[] au = concat(new byte[] {0, 0, 1, 0x09, 0x10}, accessUnit(true, 50, 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, false)) {
      muxer.writeVideo(0, 0, au, true);
    }

    assertThat(pesPayload(pesPackets(out.toByteArray()).get(TsMuxer.VIDEO_PID).get(0)))
        .isEqualTo(au);
  }

  @Test
  void writeVideo_pesHeader_ptsDtsWithMarkerBitsAndFlags() throws IOException {
    long pts = 0x1_2345_6789L; // all 33 bits in use
    long dts = pts - 6006;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, false)) {
      muxer.writeVideo(pts, dts, accessUnit(true, 10, 0), true);
      muxer.writeVideo(pts + 3003, pts + 3003, accessUnit(false, 10, 1), false);
    }
    List<byte[]> pes = pesPackets(out.toByteArray()).get(TsMuxer.VIDEO_PID);

    byte[] key = pes.get(0);
    assertThat(Arrays.copyOf(key, 9))
        .containsExactly(0, 0, 1, 0xE0, 0, 0, 0x84, 0xC0, 10); // unbounded, aligned, PTS+DTS
    assertThat(key[9] >> 4).as("'0011' prefix").isEqualTo(3);
    assertThat(key[14] >> 4).as("'0001' prefix").isEqualTo(1);
    for (int i : new int[] {9, 11, 13, 14, 16, 18}) {
      assertThat(key[i] & 1).as("marker bit in byte %s", i).isEqualTo(1);
    }
    assertThat(Timestamps.readPesTimestamp(key, 9)).isEqualTo(pts);
    assertThat(Timestamps.readPesTimestamp(key, 14)).isEqualTo(dts);

    byte[] other = pes.get(1);
    assertThat(Arrays.copyOf(other, 9))
        .as("no alignment flag, PTS only")
        .containsExactly(0, 0, 1, 0xE0, 0, 0, 0x80, 0x80, 5);
    assertThat(other[9] >> 4).as("'0010' prefix").isEqualTo(2);
    assertThat(Timestamps.readPesTimestamp(other, 9)).isEqualTo(pts + 3003);
  }

  @Test
  void writeAudio_pesHeader_boundedLengthAndPts() throws IOException {
    byte[] frames = concat(adtsFrame(100), adtsFrame(120));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, true)) {
      muxer.writeAudio(1234, frames);
    }

    byte[] pes = pesPackets(out.toByteArray()).get(TsMuxer.AUDIO_PID).get(0);
    int length = ((pes[4] & 0xFF) << 8) | (pes[5] & 0xFF);
    assertThat(length).isEqualTo(8 + frames.length);
    assertThat(pes[3] & 0xFF).isEqualTo(0xC0);
    assertThat(Timestamps.readPesTimestamp(pes, 9)).isEqualTo(1234);
    assertThat(pesPayload(pes)).isEqualTo(frames);
  }

  @Test
  void writeVideo_timestampsPast2To33_writtenModulo() throws IOException {
    long wrap = 1L << 33;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, false)) {
      muxer.writeVideo(wrap - 3000, wrap - 3000, accessUnit(true, 10, 0), true);
      muxer.writeVideo(wrap, wrap, accessUnit(false, 10, 1), false);
      muxer.writeVideo(wrap + 3000, wrap + 3000, accessUnit(false, 10, 2), false);
    }
    List<byte[]> pes = pesPackets(out.toByteArray()).get(TsMuxer.VIDEO_PID);

    assertThat(Timestamps.readPesTimestamp(pes.get(0), 9)).isEqualTo(wrap - 3000);
    assertThat(Timestamps.readPesTimestamp(pes.get(1), 9)).isZero();
    assertThat(Timestamps.readPesTimestamp(pes.get(2), 9)).isEqualTo(3000);
    TsScan scan = TsTestStreams.scan(out.toByteArray());
    assertThat(scan.accessUnits())
        .extracting(VideoAccessUnit::pts90k)
        .containsExactly(wrap - 3000, wrap, wrap + 3000);
    assertThat(scan.videoDuration90k()).isEqualTo(9000);
  }

  @Test
  void writeVideo_keyframe_randomAccessAndPcrInFirstPacket() {
    byte[] ts = mux(12, 6, 90_000, false, false, null);

    for (Packet packet : packets(ts)) {
      if (packet.pid() != TsMuxer.VIDEO_PID) {
        continue;
      }
      if (packet.unitStart()) {
        assertThat(packet.hasPcr()).as("PCR at %s", packet.offset()).isTrue();
      }
      if (packet.randomAccess()) {
        assertThat(packet.unitStart()).isTrue();
      }
    }
    long randomAccess =
        packets(ts).stream().filter(p -> p.pid() == TsMuxer.VIDEO_PID && p.randomAccess()).count();
    assertThat(randomAccess).isEqualTo(2);
  }

  @Test
  void writeVideo_pcrEqualsDts_andGapsOver100msFilled() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, false)) {
      // 2 fps: 500 ms between frames.
      for (int i = 0; i < 4; i++) {
        muxer.writeVideo(i * 45_000L, i * 45_000L, accessUnit(i == 0, 20, i), i == 0);
      }
    }
    byte[] ts = out.toByteArray();

    List<Long> pcrs = new ArrayList<>();
    for (Packet packet : packets(ts)) {
      if (packet.hasPcr()) {
        assertThat(packet.pid()).isEqualTo(TsMuxer.VIDEO_PID);
        pcrs.add(Timestamps.readPcrBase(ts, packet.offset() + 6));
      }
    }
    assertThat(pcrs.get(0)).isZero();
    assertThat(pcrs.get(pcrs.size() - 1)).isEqualTo(135_000);
    for (int i = 1; i < pcrs.size(); i++) {
      assertThat(pcrs.get(i) - pcrs.get(i - 1))
          .as("PCR step %s", i)
          .isBetween(1L, TsMuxer.PCR_INTERVAL_90K);
    }
    // The fill packets carry no payload and do not upset the scanner.
    assertThat(TsTestStreams.scan(ts).accessUnitCount()).isEqualTo(4);
    assertThat(TsTestStreams.scan(ts).continuityErrors()).isZero();
  }

  @Test
  void writeVideo_timelineJumpOverTenSeconds_notFilled() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, false)) {
      muxer.writeVideo(0, 0, accessUnit(true, 20, 0), true);
      muxer.writeVideo(3_600 * 90_000L, 3_600 * 90_000L, accessUnit(false, 20, 1), false);
    }

    assertThat(out.size()).isLessThan(10 * 188);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 150, 151, 152, 153, 154, 155, 156, 157, 170, 184, 300, 70_000})
  void writeVideo_anySize_lastPacketStuffedWithAdaptationField(int sliceBytes) throws IOException {
    byte[] au = accessUnit(false, sliceBytes, 3);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, false)) {
      muxer.writeVideo(0, 0, au, false);
      muxer.writeVideo(3000, 3000, au, false);
    }
    byte[] ts = out.toByteArray();

    for (Packet packet : packets(ts)) {
      if ((packet.adaptationFieldControl() & 2) != 0) {
        assertThat(packet.adaptationLength()).isLessThanOrEqualTo(182);
        int stuffingFrom = packet.offset() + 6 + (packet.hasPcr() ? 6 : 0);
        for (int i = stuffingFrom; i < packet.offset() + 5 + packet.adaptationLength(); i++) {
          assertThat(ts[i] & 0xFF).as("stuffing byte at %s", i).isEqualTo(0xFF);
        }
      }
    }
    List<byte[]> pes = pesPackets(ts).get(TsMuxer.VIDEO_PID);
    assertThat(pes).hasSize(2);
    assertThat(pesPayload(pes.get(0))).isEqualTo(concat(AUD, au));
    assertThat(pesPayload(pes.get(1))).isEqualTo(concat(AUD, au));
  }

  @Test
  void close_withoutFrames_writesTablesOnly() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TsMuxer(out, true).close();

    assertThat(out.size()).isEqualTo(2 * 188);
    TsScan scan = TsTestStreams.scan(out.toByteArray());
    assertThat(scan.streams()).hasSize(2);
    assertThat(scan.accessUnitCount()).isZero();
  }

  @Test
  void close_closesUnderlyingStreamOnce_andLaterWritesFail() throws IOException {
    int[] closes = {0};
    OutputStream out =
        new ByteArrayOutputStream() {
          @Override
          public void close() {
            closes[0]++;
          }
        };
    TsMuxer muxer = new TsMuxer(out, true);
    muxer.close();
    muxer.close();

    assertThat(closes[0]).isEqualTo(1);
    assertThatThrownBy(() -> muxer.writeVideo(0, 0, accessUnit(true, 1, 0), true))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(muxer::flush).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void flush_writesBufferedPackets() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TsMuxer muxer = new TsMuxer(out, false);
    muxer.writeVideo(0, 0, accessUnit(true, 10, 0), true);
    assertThat(out.size()).isZero();

    muxer.flush();

    assertThat(out.size()).isEqualTo(3 * 188);
  }

  @Test
  void writeAudio_withoutAudioStream_illegalState() {
    TsMuxer muxer = new TsMuxer(new ByteArrayOutputStream(), false);

    assertThatThrownBy(() -> muxer.writeAudio(0, adtsFrame(10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without audio");
  }

  @Test
  void writeVideo_badArguments_rejectedWithValue() {
    TsMuxer muxer = new TsMuxer(new ByteArrayOutputStream(), false);
    byte[] au = accessUnit(true, 10, 0);

    assertThatThrownBy(() -> muxer.writeVideo(-1, 0, au, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pts90k must not be negative: -1");
    assertThatThrownBy(() -> muxer.writeVideo(0, -1, au, true))
        .hasMessageContaining("dts90k must not be negative: -1");
    assertThatThrownBy(() -> muxer.writeVideo(100, 200, au, true))
        .hasMessageContaining("dts90k 200 must not be after pts90k 100");
    assertThatThrownBy(() -> muxer.writeVideo(1L << 33, 0, au, true))
        .hasMessageContaining("more than 2^32 ticks");
    assertThatThrownBy(() -> muxer.writeVideo(0, 0, new byte[] {1, 2, 3, 4}, true))
        .hasMessageContaining("start code");
    assertThatThrownBy(() -> muxer.writeVideo(0, 0, new byte[0], true))
        .hasMessageContaining("start code");
    assertThatThrownBy(() -> muxer.writeVideo(0, 0, new byte[] {0, 0, 1}, true))
        .hasMessageContaining("no NAL unit");
    assertThatThrownBy(() -> muxer.writeVideo(0, 0, null, true))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void writeVideo_dtsGoingBack_rejected() throws IOException {
    TsMuxer muxer = new TsMuxer(new ByteArrayOutputStream(), false);
    muxer.writeVideo(9000, 9000, accessUnit(true, 10, 0), true);

    assertThatThrownBy(() -> muxer.writeVideo(9000, 6000, accessUnit(false, 10, 1), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dts90k 6000 goes back from the previous access unit's 9000");
  }

  @Test
  void writeAudio_badAdts_rejectedWithPosition() {
    TsMuxer muxer = new TsMuxer(new ByteArrayOutputStream(), true);
    byte[] frame = adtsFrame(20);

    assertThatThrownBy(() -> muxer.writeAudio(0, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> muxer.writeAudio(0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .hasMessageContaining("ADTS frame 0 at byte 0: no syncword");
    assertThatThrownBy(() -> muxer.writeAudio(0, concat(frame, new byte[] {(byte) 0xFF, 0})))
        .hasMessageContaining("ADTS frame 1 at byte 27: 2 bytes left");
    assertThatThrownBy(() -> muxer.writeAudio(0, Arrays.copyOf(frame, 20)))
        .hasMessageContaining("frame_length 27 runs past the end (20 bytes)");
    byte[] zeroLength = frame.clone();
    zeroLength[3] &= (byte) 0xFC;
    zeroLength[4] = 0;
    zeroLength[5] &= 0x1F;
    assertThatThrownBy(() -> muxer.writeAudio(0, zeroLength))
        .hasMessageContaining("frame_length 0 is shorter than its header");
    assertThatThrownBy(() -> muxer.writeAudio(-5, frame))
        .hasMessageContaining("pts90k must not be negative: -5");
  }

  @Test
  void writeAudio_overPesLimit_rejected() {
    TsMuxer muxer = new TsMuxer(new ByteArrayOutputStream(), true);
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      frames.add(adtsFrame(1000));
    }

    assertThatThrownBy(() -> muxer.writeAudio(0, concat(frames.toArray(new byte[0][]))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than one PES packet holds (65527)");
  }

  @Test
  void constructor_nullStream_rejected() {
    assertThatThrownBy(() -> new TsMuxer(null, false))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("out");
  }

  @Test
  void timestamps_pesRoundTrip_andMarkerCheck() {
    byte[] buffer = new byte[5];
    for (long ts : new long[] {0, 1, 0x1FFFFFFFFL, 0x100000000L, 0x0AAAAAAAAL, 0x155555555L}) {
      Timestamps.writePesTimestamp(buffer, 0, 2, ts);
      assertThat(Timestamps.readPesTimestamp(buffer, 0)).isEqualTo(ts);
    }
    buffer[2] &= (byte) 0xFE;
    assertThat(Timestamps.readPesTimestamp(buffer, 0)).isEqualTo(-1);
  }

  @Test
  void timestamps_pcrRoundTrip() {
    byte[] buffer = new byte[6];
    for (long ts : new long[] {0, 1, 0x1FFFFFFFFL, 0x123456789L}) {
      Timestamps.writePcr(buffer, 0, ts);
      assertThat(Timestamps.readPcrBase(buffer, 0)).isEqualTo(ts);
      assertThat(buffer[4] & 0x7E).as("reserved bits").isEqualTo(0x7E);
    }
  }

  @Test
  void crc32Mpeg2_knownCheckValue() {
    // The CRC-32/MPEG-2 check value of "123456789".
    byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(Crc32Mpeg2.compute(check, 0, check.length)).isEqualTo(0x0376E6E7);
  }
}
