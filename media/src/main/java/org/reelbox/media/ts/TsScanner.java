package org.reelbox.media.ts;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads a transport stream (ISO/IEC 13818-1) packet by packet and reports its program, its video
 * access units with their timestamps, keyframe flags and byte ranges, and the span of its audio. An
 * HLS packager uses it to compute each segment's exact {@code EXTINF} and the byte ranges of an
 * I-frame playlist (RFC 8216 §4.3.3.6); see {@link TsPlaylists}.
 *
 * <h2>What it reads</h2>
 *
 * The first program of the first PAT; the streams of that program's first PMT; of these, the first
 * video stream (H.264 or HEVC) and the first audio stream. A video access unit is a PES packet on
 * the video PID (one access unit per PES, as HLS requires); it starts at a packet with
 * payload_unit_start_indicator set. Packets of other PIDs, and null packets, are skipped, as are
 * video packets before the first PES start (a stream cut mid-PES).
 *
 * <h2>Strictness</h2>
 *
 * The scanner does not resync: HLS segments are produced whole, so a stream that breaks the rules
 * below is corrupt, and a {@link TsFormatException} names the offset of the packet at fault:
 *
 * <ul>
 *   <li>a packet not starting with the sync byte 0x47, or fewer than 188 bytes left at the end;
 *   <li>transport_error_indicator set; adaptation_field_control 00 (reserved); an
 *       adaptation_field_length beyond the packet (over 182 with payload, not 183 without), or too
 *       short for the PCR it flags;
 *   <li>a PAT or PMT section longer than 1021 bytes, with a bad CRC, or with lengths that overrun
 *       it; a pointer_field beyond the packet;
 *   <li>a video PES without the 00 00 01 start code, without a PTS, with PTS_DTS_flags 01, with a
 *       header shorter than its timestamps, with a marker bit of 0 in a timestamp, or cut off at
 *       the end of the stream.
 * </ul>
 *
 * Lost packets (continuity_counter jumps) are counted ({@link TsScan#continuityErrors()}), not
 * thrown: the stream is still readable.
 *
 * <h2>Memory and time</h2>
 *
 * One pass, one packet in memory at a time, plus at most one PSI section (1,024 bytes) and one PES
 * header (264 bytes) per stream: whatever the input claims about its sizes, the scanner allocates
 * nothing in proportion to them, and every loop advances through the input. {@link
 * #scan(InputStream)} keeps one {@link VideoAccessUnit} per access unit (about 80 bytes: an hour at
 * 30 fps is under 10 MB); {@link #scan(InputStream, Consumer)} keeps none.
 */
public final class TsScanner {

  private static final int PACKET_SIZE = TsMuxer.PACKET_SIZE;
  private static final int NULL_PID = 0x1FFF;
  private static final int MAX_SECTION_LENGTH = 1021; // §2.4.4.3: section_length ≤ 0x3FD
  private static final int MAX_PES_HEADER = 9 + 255;

  /** The largest access unit {@link #demux} hands out: a 4K intra frame is a few MB. */
  public static final int MAX_ACCESS_UNIT_BYTES = 64 << 20;

  private final Consumer<VideoAccessUnit> sink;
  private final Consumer<VideoSample> sampleSink; // null unless demuxing
  private byte[] auData = new byte[0];
  private int auDataLength;
  private final byte[] packet = new byte[PACKET_SIZE];
  private final int[] continuityCounters = new int[8192]; // per PID; -1 before its first packet
  private final Timestamps.Unwrapper unwrapper = new Timestamps.Unwrapper();
  private final SectionAssembler patAssembler = new SectionAssembler("PAT", this::readPat);
  private final SectionAssembler pmtAssembler = new SectionAssembler("PMT", this::readPmt);
  private final PesHeader videoHeader = new PesHeader();
  private final PesHeader audioHeader = new PesHeader();

  private long offset; // of the current packet
  private int pmtPid = -1;
  private List<ElementaryStream> streams = List.of();
  private int videoPid = -1;
  private int audioPid = -1;
  private boolean hevc;
  private long psiRunStart = -1; // first of the PAT/PMT packets right before the current packet
  private long continuityErrors;

  // The access unit being read.
  private boolean inAccessUnit;
  private long auOffset;
  private long auFrameOffset;
  private long auLastPacketEnd;
  private boolean auRandomAccess;
  private boolean auIdr;
  private long auPts;
  private long auDts;
  private int nalZeros;
  private boolean nalHeaderNext;

  // Totals.
  private long accessUnitCount;
  private long keyframeCount;
  private long minPts = Long.MAX_VALUE;
  private long maxPts = Long.MIN_VALUE;
  private long lastDts;
  private long lastDtsStep;
  private long firstAudioPts = Long.MIN_VALUE;
  private long lastAudioPts = Long.MIN_VALUE;

  private TsScanner(Consumer<VideoAccessUnit> sink) {
    this(sink, null);
  }

  private TsScanner(Consumer<VideoAccessUnit> sink, Consumer<VideoSample> sampleSink) {
    this.sink = sink;
    this.sampleSink = sampleSink;
    Arrays.fill(continuityCounters, -1);
  }

  /**
   * Scans a whole stream and keeps every access unit. Reads {@code in} to its end; does not close
   * it.
   *
   * @throws TsFormatException if the stream breaks a rule listed in the class comment
   * @throws IOException if reading fails
   */
  public static TsScan scan(InputStream in) throws IOException, TsFormatException {
    List<VideoAccessUnit> accessUnits = new ArrayList<>();
    TsScan scan = new TsScanner(accessUnits::add).run(requireNonNull(in, "in"));
    return new TsScan(
        scan.sizeBytes(),
        scan.streams(),
        scan.videoPid(),
        scan.audioPid(),
        accessUnits,
        scan.accessUnitCount(),
        scan.keyframeCount(),
        scan.firstVideoPts90k(),
        scan.videoDuration90k(),
        scan.firstAudioPts90k(),
        scan.lastAudioPts90k(),
        scan.continuityErrors());
  }

  /**
   * Scans a whole stream, handing each access unit to {@code sink} as soon as its end is known, in
   * memory independent of the stream's length. The result's {@link TsScan#accessUnits()} is empty.
   * Reads {@code in} to its end; does not close it.
   *
   * @throws TsFormatException if the stream breaks a rule listed in the class comment
   * @throws IOException if reading fails
   */
  public static TsScan scan(InputStream in, Consumer<VideoAccessUnit> sink)
      throws IOException, TsFormatException {
    return new TsScanner(requireNonNull(sink, "sink")).run(requireNonNull(in, "in"));
  }

  /**
   * Scans a whole stream like {@link #scan(InputStream, Consumer)}, and also hands each video
   * access unit's payload (the PES payload: Annex B NAL units) to {@code sink} with its {@link
   * VideoAccessUnit}, in stream order, as soon as its end is known. Memory holds one access unit at
   * a time. The result's {@link TsScan#accessUnits()} is empty. Reads {@code in} to its end; does
   * not close it.
   *
   * @throws TsFormatException if the stream breaks a rule listed in the class comment, or an access
   *     unit is larger than {@link #MAX_ACCESS_UNIT_BYTES}
   * @throws IOException if reading fails
   */
  public static TsScan demux(InputStream in, Consumer<VideoSample> sink)
      throws IOException, TsFormatException {
    requireNonNull(sink, "sink");
    return new TsScanner(unit -> {}, sink).run(requireNonNull(in, "in"));
  }

  private TsScan run(InputStream in) throws IOException, TsFormatException {
    while (true) {
      int n = in.readNBytes(packet, 0, PACKET_SIZE);
      if (n == 0) {
        break;
      }
      if (n < PACKET_SIZE) {
        throw error("truncated packet: the stream ends " + n + " bytes into it");
      }
      readPacket();
      offset += PACKET_SIZE;
    }
    finishAccessUnit(offset);
    long duration = 0;
    if (accessUnitCount > 0) {
      duration = maxPts - minPts + lastDtsStep;
    }
    return new TsScan(
        offset,
        streams,
        videoPid >= 0 ? OptionalInt.of(videoPid) : OptionalInt.empty(),
        audioPid >= 0 ? OptionalInt.of(audioPid) : OptionalInt.empty(),
        List.of(),
        accessUnitCount,
        keyframeCount,
        accessUnitCount > 0 ? OptionalLong.of(minPts) : OptionalLong.empty(),
        Math.max(0, duration),
        firstAudioPts != Long.MIN_VALUE ? OptionalLong.of(firstAudioPts) : OptionalLong.empty(),
        lastAudioPts != Long.MIN_VALUE ? OptionalLong.of(lastAudioPts) : OptionalLong.empty(),
        continuityErrors);
  }

  private void readPacket() throws TsFormatException {
    if ((packet[0] & 0xFF) != TsMuxer.SYNC_BYTE) {
      throw error(
          String.format(
              "lost sync: packet starts with 0x%02X, not the sync byte 0x47", packet[0] & 0xFF));
    }
    if ((packet[1] & 0x80) != 0) {
      throw error("transport_error_indicator is set");
    }
    boolean unitStart = (packet[1] & 0x40) != 0;
    int pid = ((packet[1] & 0x1F) << 8) | (packet[2] & 0xFF);
    int adaptationFieldControl = (packet[3] >> 4) & 0x3;
    int continuityCounter = packet[3] & 0xF;
    if (adaptationFieldControl == 0) {
      throw error("adaptation_field_control is 00 (reserved) on PID " + pid);
    }
    boolean hasPayload = (adaptationFieldControl & 1) != 0;
    int payloadStart = 4;
    boolean randomAccess = false;
    boolean discontinuity = false;
    if ((adaptationFieldControl & 2) != 0) {
      int length = packet[4] & 0xFF;
      int max = hasPayload ? 182 : 183;
      if (length > max || (!hasPayload && length != 183)) {
        throw error(
            "adaptation_field_length "
                + length
                + (hasPayload
                    ? " exceeds 182 in a packet with payload"
                    : " is not 183 without payload"));
      }
      if (length > 0) {
        int flags = packet[5] & 0xFF;
        discontinuity = (flags & 0x80) != 0;
        randomAccess = (flags & 0x40) != 0;
        if ((flags & 0x10) != 0 && length < 7) {
          throw error("adaptation field of " + length + " bytes is too short for its PCR");
        }
      }
      payloadStart = 5 + length;
    }

    if (pid == NULL_PID) {
      return;
    }
    if (hasPayload) {
      checkContinuity(pid, continuityCounter, discontinuity);
    }
    boolean psi = pid == TsMuxer.PAT_PID || pid == pmtPid;
    if (psi) {
      if (psiRunStart < 0) {
        psiRunStart = offset;
      }
    }

    if (hasPayload && payloadStart < PACKET_SIZE) {
      int length = PACKET_SIZE - payloadStart;
      if (pid == TsMuxer.PAT_PID) {
        patAssembler.feed(unitStart, packet, payloadStart, length);
      } else if (pid == pmtPid) {
        pmtAssembler.feed(unitStart, packet, payloadStart, length);
      } else if (pid == videoPid) {
        readVideo(unitStart, randomAccess, payloadStart, length);
      } else if (pid == audioPid) {
        readAudio(unitStart, payloadStart, length);
      }
    } else if (pid == videoPid && inAccessUnit) {
      auLastPacketEnd = offset + PACKET_SIZE; // an adaptation-only packet inside the PES
    }

    if (!psi) {
      psiRunStart = -1;
    }
  }

  private void checkContinuity(int pid, int counter, boolean discontinuity) {
    int previous = continuityCounters[pid];
    continuityCounters[pid] = counter;
    if (previous < 0 || discontinuity) {
      return;
    }
    if (counter != ((previous + 1) & 0xF) && counter != previous) {
      continuityErrors++;
    }
  }

  // --- program tables

  private void readPat(byte[] section) throws TsFormatException {
    if ((section[0] & 0xFF) != 0x00) {
      throw error(String.format("PAT has table_id 0x%02X, not 0x00", section[0] & 0xFF));
    }
    if (pmtPid >= 0) {
      return; // the first PAT decides
    }
    int end = sectionEnd(section);
    for (int i = 8; i + 4 <= end; i += 4) {
      int programNumber = ((section[i] & 0xFF) << 8) | (section[i + 1] & 0xFF);
      int pid = ((section[i + 2] & 0x1F) << 8) | (section[i + 3] & 0xFF);
      if (programNumber != 0) { // 0 is the network PID
        pmtPid = pid;
        return;
      }
    }
  }

  private void readPmt(byte[] section) throws TsFormatException {
    if ((section[0] & 0xFF) != 0x02) {
      throw error(String.format("PMT has table_id 0x%02X, not 0x02", section[0] & 0xFF));
    }
    int end = sectionEnd(section);
    if (end < 12) {
      throw error("PMT section of " + (end + 4) + " bytes is too short");
    }
    int programInfoLength = ((section[10] & 0x0F) << 8) | (section[11] & 0xFF);
    int i = 12 + programInfoLength;
    if (i > end) {
      throw error("PMT program_info_length " + programInfoLength + " overruns the section");
    }
    List<ElementaryStream> found = new ArrayList<>();
    while (i < end) {
      if (i + 5 > end) {
        throw error("PMT stream entry overruns the section");
      }
      int streamType = section[i] & 0xFF;
      int pid = ((section[i + 1] & 0x1F) << 8) | (section[i + 2] & 0xFF);
      int esInfoLength = ((section[i + 3] & 0x0F) << 8) | (section[i + 4] & 0xFF);
      i += 5 + esInfoLength;
      if (i > end) {
        throw error("PMT ES_info_length " + esInfoLength + " overruns the section");
      }
      found.add(new ElementaryStream(pid, streamType));
    }
    if (!streams.isEmpty()) {
      return; // the first PMT decides; HLS segments repeat the same one
    }
    streams = List.copyOf(found);
    for (ElementaryStream stream : streams) {
      if (videoPid < 0 && stream.isVideo()) {
        videoPid = stream.pid();
        hevc = stream.streamType() == ElementaryStream.STREAM_TYPE_HEVC;
      } else if (audioPid < 0 && stream.isAudio()) {
        audioPid = stream.pid();
      }
    }
  }

  /** The end of a checked section's loop data: the offset of its CRC_32. */
  private int sectionEnd(byte[] section) throws TsFormatException {
    if ((section[1] & 0x80) == 0) {
      throw error("PSI section without section_syntax_indicator");
    }
    if (section.length < 12) {
      throw error("PSI section of " + section.length + " bytes is too short");
    }
    if (Crc32Mpeg2.compute(section, 0, section.length) != 0) {
      throw error("PSI section (table_id " + (section[0] & 0xFF) + ") fails its CRC_32");
    }
    return section.length - 4;
  }

  /** Receives a completed PSI section. */
  private interface SectionHandler {
    void accept(byte[] section) throws TsFormatException;
  }

  /**
   * Gathers PSI sections from the payloads of successive packets (§2.4.4.1): a pointer_field on a
   * unit start says where the next section begins; section_length says where it ends; 0xFF where a
   * table_id would be is stuffing to the end of the packet. Holds at most 3 + 1021 bytes.
   */
  private final class SectionAssembler {
    private final String table;
    private final SectionHandler handler;
    private final byte[] buffer = new byte[3 + MAX_SECTION_LENGTH];
    private int filled = -1; // -1: not inside a section

    SectionAssembler(String table, SectionHandler handler) {
      this.table = table;
      this.handler = handler;
    }

    void feed(boolean unitStart, byte[] data, int from, int length) throws TsFormatException {
      int start = from;
      int end = from + length;
      if (unitStart) {
        int pointer = data[from] & 0xFF;
        start = from + 1;
        if (start + pointer > end) {
          throw error(table + " pointer_field " + pointer + " points past the packet");
        }
        if (filled > 0) {
          append(data, start, start + pointer); // the tail of the section in progress
        }
        start += pointer;
        filled = 0; // a section starts here; one left incomplete (lost packets) is dropped
      } else if (filled < 0) {
        return; // continuation of a section whose start we did not see
      }
      append(data, start, end);
    }

    private void append(byte[] data, int from, int to) throws TsFormatException {
      int i = from;
      while (i < to && filled >= 0) {
        if (filled == 0 && (data[i] & 0xFF) == 0xFF) {
          filled = -1; // stuffing after the last section of this packet
          return;
        }
        int total = total();
        int n = Math.min((total < 0 ? 3 : total) - filled, to - i);
        System.arraycopy(data, i, buffer, filled, n);
        filled += n;
        i += n;
        total = total();
        if (total >= 0 && filled == total) {
          filled = 0; // another section may follow in the same packet
          handler.accept(Arrays.copyOf(buffer, total));
        }
      }
    }

    /** The section's full length once its first 3 bytes are in, else -1. */
    private int total() throws TsFormatException {
      if (filled < 3) {
        return -1;
      }
      int sectionLength = ((buffer[1] & 0x0F) << 8) | (buffer[2] & 0xFF);
      if (sectionLength > MAX_SECTION_LENGTH) {
        throw error(table + " section_length " + sectionLength + " exceeds 1021");
      }
      return 3 + sectionLength;
    }
  }

  // --- video

  private void readVideo(boolean unitStart, boolean randomAccess, int from, int length)
      throws TsFormatException {
    if (unitStart) {
      finishAccessUnit(offset);
      inAccessUnit = true;
      auOffset = offset;
      auFrameOffset = psiRunStart >= 0 ? psiRunStart : offset;
      auRandomAccess = randomAccess;
      auIdr = false;
      auDataLength = 0;
      nalZeros = 0;
      nalHeaderNext = false;
      videoHeader.reset();
    } else if (!inAccessUnit) {
      return; // joined mid-PES
    }
    auLastPacketEnd = offset + PACKET_SIZE;
    int consumed = 0;
    if (!videoHeader.complete()) {
      consumed = videoHeader.feed(packet, from, length);
      if (!videoHeader.complete()) {
        return;
      }
      videoHeader.check(true);
      auPts = unwrapper.unwrap(videoHeader.pts());
      long dts = videoHeader.dts();
      auDts = dts >= 0 ? unwrapper.unwrap(dts) : auPts;
    }
    scanNals(from + consumed, from + length);
    if (sampleSink != null) {
      appendPayload(from + consumed, from + length);
    }
  }

  /**
   * Looks for an IDR NAL unit: a start code 00 00 01, then a NAL header whose type is IDR. Keeps
   * its state across packets, so a start code split between two packets is found.
   */
  private void scanNals(int from, int to) {
    if (auIdr) {
      return;
    }
    for (int i = from; i < to; i++) {
      int b = packet[i] & 0xFF;
      if (nalHeaderNext) {
        nalHeaderNext = false;
        int type = hevc ? (b >> 1) & 0x3F : b & 0x1F;
        if (hevc ? type >= 16 && type <= 21 : type == 5) {
          auIdr = true;
          return;
        }
      }
      if (b == 0) {
        nalZeros++;
      } else {
        nalHeaderNext = b == 1 && nalZeros >= 2;
        nalZeros = 0;
      }
    }
  }

  /** Keeps the payload bytes of the access unit being read, for {@link #demux}. */
  private void appendPayload(int from, int to) throws TsFormatException {
    int n = to - from;
    if (n <= 0) {
      return;
    }
    if (auDataLength + n > MAX_ACCESS_UNIT_BYTES) {
      throw new TsFormatException(
          auOffset, "video access unit larger than " + MAX_ACCESS_UNIT_BYTES + " bytes");
    }
    if (auDataLength + n > auData.length) {
      auData =
          Arrays.copyOf(
              auData,
              Math.min(MAX_ACCESS_UNIT_BYTES, Math.max(auDataLength + n, auData.length * 2)));
    }
    System.arraycopy(packet, from, auData, auDataLength, n);
    auDataLength += n;
  }

  private void finishAccessUnit(long end) throws TsFormatException {
    if (!inAccessUnit) {
      return;
    }
    inAccessUnit = false;
    if (!videoHeader.complete()) {
      throw new TsFormatException(auOffset, "video PES header is cut off");
    }
    boolean keyframe = auRandomAccess || auIdr;
    accessUnitCount++;
    if (keyframe) {
      keyframeCount++;
    }
    minPts = Math.min(minPts, auPts);
    maxPts = Math.max(maxPts, auPts);
    if (accessUnitCount > 1) {
      lastDtsStep = Math.max(0, auDts - lastDts);
    }
    lastDts = auDts;
    VideoAccessUnit unit =
        new VideoAccessUnit(
            auPts,
            auDts,
            keyframe,
            auOffset,
            end - auOffset,
            auFrameOffset,
            auLastPacketEnd - auFrameOffset);
    sink.accept(unit);
    if (sampleSink != null) {
      sampleSink.accept(new VideoSample(unit, Arrays.copyOf(auData, auDataLength)));
    }
  }

  // --- audio

  private void readAudio(boolean unitStart, int from, int length) throws TsFormatException {
    if (unitStart) {
      audioHeader.reset();
    } else if (audioHeader.idle()) {
      return;
    }
    if (audioHeader.complete()) {
      return;
    }
    audioHeader.feed(packet, from, length);
    if (audioHeader.complete()) {
      audioHeader.check(false);
      long pts = audioHeader.pts();
      if (pts >= 0) {
        long unwrapped = unwrapper.unwrap(pts);
        if (firstAudioPts == Long.MIN_VALUE) {
          firstAudioPts = unwrapped;
        }
        lastAudioPts = unwrapped;
      }
    }
  }

  // --- PES headers

  /** The fixed 9 bytes of a PES header and its optional fields, gathered across packets. */
  private final class PesHeader {
    private final byte[] bytes = new byte[MAX_PES_HEADER];
    private int filled = -1; // -1: idle
    private int needed;
    private boolean lengthKnown;

    void reset() {
      filled = 0;
      needed = 9;
      lengthKnown = false;
    }

    boolean idle() {
      return filled < 0;
    }

    boolean complete() {
      return lengthKnown && filled == needed;
    }

    /** Takes header bytes from the packet; returns how many it took. */
    int feed(byte[] data, int from, int length) {
      int taken = 0;
      while (taken < length && !complete()) {
        int n = Math.min(needed - filled, length - taken);
        System.arraycopy(data, from + taken, bytes, filled, n);
        filled += n;
        taken += n;
        if (!lengthKnown && filled == 9) {
          lengthKnown = true;
          needed = 9 + (bytes[8] & 0xFF); // PES_header_data_length: at most 255 more
        }
      }
      return taken;
    }

    /** Checks the start code and the timestamp fields; video needs a PTS. */
    void check(boolean video) throws TsFormatException {
      long at = video ? auOffset : offset;
      if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 1) {
        throw new TsFormatException(at, "PES packet without the 00 00 01 start code");
      }
      int flags = (bytes[7] & 0xC0) >> 6;
      int headerLength = bytes[8] & 0xFF;
      if (flags == 1) {
        throw new TsFormatException(at, "PES PTS_DTS_flags is 01 (forbidden)");
      }
      if (video && flags == 0) {
        throw new TsFormatException(at, "video PES without a PTS");
      }
      if ((flags == 2 && headerLength < 5) || (flags == 3 && headerLength < 10)) {
        throw new TsFormatException(
            at, "PES_header_data_length " + headerLength + " is too short for its timestamps");
      }
      if ((flags & 2) != 0 && Timestamps.readPesTimestamp(bytes, 9) < 0) {
        throw new TsFormatException(at, "PES PTS has a marker bit of 0");
      }
      if (flags == 3 && Timestamps.readPesTimestamp(bytes, 14) < 0) {
        throw new TsFormatException(at, "PES DTS has a marker bit of 0");
      }
    }

    /** The PTS, or -1 without one. */
    long pts() {
      return (bytes[7] & 0x80) != 0 ? Timestamps.readPesTimestamp(bytes, 9) : -1;
    }

    /** The DTS, or -1 without one. */
    long dts() {
      return (bytes[7] & 0xC0) == 0xC0 ? Timestamps.readPesTimestamp(bytes, 14) : -1;
    }
  }

  private TsFormatException error(String reason) {
    return new TsFormatException(offset, reason);
  }
}
