package org.reelbox.media.ts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-made H.264 and AAC units (the muxer does not decode them, so they only need the right
 * framing), streams muxed from them, and a minimal independent demuxer that reassembles PES packets
 * per PID so tests can check the muxer's payloads byte for byte.
 */
final class TsTestStreams {

  static final int FRAME_90K = 3_000; // 30 fps

  private TsTestStreams() {}

  /** An Annex B access unit: SPS, PPS and an IDR slice (keyframe) or a non-IDR slice. */
  static byte[] accessUnit(boolean keyframe, int sliceBytes, int seed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (keyframe) {
      out.writeBytes(new byte[] {0, 0, 0, 1, 0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA, 0x02});
      out.writeBytes(new byte[] {0, 0, 0, 1, 0x68, (byte) 0xCE, 0x3C, (byte) 0x80});
    }
    out.writeBytes(new byte[] {0, 0, 1, (byte) (keyframe ? 0x65 : 0x41), (byte) 0x88});
    for (int i = 0; i < sliceBytes; i++) {
      // Never two zeros in a row: no accidental start codes (emulation prevention's job).
      out.write(((i * 31 + seed) % 251) + 1);
    }
    return out.toByteArray();
  }

  /**
   * One ADTS frame of AAC-LC, 48 kHz, stereo, without CRC, {@code payloadBytes} of filler after its
   * 7-byte header.
   */
  static byte[] adtsFrame(int payloadBytes) {
    int length = 7 + payloadBytes;
    byte[] frame = new byte[length];
    frame[0] = (byte) 0xFF;
    frame[1] = (byte) 0xF1; // MPEG-4, layer 0, protection_absent
    frame[2] = (byte) ((1 << 6) | (3 << 2)); // profile LC (1), sampling index 3 (48 kHz)
    frame[3] = (byte) ((2 << 6) | ((length >> 11) & 0x3)); // 2 channels
    frame[4] = (byte) (length >> 3);
    frame[5] = (byte) (((length & 0x7) << 5) | 0x1F);
    frame[6] = (byte) 0xFC;
    for (int i = 7; i < length; i++) {
      frame[i] = (byte) (i * 7);
    }
    return frame;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** A written frame, for comparing what the muxer got with what comes back. */
  record Frame(long pts90k, long dts90k, byte[] data, boolean keyframe) {}

  /**
   * {@code frames} frames at 30 fps from {@code startPts}, a keyframe every {@code gop}, with
   * B-frame-like reordering (PTS = DTS + 2 frames) when {@code reorder}, and an audio PES (two ADTS
   * frames) after every video frame when {@code audio}.
   */
  static byte[] mux(
      int frames, int gop, long startPts, boolean reorder, boolean audio, List<Frame> written) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, audio)) {
      for (int i = 0; i < frames; i++) {
        boolean keyframe = i % gop == 0;
        long dts = startPts + (long) i * FRAME_90K;
        long pts = reorder ? dts + 2 * FRAME_90K : dts;
        byte[] au = accessUnit(keyframe, 300 + (i * 97) % 900, i);
        muxer.writeVideo(pts, dts, au, keyframe);
        if (written != null) {
          written.add(new Frame(pts, dts, au, keyframe));
        }
        if (audio) {
          muxer.writeAudio(dts, concat(adtsFrame(200), adtsFrame(180)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static TsScan scan(byte[] ts) {
    try {
      return TsScanner.scan(new ByteArrayInputStream(ts));
    } catch (IOException | TsFormatException e) {
      throw new AssertionError(e);
    }
  }

  // --- a minimal independent demuxer, for the tests only

  /** One TS packet's header fields. */
  record Packet(
      int offset,
      int pid,
      boolean unitStart,
      int adaptationFieldControl,
      int continuityCounter,
      int adaptationLength,
      int adaptationFlags,
      byte[] payload) {

    boolean hasPcr() {
      return adaptationLength > 0 && (adaptationFlags & 0x10) != 0;
    }

    boolean randomAccess() {
      return adaptationLength > 0 && (adaptationFlags & 0x40) != 0;
    }
  }

  static List<Packet> packets(byte[] ts) {
    if (ts.length % 188 != 0) {
      throw new AssertionError("length " + ts.length + " is not a multiple of 188");
    }
    List<Packet> packets = new ArrayList<>();
    for (int p = 0; p < ts.length; p += 188) {
      if ((ts[p] & 0xFF) != 0x47) {
        throw new AssertionError("no sync byte at " + p);
      }
      int pid = ((ts[p + 1] & 0x1F) << 8) | (ts[p + 2] & 0xFF);
      int afc = (ts[p + 3] >> 4) & 3;
      int afLength = 0;
      int flags = 0;
      int payloadStart = 4;
      if ((afc & 2) != 0) {
        afLength = ts[p + 4] & 0xFF;
        flags = afLength > 0 ? ts[p + 5] & 0xFF : 0;
        payloadStart = 5 + afLength;
      }
      byte[] payload =
          (afc & 1) != 0 ? Arrays.copyOfRange(ts, p + payloadStart, p + 188) : new byte[0];
      packets.add(
          new Packet(
              p, pid, (ts[p + 1] & 0x40) != 0, afc, ts[p + 3] & 0xF, afLength, flags, payload));
    }
    return packets;
  }

  /** The PES packets of each PID, in order, reassembled from packet payloads. */
  static Map<Integer, List<byte[]>> pesPackets(byte[] ts) {
    Map<Integer, List<ByteArrayOutputStream>> building = new LinkedHashMap<>();
    for (Packet packet : packets(ts)) {
      if (packet.pid() == 0 || packet.pid() == TsMuxer.PMT_PID || packet.payload().length == 0) {
        continue;
      }
      List<ByteArrayOutputStream> list =
          building.computeIfAbsent(packet.pid(), k -> new ArrayList<>());
      if (packet.unitStart()) {
        list.add(new ByteArrayOutputStream());
      }
      list.get(list.size() - 1).writeBytes(packet.payload());
    }
    Map<Integer, List<byte[]>> result = new LinkedHashMap<>();
    building.forEach(
        (pid, list) ->
            result.put(pid, list.stream().map(ByteArrayOutputStream::toByteArray).toList()));
    return result;
  }

  /** The elementary stream bytes of a PES packet: what follows its header. */
  static byte[] pesPayload(byte[] pes) {
    return Arrays.copyOfRange(pes, 9 + (pes[8] & 0xFF), pes.length);
  }
}
