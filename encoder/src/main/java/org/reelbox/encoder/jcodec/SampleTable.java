package org.reelbox.encoder.jcodec;

import org.jcodec.containers.mp4.boxes.ChunkOffsets64Box;
import org.jcodec.containers.mp4.boxes.ChunkOffsetsBox;
import org.jcodec.containers.mp4.boxes.CompositionOffsetsBox;
import org.jcodec.containers.mp4.boxes.SampleSizesBox;
import org.jcodec.containers.mp4.boxes.SampleToChunkBox;
import org.jcodec.containers.mp4.boxes.SyncSamplesBox;
import org.jcodec.containers.mp4.boxes.TimeToSampleBox;
import org.jcodec.containers.mp4.boxes.TrakBox;

/**
 * One track's samples as flat arrays, built from its sample tables (ISO/IEC 14496-12 §8.6, §8.7):
 * where each sample's bytes are, how big it is, its decode time and composition offset in the
 * track's timescale, and whether it is a sync sample. Built once per task; every later step reads
 * samples by index, so seeking is an array lookup.
 *
 * <p>The tables were checked by {@code Mp4Boxes} to hold what they claim; this class checks what
 * the walker cannot: that they agree with each other and point inside the file.
 */
final class SampleTable {
  /** The largest sample read: a 4K intra frame is a few MB. */
  static final int MAX_SAMPLE_BYTES = 64 << 20;

  final int count;
  final long[] offset;
  final int[] size;
  final long[] dts;
  final int[] cto;
  final int[] duration;
  final boolean[] sync;
  final long timescale;

  private SampleTable(int count, long timescale) {
    this.count = count;
    this.timescale = timescale;
    offset = new long[count];
    size = new int[count];
    dts = new long[count];
    cto = new int[count];
    duration = new int[count];
    sync = new boolean[count];
  }

  /**
   * Reads a track's tables.
   *
   * @throws IllegalArgumentException when they disagree or point outside a file of {@code fileSize}
   *     bytes (the caller reports it as corrupt input)
   */
  static SampleTable of(TrakBox trak, long fileSize) {
    long timescale = trak.getTimescale();
    check(timescale > 0, "timescale is " + timescale);
    SampleSizesBox stsz = trak.getStsz();
    TimeToSampleBox stts = trak.getStts();
    SampleToChunkBox stsc = trak.getStsc();
    check(stsz != null && stts != null && stsc != null, "sample tables missing (stsz/stts/stsc)");
    int count = stsz.getCount();
    check(count >= 0, "negative sample count");
    int[] sizes = stsz.getDefaultSize() == 0 ? stsz.getSizes() : null;
    check(sizes == null || sizes.length >= count, "stsz holds fewer sizes than samples");
    SampleTable t = new SampleTable(count, timescale);

    // stts: decode times.
    int i = 0;
    long time = 0;
    for (TimeToSampleBox.TimeToSampleEntry e : stts.getEntries()) {
      check(e.getSampleCount() >= 0 && e.getSampleDuration() >= 0, "negative stts entry");
      for (int k = 0; k < e.getSampleCount() && i < count; k++, i++) {
        t.dts[i] = time;
        t.duration[i] = e.getSampleDuration();
        time += e.getSampleDuration();
      }
    }
    check(i == count, "stts covers " + i + " of " + count + " samples");

    // ctts: composition offsets (absent: none).
    CompositionOffsetsBox ctts = trak.getCtts();
    if (ctts != null) {
      i = 0;
      for (CompositionOffsetsBox.Entry e : ctts.getEntries()) {
        for (int k = 0; k < e.getCount() && i < count; k++, i++) {
          t.cto[i] = e.getOffset();
        }
      }
    }

    // stss: sync samples (absent: every sample is one).
    SyncSamplesBox stss = trak.getStss();
    if (stss == null) {
      java.util.Arrays.fill(t.sync, true);
    } else {
      for (int s : stss.getSyncSamples()) {
        if (s >= 1 && s <= count) {
          t.sync[s - 1] = true;
        }
      }
    }

    // stsc + stco/co64 + stsz: where each sample is.
    ChunkOffsetsBox stco = trak.getStco();
    ChunkOffsets64Box co64 = trak.getCo64();
    long[] chunkOffsets =
        stco != null ? stco.getChunkOffsets() : co64 != null ? co64.getChunkOffsets() : null;
    check(chunkOffsets != null, "no chunk offsets (stco/co64)");
    SampleToChunkBox.SampleToChunkEntry[] runs = stsc.getSampleToChunk();
    i = 0;
    for (int r = 0; r < runs.length && i < count; r++) {
      long first = runs[r].getFirst() - 1;
      long last = r + 1 < runs.length ? runs[r + 1].getFirst() - 1 : chunkOffsets.length;
      check(first >= 0 && last <= chunkOffsets.length && first <= last, "bad stsc run");
      check(runs[r].getCount() >= 0, "negative samples per chunk");
      for (long c = first; c < last && i < count; c++) {
        long position = chunkOffsets[(int) c];
        for (int k = 0; k < runs[r].getCount() && i < count; k++, i++) {
          int sampleSize = sizes == null ? stsz.getDefaultSize() : sizes[i];
          check(
              sampleSize >= 0 && sampleSize <= MAX_SAMPLE_BYTES,
              "sample " + i + " claims " + sampleSize + " bytes");
          check(
              position >= 0 && position + sampleSize <= fileSize,
              "sample " + i + " lies past the end of the file");
          t.offset[i] = position;
          t.size[i] = sampleSize;
          position += sampleSize;
        }
      }
    }
    check(i == count, "stsc/stco place " + i + " of " + count + " samples");
    return t;
  }

  /** The sum of sample durations, in the timescale. */
  long totalDuration() {
    return count == 0 ? 0 : dts[count - 1] + duration[count - 1];
  }

  long totalBytes() {
    long n = 0;
    for (int s : size) {
      n += s;
    }
    return n;
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new IllegalArgumentException(problem);
    }
  }
}
