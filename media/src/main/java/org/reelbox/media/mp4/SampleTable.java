package org.reelbox.media.mp4;

import static java.util.Objects.requireNonNull;

import java.util.BitSet;

/**
 * One track's samples, in decoding order: where each lies in the file, how big it is, when it is
 * decoded and presented, and whether it is a sync sample. Times are in the track's {@link
 * #timescale()} on the presentation timeline, its edit list already applied: time 0 is the first
 * instant the movie shows (so a B-frame stream's first decoded frames have negative DTS, and AAC
 * priming frames negative PTS).
 *
 * <p>Held in primitive arrays (about 29 bytes a sample), so an hour of 30 fps video and 48 kHz AAC
 * takes about 8 MB.
 */
public final class SampleTable {
  private final int timescale;
  private final long[] offsets;
  private final int[] sizes;
  private final long[] dts;
  private final int[] compositionOffsets;
  private final BitSet sync;
  private final long endDts;

  /**
   * @param dts presentation-timeline DTS of each sample, not decreasing
   * @param compositionOffsets PTS − DTS of each sample, or null when every sample has PTS = DTS
   * @param sync the sync samples, or null when every sample is one (no {@code stss})
   * @param endDts when the last sample ends: its DTS plus its duration
   */
  SampleTable(
      int timescale,
      long[] offsets,
      int[] sizes,
      long[] dts,
      int[] compositionOffsets,
      BitSet sync,
      long endDts) {
    this.timescale = timescale;
    this.offsets = requireNonNull(offsets, "offsets");
    this.sizes = requireNonNull(sizes, "sizes");
    this.dts = requireNonNull(dts, "dts");
    this.compositionOffsets = compositionOffsets;
    this.sync = sync;
    this.endDts = endDts;
  }

  /** Ticks per second of every time here. */
  public int timescale() {
    return timescale;
  }

  public int count() {
    return sizes.length;
  }

  /** The sample's first byte in the file. */
  public long offset(int i) {
    return offsets[i];
  }

  public int size(int i) {
    return sizes[i];
  }

  public long dts(int i) {
    return dts[i];
  }

  public long pts(int i) {
    return compositionOffsets == null ? dts[i] : dts[i] + compositionOffsets[i];
  }

  public boolean isSync(int i) {
    return sync == null || sync.get(i);
  }

  /** Decoding duration: to the next sample's DTS, or to {@link #endDts()} for the last. */
  public long duration(int i) {
    return i + 1 < dts.length ? dts[i + 1] - dts[i] : endDts - dts[i];
  }

  /** When the last sample ends (its DTS plus its duration). */
  public long endDts() {
    return endDts;
  }

  /** Sum of the sample sizes. */
  public long totalBytes() {
    long n = 0;
    for (int s : sizes) {
      n += s;
    }
    return n;
  }

  /** The latest presentation end: the largest PTS + duration. */
  public long endPts() {
    long end = Long.MIN_VALUE;
    for (int i = 0; i < sizes.length; i++) {
      end = Math.max(end, pts(i) + duration(i));
    }
    return sizes.length == 0 ? 0 : end;
  }

  /** {@code ticks} of this table's timescale in 90 kHz ticks, rounded down. */
  public long to90k(long ticks) {
    return Math.floorDiv(Math.multiplyExact(ticks, 90_000L), timescale);
  }
}
