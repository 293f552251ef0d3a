package org.reelbox.media.mp4;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Comparator;
import org.reelbox.media.ts.TsMuxer;

/**
 * Remuxes one segment of an {@link Mp4SegmentPlan} into an MPEG-TS segment, copying the coded
 * samples: no decoding, no re-encoding.
 *
 * <ul>
 *   <li>H.264: each sample's length-prefixed NAL units (ISO/IEC 14496-15 §5.3.2) become Annex B
 *       (start codes); access unit delimiters in the sample are dropped ({@link TsMuxer} writes its
 *       own first); an access unit with an IDR slice gets the {@code avcC}'s SPS and PPS before its
 *       first NAL unit when it carries none of its own, since a TS has no other place for them.
 *   <li>AAC: each raw frame gets a 7-byte ADTS header (ISO/IEC 14496-3 §1.A.2.2); consecutive
 *       frames go into one PES packet, up to {@value #AUDIO_FRAMES_PER_PES} frames.
 *   <li>Interleaving: access units and audio batches are written in decode-time order, so a
 *       player's buffers fill evenly; PCR comes with every video PES ({@link TsMuxer}).
 * </ul>
 *
 * The samples are read through {@link ByteSource} in runs: samples whose bytes lie close together
 * in the file (an interleaved {@code mdat}) are fetched in one read, so a segment costs a few
 * ranged reads and holds at most its own samples in memory, never the file.
 */
public final class Mp4ToTs {
  /** Audio frames batched into one PES packet (about 100 ms of 48 kHz AAC). */
  public static final int AUDIO_FRAMES_PER_PES = 5;

  /** Samples closer than this in the file are read together. */
  static final int RUN_GAP_BYTES = 64 << 10;

  /** The longest single read. */
  static final int MAX_RUN_BYTES = 8 << 20;

  /** Reads bytes of the original file. */
  @FunctionalInterface
  public interface ByteSource {
    /**
     * Exactly {@code length} bytes from {@code offset}.
     *
     * @throws IOException if they cannot be read, or the file ends first
     */
    byte[] read(long offset, int length) throws IOException;
  }

  private Mp4ToTs() {}

