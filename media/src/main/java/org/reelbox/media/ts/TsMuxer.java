package org.reelbox.media.ts;

import static java.util.Objects.requireNonNull;
import static org.reelbox.media.ts.Checks.checkArgument;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes an MPEG-2 transport stream (ISO/IEC 13818-1) of one program: an H.264 video stream and,
 * optionally, an AAC audio stream. Made for HLS segments (RFC 8216 §3.2): a packager creates one
 * muxer per segment file, starts each segment at a keyframe, and every segment so written plays on
 * its own.
 *
 * <p>What the output guarantees:
 *
 * <ul>
 *   <li>Every packet is 188 bytes and starts with the sync byte 0x47.
 *   <li>A PAT and a PMT come first, and again right before every keyframe, so a segment or an
 *       I-frame byte range that starts at a keyframe carries its own program tables.
 *   <li>PIDs are fixed: PMT {@value #PMT_PID}, video {@value #VIDEO_PID} (stream_type 0x1B, also
 *       the PCR PID), audio {@value #AUDIO_PID} (stream_type 0x0F, ADTS), program number {@value
 *       #PROGRAM_NUMBER}.
 *   <li>Continuity counters count per PID from 0 in every muxer, and advance only on packets that
 *       carry payload (§2.4.3.3).
 *   <li>One access unit or one batch of ADTS frames per PES packet; its last TS packet is filled
 *       with adaptation-field stuffing, never with PES padding, so the next PES starts a packet.
 *   <li>The first packet of a keyframe's PES has random_access_indicator set, and its PES header
 *       data_alignment_indicator.
 *   <li>Every video access unit starts with an access unit delimiter NAL (00 00 00 01 09 F0),
 *       prepended when the caller's does not start with one: Apple's HLS authoring spec requires
 *       it, and some players find frame boundaries by it.
 *   <li>The PCR is on the video PID, in the first packet of every video PES, valued at that access
 *       unit's DTS; when two access units are more than 100 ms apart, PCR-only packets fill the
 *       gap, so consecutive PCRs never differ by more than 100 ms (§2.7.2 allows 100 ms at most).
 *   <li>PTS and DTS are written modulo 2^33 with their marker bits; callers may pass timestamps
 *       past 2^33 (they wrap in the stream, as they do on air). DTS is written only when it differs
 *       from the PTS.
 * </ul>
 *
 * <p>The muxer trusts the caller about frames: it neither decodes the H.264 nor checks that a frame
 * flagged as a keyframe is an IDR. It does check what would make a broken stream: Annex B start
 * codes, ADTS framing, non-negative timestamps, DTS not after PTS, video DTS not going back.
 *
 * <p>Not thread-safe. Output is buffered; {@link #flush()} and {@link #close()} write it out, and
 * {@link #close()} closes the underlying stream.
 */
public final class TsMuxer implements Closeable, Flushable {

  /** The size of every transport stream packet. */
  public static final int PACKET_SIZE = 188;

  /** The PID of the program association table. */
  public static final int PAT_PID = 0x0000;

  /** The PID of the program map table. */
  public static final int PMT_PID = 0x1000;

  /** The PID of the H.264 stream, which also carries the PCR. */
  public static final int VIDEO_PID = 0x0100;

  /** The PID of the AAC stream. */
  public static final int AUDIO_PID = 0x0101;

  /** The program_number of the one program. */
  public static final int PROGRAM_NUMBER = 1;

  /** stream_type of H.264 video (ISO/IEC 13818-1 Table 2-34). */
  public static final int STREAM_TYPE_H264 = 0x1B;

  /** stream_type of AAC audio in ADTS framing (ISO/IEC 13818-7). */
  public static final int STREAM_TYPE_AAC_ADTS = 0x0F;

  static final int SYNC_BYTE = 0x47;
  static final int STREAM_ID_VIDEO = 0xE0;
  static final int STREAM_ID_AUDIO = 0xC0;

  /** §2.7.2: the PCR shall be encoded at intervals of 100 ms or less. */
  static final long PCR_INTERVAL_90K = 9_000;

  /**
   * Gaps longer than this (ten seconds) get no PCR-only packets: they are a jump in the timeline
   * rather than a slow frame rate, and filling them would write up to 90,000 packets per hour of
   * jump.
   */
  static final long MAX_PCR_FILL_GAP_90K = 900_000;

  private static final byte[] AUD = {0, 0, 0, 1, 0x09, (byte) 0xF0};
  private static final byte[] NO_BYTES = new byte[0];
  private static final int MAX_AUDIO_PES_PAYLOAD = 0xFFFF - 8; // PES_packet_length counts 8 more
  private static final int BUFFERED_PACKETS = 64;

  private final OutputStream out;
  private final boolean hasAudio;
  private final byte[] patPacketPayload;
  private final byte[] pmtPacketPayload;
  private final byte[] buffer = new byte[PACKET_SIZE * BUFFERED_PACKETS];
  private int buffered;

  private int patCc;
  private int pmtCc;
  private int videoCc;
  private int audioCc;
  private boolean tablesWritten;
  private boolean videoWritten;
  private long lastVideoDts90k;
  private long lastPcr90k;
  private boolean closed;

  /**
   * A muxer that writes to {@code out}.
   *
   * @param out where the packets go; closed by {@link #close()}
   * @param hasAudio whether the program has an AAC stream; {@link #writeAudio} needs it
   */
  public TsMuxer(OutputStream out, boolean hasAudio) {
    this.out = requireNonNull(out, "out");
    this.hasAudio = hasAudio;
    this.patPacketPayload = psiPayload(patSection());
    this.pmtPacketPayload = psiPayload(pmtSection(hasAudio));
  }

  /**
   * Writes one H.264 access unit as one PES packet.
   *
   * @param pts90k the presentation time, 90 kHz ticks, 0 or more
   * @param dts90k the decode time, 90 kHz ticks, 0 or more, at most {@code pts90k}, and not before
   *     the previous access unit's
   * @param annexBAccessUnit the NAL units of one access unit in Annex B byte stream format (each
   *     after a 00 00 01 or 00 00 00 01 start code), with SPS and PPS before a keyframe's slices;
   *     an access unit delimiter is prepended if the first NAL unit is not one
   * @param keyframe whether this access unit is a random access point (an IDR picture): it is
   *     preceded by a PAT and a PMT and flagged with random_access_indicator
   */
  public void writeVideo(long pts90k, long dts90k, byte[] annexBAccessUnit, boolean keyframe)
      throws IOException {
    checkOpen();
    requireNonNull(annexBAccessUnit, "annexBAccessUnit");
    checkArgument(pts90k >= 0, "pts90k must not be negative: %s", pts90k);
    checkArgument(dts90k >= 0, "dts90k must not be negative: %s", dts90k);
    checkArgument(dts90k <= pts90k, "dts90k %s must not be after pts90k %s", dts90k, pts90k);
    checkArgument(
        pts90k - dts90k < Timestamps.MODULUS / 2,
        "pts90k %s is more than 2^32 ticks after dts90k %s",
        pts90k,
        dts90k);
    checkArgument(
        !videoWritten || dts90k >= lastVideoDts90k,
        "dts90k %s goes back from the previous access unit's %s",
        dts90k,
        lastVideoDts90k);
    int startCode = startCodeLength(annexBAccessUnit, 0);
    checkArgument(
        startCode > 0,
        "annexBAccessUnit must start with a 00 00 01 or 00 00 00 01 start code (%s bytes)",
        annexBAccessUnit.length);
    checkArgument(
        annexBAccessUnit.length > startCode, "annexBAccessUnit has a start code but no NAL unit");
    boolean hasAud = (annexBAccessUnit[startCode] & 0x1F) == 9;

    // PCR fill first, so that the tables sit right before the keyframe: an I-frame byte range
    // that starts at them then holds nothing else.
    fillPcrGap(dts90k);
    if (!tablesWritten || keyframe) {
      writeTables();
    }
    lastPcr90k = dts90k;
    videoWritten = true;
    lastVideoDts90k = dts90k;

    boolean withDts = dts90k != pts90k;
    byte[] header = new byte[withDts ? 19 : 14];
    header[2] = 1;
    header[3] = (byte) STREAM_ID_VIDEO;
    // PES_packet_length 0: unbounded, which §2.4.3.7 allows for video in transport streams only,
    // and which lets an access unit exceed 64 KiB.
    header[6] = (byte) (0x80 | (keyframe ? 0x04 : 0)); // '10', data_alignment_indicator
    header[7] = (byte) (withDts ? 0xC0 : 0x80); // PTS_DTS_flags
    header[8] = (byte) (withDts ? 10 : 5); // PES_header_data_length
    Timestamps.writePesTimestamp(header, 9, withDts ? 0x3 : 0x2, pts90k);
    if (withDts) {
      Timestamps.writePesTimestamp(header, 14, 0x1, dts90k);
    }
    writePes(
        VIDEO_PID,
        header,
        hasAud ? NO_BYTES : AUD,
        annexBAccessUnit,
        /* pcr90k= */ dts90k,
        /* randomAccess= */ keyframe);
  }

  /**
   * Writes one or more whole ADTS frames (ISO/IEC 13818-7 §6.2) as one PES packet.
   *
   * @param pts90k the presentation time of the first frame, 90 kHz ticks, 0 or more
   * @param adtsFrames one or more complete ADTS frames, back to back, at most 65,527 bytes in all
   *     (a PES packet's length field is 16 bits)
   * @throws IllegalStateException if this muxer was made without audio
   */
  public void writeAudio(long pts90k, byte[] adtsFrames) throws IOException {
    checkOpen();
    if (!hasAudio) {
      throw new IllegalStateException("this muxer was created without audio");
    }
    requireNonNull(adtsFrames, "adtsFrames");
    checkArgument(pts90k >= 0, "pts90k must not be negative: %s", pts90k);
    checkArgument(
        adtsFrames.length <= MAX_AUDIO_PES_PAYLOAD,
        "adtsFrames is %s bytes, more than one PES packet holds (%s)",
        adtsFrames.length,
        MAX_AUDIO_PES_PAYLOAD);
    checkAdtsFrames(adtsFrames);
    if (!tablesWritten) {
      writeTables();
    }
    byte[] header = new byte[14];
    header[2] = 1;
    header[3] = (byte) STREAM_ID_AUDIO;
    int pesPacketLength = 8 + adtsFrames.length; // the header bytes after the length, then data
    header[4] = (byte) (pesPacketLength >>> 8);
    header[5] = (byte) pesPacketLength;
    header[6] = (byte) 0x80;
    header[7] = (byte) 0x80; // PTS only
    header[8] = 5;
    Timestamps.writePesTimestamp(header, 9, 0x2, pts90k);
    writePes(AUDIO_PID, header, NO_BYTES, adtsFrames, /* pcr90k= */ -1, false);
  }

  /** Writes buffered packets to the underlying stream and flushes it. */
  @Override
  public void flush() throws IOException {
    checkOpen();
    drain();
    out.flush();
  }

  /**
   * Writes buffered packets and closes the underlying stream. A muxer that wrote nothing writes a
   * PAT and a PMT, so its output is still a valid (empty) transport stream. Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!tablesWritten) {
        writeTables();
      }
      drain();
      out.flush();
    } finally {
      out.close();
    }
  }

  // --- PES packetization

  /**
   * Splits a PES packet (header, then prefix, then body) into TS packets. The first packet carries
   * the PCR and random_access_indicator when asked; the last is padded with adaptation-field
   * stuffing (§2.4.3.5), which is the only padding a PES in a transport stream may use between
   * packets.
   */
  private void writePes(
      int pid, byte[] header, byte[] prefix, byte[] body, long pcr90k, boolean randomAccess)
      throws IOException {
    long total = (long) header.length + prefix.length + body.length;
    long position = 0;
    boolean first = true;
    while (position < total) {
      byte[] packet = nextPacket();
      int p = buffered - PACKET_SIZE;
      boolean withPcr = first && pcr90k >= 0;
      boolean withRai = first && randomAccess;
      // Adaptation field bytes needed for flags: length byte, flags byte, then the PCR.
      int fieldBytes = withPcr || withRai ? 2 + (withPcr ? 6 : 0) : 0;
      int room = PACKET_SIZE - 4 - fieldBytes;
      int payload = (int) Math.min(room, total - position);
      int stuffing = room - payload;
      int adaptationBytes = fieldBytes + stuffing;
      int cc = pid == VIDEO_PID ? videoCc++ & 0xF : audioCc++ & 0xF;
      writeHeader(packet, p, pid, first, adaptationBytes > 0, /* payload= */ true, cc);
      int q = p + 4;
      if (adaptationBytes > 0) {
        packet[q] = (byte) (adaptationBytes - 1); // adaptation_field_length
        if (adaptationBytes > 1) {
          packet[q + 1] = (byte) ((withRai ? 0x40 : 0) | (withPcr ? 0x10 : 0));
          if (withPcr) {
            Timestamps.writePcr(packet, q + 2, pcr90k);
          }
          for (int i = q + fieldBytes + (fieldBytes == 0 ? 2 : 0); i < q + adaptationBytes; i++) {
            packet[i] = (byte) 0xFF;
          }
        }
        q += adaptationBytes;
      }
      copy(header, prefix, body, position, packet, q, payload);
      position += payload;
      first = false;
    }
  }

  /** PCR-only packets on the video PID, every 100 ms from the last PCR up to {@code pcr90k}. */
  private void fillPcrGap(long pcr90k) throws IOException {
    if (!videoWritten) {
      return;
    }
    long gap = pcr90k - lastPcr90k;
    if (gap <= PCR_INTERVAL_90K || gap > MAX_PCR_FILL_GAP_90K) {
      return;
    }
    for (long pcr = lastPcr90k + PCR_INTERVAL_90K; pcr < pcr90k; pcr += PCR_INTERVAL_90K) {
      byte[] packet = nextPacket();
      int p = buffered - PACKET_SIZE;
      // §2.4.3.3: a packet without payload repeats the continuity_counter of the one before.
      writeHeader(packet, p, VIDEO_PID, false, true, /* payload= */ false, (videoCc - 1) & 0xF);
      packet[p + 4] = (byte) 183;
      packet[p + 5] = 0x10;
      Timestamps.writePcr(packet, p + 6, pcr);
      for (int i = p + 12; i < p + PACKET_SIZE; i++) {
        packet[i] = (byte) 0xFF;
      }
    }
  }

  private static void copy(
      byte[] a, byte[] b, byte[] c, long from, byte[] to, int toOffset, int length) {
    int done = 0;
    long position = from;
    for (byte[] part : new byte[][] {a, b, c}) {
      if (done == length) {
        break;
      }
      if (position >= part.length) {
        position -= part.length;
        continue;
      }
      int n = (int) Math.min(part.length - position, length - done);
      System.arraycopy(part, (int) position, to, toOffset + done, n);
      done += n;
      position = 0;
    }
  }

  // --- program tables

  private void writeTables() throws IOException {
    writePsi(PAT_PID, patPacketPayload, patCc++ & 0xF);
    writePsi(PMT_PID, pmtPacketPayload, pmtCc++ & 0xF);
    tablesWritten = true;
  }

  private void writePsi(int pid, byte[] payload, int cc) throws IOException {
    byte[] packet = nextPacket();
    int p = buffered - PACKET_SIZE;
    writeHeader(packet, p, pid, true, false, true, cc);
    System.arraycopy(payload, 0, packet, p + 4, payload.length);
  }

  /** A PSI packet's payload: pointer_field 0, the section, then 0xFF stuffing (§2.4.4.1). */
  private static byte[] psiPayload(byte[] section) {
    byte[] payload = new byte[PACKET_SIZE - 4];
    Arrays.fill(payload, (byte) 0xFF);
    payload[0] = 0;
    System.arraycopy(section, 0, payload, 1, section.length);
    return payload;
  }

  /** The program_association_section (§2.4.4.3) of the one program. */
  private static byte[] patSection() {
    byte[] s = new byte[16];
    s[0] = 0x00; // table_id
    writeSectionHeader(s, /* tableIdExtension= */ 1); // transport_stream_id
    s[8] = (byte) (PROGRAM_NUMBER >>> 8);
    s[9] = (byte) PROGRAM_NUMBER;
    s[10] = (byte) (0xE0 | PMT_PID >>> 8);
    s[11] = (byte) PMT_PID;
    return withCrc(s);
  }

  /** The TS_program_map_section (§2.4.4.8): video, then audio if any; no descriptors. */
  private static byte[] pmtSection(boolean hasAudio) {
    byte[] s = new byte[12 + 5 + (hasAudio ? 5 : 0) + 4];
    s[0] = 0x02;
    writeSectionHeader(s, PROGRAM_NUMBER);
    s[8] = (byte) (0xE0 | VIDEO_PID >>> 8); // PCR_PID
    s[9] = (byte) VIDEO_PID;
    s[10] = (byte) 0xF0; // program_info_length 0
    s[11] = 0;
    writeStream(s, 12, STREAM_TYPE_H264, VIDEO_PID);
    if (hasAudio) {
      writeStream(s, 17, STREAM_TYPE_AAC_ADTS, AUDIO_PID);
    }
    return withCrc(s);
  }

  private static void writeStream(byte[] s, int offset, int streamType, int pid) {
    s[offset] = (byte) streamType;
    s[offset + 1] = (byte) (0xE0 | pid >>> 8);
    s[offset + 2] = (byte) pid;
    s[offset + 3] = (byte) 0xF0; // ES_info_length 0
    s[offset + 4] = 0;
  }

  /** Bytes 1-7 of a long-form section; section_length counts from byte 3 through the CRC. */
  private static void writeSectionHeader(byte[] s, int tableIdExtension) {
    int sectionLength = s.length - 3;
    s[1] = (byte) (0xB0 | sectionLength >>> 8); // section_syntax_indicator, '0', reserved
    s[2] = (byte) sectionLength;
    s[3] = (byte) (tableIdExtension >>> 8);
    s[4] = (byte) tableIdExtension;
    s[5] = (byte) 0xC1; // reserved, version_number 0, current_next_indicator 1
    s[6] = 0; // section_number
    s[7] = 0; // last_section_number
  }

  private static byte[] withCrc(byte[] s) {
    int crc = Crc32Mpeg2.compute(s, 0, s.length - 4);
    s[s.length - 4] = (byte) (crc >>> 24);
    s[s.length - 3] = (byte) (crc >>> 16);
    s[s.length - 2] = (byte) (crc >>> 8);
    s[s.length - 1] = (byte) crc;
    return s;
  }

  // --- packets and buffering

  private static void writeHeader(
      byte[] packet,
      int p,
      int pid,
      boolean payloadUnitStart,
      boolean adaptationField,
      boolean payload,
      int continuityCounter) {
    packet[p] = (byte) SYNC_BYTE;
    packet[p + 1] = (byte) ((payloadUnitStart ? 0x40 : 0) | (pid >>> 8));
    packet[p + 2] = (byte) pid;
    int adaptationFieldControl = (adaptationField ? 2 : 0) | (payload ? 1 : 0);
    packet[p + 3] = (byte) ((adaptationFieldControl << 4) | continuityCounter);
  }

  /** Reserves the next packet in the buffer, draining it first when full; returns the buffer. */
  private byte[] nextPacket() throws IOException {
    if (buffered == buffer.length) {
      drain();
    }
    buffered += PACKET_SIZE;
    return buffer;
  }

  private void drain() throws IOException {
    if (buffered > 0) {
      out.write(buffer, 0, buffered);
      buffered = 0;
    }
  }

  // --- checks

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("muxer is closed");
    }
  }

  /** The length of the Annex B start code at {@code offset} (3 or 4), or 0 if there is none. */
  static int startCodeLength(byte[] data, int offset) {
    int n = data.length - offset;
    if (n >= 3 && data[offset] == 0 && data[offset + 1] == 0 && data[offset + 2] == 1) {
      return 3;
    }
    if (n >= 4
        && data[offset] == 0
        && data[offset + 1] == 0
        && data[offset + 2] == 0
        && data[offset + 3] == 1) {
      return 4;
    }
    return 0;
  }

  /**
   * Checks that the bytes are whole ADTS frames back to back: each starts with the 12-bit syncword
   * 0xFFF and its 13-bit frame_length (header included) lands exactly on the next frame or the end.
   */
  static void checkAdtsFrames(byte[] data) {
    checkArgument(data.length > 0, "adtsFrames must not be empty");
    int offset = 0;
    int frame = 0;
    while (offset < data.length) {
      checkArgument(
          data.length - offset >= 7,
          "ADTS frame %s at byte %s: %s bytes left, less than a header (7)",
          frame,
          offset,
          data.length - offset);
      checkArgument(
          (data[offset] & 0xFF) == 0xFF && (data[offset + 1] & 0xF0) == 0xF0,
          "ADTS frame %s at byte %s: no syncword 0xFFF",
          frame,
          offset);
      int frameLength =
          ((data[offset + 3] & 0x03) << 11)
              | ((data[offset + 4] & 0xFF) << 3)
              | ((data[offset + 5] & 0xE0) >>> 5);
      int headerLength = (data[offset + 1] & 0x01) == 0 ? 9 : 7; // protection_absent 0: with CRC
      checkArgument(
          frameLength >= headerLength,
          "ADTS frame %s at byte %s: frame_length %s is shorter than its header",
          frame,
          offset,
          frameLength);
      checkArgument(
          frameLength <= data.length - offset,
          "ADTS frame %s at byte %s: frame_length %s runs past the end (%s bytes)",
          frame,
          offset,
          frameLength,
          data.length);
      offset += frameLength;
      frame++;
    }
  }
}
