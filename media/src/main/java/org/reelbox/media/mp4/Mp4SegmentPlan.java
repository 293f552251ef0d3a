package org.reelbox.media.mp4;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * How an indexed MP4 is cut into HLS segments without re-encoding: each segment starts at a video
 * sync sample, the one nearest to every {@code targetDurationUs} of presentation time, and carries
 * the audio frames presented from its first picture up to the next segment's (RFC 8216 §3, §6.2.1).
 *
 * <p>All times of both tracks are put on one 90 kHz timeline, {@code ts90k = ticks × 90000 /
 * timescale + base}, where {@code base} ({@value #MIN_BASE_90K} ticks, 1.4 s, as FFmpeg's TS muxer,
 * or more when the movie starts earlier) keeps the first B-frames' DTS and AAC priming frames at or
 * above 0. Rounding down is monotone, so DTS order and DTS ≤ PTS survive the conversion.
 *
 * <p>Immutable; about 12 bytes a segment beside the {@link Mp4Movie} it refers to.
 */
public final class Mp4SegmentPlan {
  /** The least offset added to every timestamp. */
  public static final long MIN_BASE_90K = 126_000;

  private final Mp4Movie movie;
  private final int[] videoStart; // segmentCount + 1 entries, the last = sample count
  private final int[] audioStart;
  private final long[] startUs; // presentation time of each segment's first picture, +1 = end
  private final long base90k;

  private Mp4SegmentPlan(
      Mp4Movie movie, int[] videoStart, int[] audioStart, long[] startUs, long base90k) {
    this.movie = movie;
    this.videoStart = videoStart;
    this.audioStart = audioStart;
    this.startUs = startUs;
    this.base90k = base90k;
  }

  /**
   * Cuts {@code movie} near every {@code targetDurationUs}.
   *
   * @throws IllegalArgumentException if {@code targetDurationUs} is not positive
   */
  public static Mp4SegmentPlan of(Mp4Movie movie, long targetDurationUs) {
    requireNonNull(movie, "movie");
    if (targetDurationUs <= 0) {
      throw new IllegalArgumentException("targetDurationUs must be > 0: " + targetDurationUs);
    }
    SampleTable v = movie.videoSamples();
    int n = v.count();
    long target = targetDurationUs * v.timescale() / 1_000_000L;
    int[] syncs = new int[n];
    int syncCount = 0;
    for (int i = 1; i < n; i++) {
      if (v.isSync(i)) {
        syncs[syncCount++] = i;
      }
    }
    long end = v.endPts();
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    int current = 0;
    int k = 0;
    while (true) {
      long goal = v.pts(current) + target;
      while (k < syncCount && (syncs[k] <= current || v.pts(syncs[k]) < goal)) {
        k++;
      }
      // The nearest of the last sync sample before the goal and the first one at or after it
      // (the end of the video when there is none after: a cut there would make nothing).
      int before = k > 0 && syncs[k - 1] > current ? syncs[k - 1] : -1;
      int after = k < syncCount ? syncs[k] : -1;
      long afterTime = after >= 0 ? v.pts(after) : end;
      int cut = after;
      if (before >= 0 && goal - v.pts(before) < afterTime - goal) {
        cut = before;
      }
      if (cut < 0) {
        break;
      }
      starts.add(cut);
      current = cut;
    }
    int segments = starts.size();
    int[] videoStart = new int[segments + 1];
    for (int s = 0; s < segments; s++) {
      videoStart[s] = starts.get(s);
    }
    videoStart[segments] = n;

    long minTime = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      minTime = Math.min(minTime, Math.min(v.to90k(v.dts(i)), v.to90k(v.pts(i))));
    }
    SampleTable a = movie.audioSamples();
    if (a != null) {
      for (int i = 0; i < a.count(); i++) {
        minTime = Math.min(minTime, a.to90k(a.dts(i)));
      }
    }
    long base90k = Math.max(MIN_BASE_90K, -minTime);

    // Presentation start of each segment: its first picture (an IDR shows first in its GOP).
    long[] startUs = new long[segments + 1];
    for (int s = 0; s < segments; s++) {
      startUs[s] = Math.floorDiv(v.pts(videoStart[s]) * 1_000_000L, v.timescale());
    }
    startUs[segments] =
        Math.max(startUs[segments - 1] + 1, Math.floorDiv(v.endPts() * 1_000_000L, v.timescale()));

    int[] audioStart = new int[segments + 1];
    if (a != null) {
      int j = 0;
      for (int s = 1; s < segments; s++) {
        long from90k = v.to90k(v.pts(videoStart[s]));
        while (j < a.count() && a.to90k(a.pts(j)) < from90k) {
          j++;
        }
        audioStart[s] = j;
      }
      audioStart[segments] = a.count();
    }
    return new Mp4SegmentPlan(movie, videoStart, audioStart, startUs, base90k);
  }

  public Mp4Movie movie() {
    return movie;
  }

  public int segmentCount() {
    return videoStart.length - 1;
  }

  /**
   * Segment {@code s}'s {@code EXTINF} in microseconds: from its first picture to the next
   * segment's, the last to the end of the video. They add up to the video's presentation exactly.
   */
  public long durationUs(int s) {
    checkSegment(s);
    return startUs[s + 1] - startUs[s];
  }

  /** The first and one-past-last video sample of segment {@code s}. */
  public int videoFrom(int s) {
    checkSegment(s);
    return videoStart[s];
  }

  public int videoTo(int s) {
    checkSegment(s);
    return videoStart[s + 1];
  }

  /** The first and one-past-last audio sample of segment {@code s} (0, 0 without audio). */
  public int audioFrom(int s) {
    checkSegment(s);
    return audioStart[s];
  }

  public int audioTo(int s) {
    checkSegment(s);
    return audioStart[s + 1];
  }

  /** What is added to every 90 kHz timestamp so that none is negative. */
  public long base90k() {
    return base90k;
  }

  /** The sample bytes of segment {@code s}, both tracks, before TS framing. */
  public long sampleBytes(int s) {
    checkSegment(s);
    long bytes = 0;
    SampleTable v = movie.videoSamples();
    for (int i = videoStart[s]; i < videoStart[s + 1]; i++) {
      bytes += v.size(i);
    }
    SampleTable a = movie.audioSamples();
    for (int i = audioStart[s]; i < audioStart[s + 1]; i++) {
      bytes += a.size(i);
    }
    return bytes;
  }

  /**
   * An upper estimate of segment {@code s}'s bit rate once in TS, in bits per second: sample bytes
   * plus TS and PES overhead (4 of every 188 bytes, plus a packet per access unit for headers and
   * stuffing, plus ADTS headers), over its duration.
   */
  public long estimatedBitrateBps(int s) {
    long units = (videoTo(s) - videoFrom(s)) + (audioTo(s) - audioFrom(s));
    long bytes = sampleBytes(s);
    long ts = bytes * 188 / 184 + units * (188 + 7) + 4 * 188; // + PAT/PMT
    long us = Math.max(1, durationUs(s));
    return Math.max(1, (ts * 8 * 1_000_000L + us - 1) / us);
  }

  private void checkSegment(int s) {
    if (s < 0 || s >= segmentCount()) {
      throw new IndexOutOfBoundsException("segment " + s + " of " + segmentCount());
    }
  }
}