  /**
   * Writes segment {@code s} of {@code plan} to {@code out} (not closed).
   *
   * @throws Mp4FormatException if a sample's NAL lengths overrun it, or an AAC frame is too big for
   *     ADTS
   */
  public static void writeSegment(Mp4SegmentPlan plan, int s, ByteSource source, OutputStream out)
      throws IOException, Mp4FormatException {
    requireNonNull(plan, "plan");
    requireNonNull(source, "source");
    requireNonNull(out, "out");
    Mp4Movie movie = plan.movie();
    SampleTable v = movie.videoSamples();
    SampleTable a = movie.audioSamples();
    int v0 = plan.videoFrom(s);
    int v1 = plan.videoTo(s);
    int a0 = plan.audioFrom(s);
    int a1 = plan.audioTo(s);
    byte[][] video = new byte[v1 - v0][];
    byte[][] audio = new byte[a1 - a0][];
    fetch(source, v, v0, v1, video, a, a0, a1, audio);

    AvcConfig avc = movie.video();
    AacConfig aac = movie.audio().orElse(null);
    OutputStream noClose =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            out.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }
        };
    try {
      mux(plan, v, a, v0, v1, a0, a1, video, audio, avc, aac, noClose);
    } catch (IllegalArgumentException e) {
      // The muxer refuses timestamps a TS cannot carry (DTS going back, PTS before DTS): tables
      // that passed the reader but describe no playable stream.
      throw new Mp4FormatException(
          0, "the sample tables give timestamps a TS cannot carry: " + e.getMessage());
    }
  }

  private static void mux(
      Mp4SegmentPlan plan,
      SampleTable v,
      SampleTable a,
      int v0,
      int v1,
      int a0,
      int a1,
      byte[][] video,
      byte[][] audio,
      AvcConfig avc,
      AacConfig aac,
      OutputStream noClose)
      throws IOException, Mp4FormatException {
    long base = plan.base90k();
    try (TsMuxer muxer = new TsMuxer(noClose, aac != null)) {
      int i = v0;
      int j = a0;
      while (i < v1 || j < a1) {
        boolean videoNext = j >= a1 || (i < v1 && v.to90k(v.dts(i)) <= a.to90k(a.dts(j)));
        if (videoNext) {
          Nal nal = annexB(video[i - v0], avc, v.offset(i));
          long pts = v.to90k(v.pts(i)) + base;
          long dts = v.to90k(v.dts(i)) + base;
          muxer.writeVideo(pts, Math.min(dts, pts), nal.bytes, nal.idr);
          video[i - v0] = null;
          i++;
        } else {
          long pts = a.to90k(a.pts(j)) + base;
          long nextVideo = i < v1 ? v.to90k(v.dts(i)) : Long.MAX_VALUE;
          int batchEnd = j + 1;
          while (batchEnd < a1
              && batchEnd - j < AUDIO_FRAMES_PER_PES
              && a.to90k(a.dts(batchEnd)) < nextVideo) {
            batchEnd++;
          }
          int bytes = 0;
          for (int k = j; k < batchEnd; k++) {
            bytes += audio[k - a0].length + 7;
          }
          byte[] adts = new byte[bytes];
          int at = 0;
          for (int k = j; k < batchEnd; k++) {
            byte[] raw = audio[k - a0];
            if (raw.length + 7 > AacConfig.MAX_ADTS_FRAME_BYTES) {
              throw new Mp4FormatException(
                  a.offset(k), "an AAC frame of " + raw.length + " bytes is too big for ADTS");
            }
            aac.writeAdtsHeader(adts, at, raw.length);
            System.arraycopy(raw, 0, adts, at + 7, raw.length);
            at += 7 + raw.length;
            audio[k - a0] = null;
          }
          muxer.writeAudio(pts, adts);
          j = batchEnd;
        }
      }
    }
  }

  /** Reads the samples of both ranges, coalescing neighbours in the file into one read. */
  private static void fetch(
      ByteSource source,
      SampleTable v,
      int v0,
      int v1,
      byte[][] video,
      SampleTable a,
      int a0,
      int a1,
      byte[][] audio)
      throws IOException {
    int count = (v1 - v0) + (a1 - a0);
    // ref >= 0: video sample v0 + ref; ref < 0: audio sample a0 - ref - 1. Sorted by file offset.
    Integer[] refs = new Integer[count];
    int n = 0;
    for (int i = v0; i < v1; i++) {
      refs[n++] = i - v0;
    }
    for (int j = a0; j < a1; j++) {
      refs[n++] = -(j - a0) - 1;
    }
    Arrays.sort(refs, Comparator.comparingLong(r -> offset(v, v0, a, a0, r)));
    int k = 0;
    while (k < count) {
      int first = refs[k];
      long runStart = offset(v, v0, a, a0, first);
      long runEnd = runStart + size(v, v0, a, a0, first);
      int last = k + 1;
      while (last < count) {
        int r = refs[last];
        long o = offset(v, v0, a, a0, r);
        long e = Math.max(runEnd, o + size(v, v0, a, a0, r));
        if (o - runEnd > RUN_GAP_BYTES || e - runStart > MAX_RUN_BYTES) {
          break;
        }
        runEnd = e;
        last++;
      }
      byte[] run = source.read(runStart, (int) (runEnd - runStart));
      for (int m = k; m < last; m++) {
        int r = refs[m];
        int from = (int) (offset(v, v0, a, a0, r) - runStart);
        byte[] bytes = Arrays.copyOfRange(run, from, from + size(v, v0, a, a0, r));
        if (r >= 0) {
          video[r] = bytes;
        } else {
          audio[-r - 1] = bytes;
        }
      }
      k = last;
    }
  }

  private static long offset(SampleTable v, int v0, SampleTable a, int a0, int r) {
    return r >= 0 ? v.offset(v0 + r) : a.offset(a0 - r - 1);
  }

  private static int size(SampleTable v, int v0, SampleTable a, int a0, int r) {
    return r >= 0 ? v.size(v0 + r) : a.size(a0 - r - 1);
  }

  private record Nal(byte[] bytes, boolean idr) {}

  /** Length-prefixed NAL units → Annex B, with parameter sets before an IDR that lacks them. */
  private static Nal annexB(byte[] sample, AvcConfig avc, long fileOffset)
      throws Mp4FormatException {
    int lengthSize = avc.nalLengthSize();
    ByteArrayOutputStream nals = new ByteArrayOutputStream(sample.length + 64);
    boolean idr = false;
    boolean hasSps = false;
    int at = 0;
    while (at < sample.length) {
      if (sample.length - at < lengthSize) {
        throw new Mp4FormatException(fileOffset + at, "an H.264 sample ends inside a NAL length");
      }
      long len = 0;
      for (int b = 0; b < lengthSize; b++) {
        len = (len << 8) | (sample[at + b] & 0xFF);
      }
      at += lengthSize;
      if (len == 0 || len > sample.length - at) {
        throw new Mp4FormatException(
            fileOffset + at, "an H.264 NAL length of " + len + " overruns its sample");
      }
      int type = sample[at] & 0x1F;
      if (type == 5) {
        idr = true;
      } else if (type == 7) {
        hasSps = true;
      }
      if (type != 9) {
        nals.write(0);
        nals.write(0);
        nals.write(0);
        nals.write(1);
        nals.write(sample, at, (int) len);
      }
      at += (int) len;
    }
    if (nals.size() == 0) {
      throw new Mp4FormatException(fileOffset, "an H.264 sample with no NAL unit");
    }
    if (!idr || hasSps) {
      return new Nal(nals.toByteArray(), idr);
    }
    byte[] ps = avc.annexBParameterSets();
    byte[] out = new byte[ps.length + nals.size()];
    System.arraycopy(ps, 0, out, 0, ps.length);
    byte[] body = nals.toByteArray();
    System.arraycopy(body, 0, out, ps.length, body.length);
    return new Nal(out, true);
  }
}
