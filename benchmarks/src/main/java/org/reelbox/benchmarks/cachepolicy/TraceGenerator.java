package org.reelbox.benchmarks.cachepolicy;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Generates a synthetic HLS segment trace, deterministically from a {@link TraceModel}.
 *
 * <h2>Catalog</h2>
 *
 * <ul>
 *   <li>Duration: log-normal, median 4 min, σ 0.9 (mean about 6 min), clamped to 30 s .. 2 h; 6 s
 *       segments.
 *   <li>Three renditions; a segment of rendition r weighs {@link #NOMINAL_BYTES}[r] (0.45, 0.9,
 *       2.25 MB) times a factor uniform in 0.7..1.3, drawn per segment (a hash of the seed and the
 *       segment, so sizes do not depend on the order of requests).
 *   <li>Arrival: {@value #PREEXISTING} of the videos exist before the trace starts; the rest are
 *       uploaded at times uniform over the trace, and can be watched from the next hour on.
 *   <li>Popularity: each video gets a Zipf weight {@code rank^-α} from a random permutation of
 *       ranks (popularity is independent of duration and arrival). Newness adds attention: at time
 *       t a video's weight is {@code zipf × (1 + 5 × exp(-age / 1.5 days))}, so an upload starts at
 *       six times its long-run share and decays to it over a few days. The weights are recomputed
 *       every hour of trace time.
 * </ul>
 *
 * The catalog (durations, sizes, arrivals, ranks) is drawn first and is the same for every α.
 *
 * <h2>Sessions</h2>
 *
 * <ul>
 *   <li>Start times uniform over the trace; the video by the current weights.
 *   <li>Rendition: low/mid/high with probability 0.15/0.35/0.50; before each segment after the
 *       first, with probability 0.03 the player switches to an adjacent rendition (adaptive
 *       bitrate).
 *   <li>Partial viewing: 20% of sessions watch to the end; the others stop after a fraction of the
 *       video drawn from an exponential distribution of mean 0.25 (at least one segment). The mean
 *       watched fraction is about 0.4; half the sessions stop within the first 17%.
 *   <li>Segments are requested in order, one every 6 s of wall time from the session's start, so
 *       concurrent sessions interleave in the trace.
 * </ul>
 */
public final class TraceGenerator {
  static final int SEGMENT_MS = 6_000;
  static final int[] NOMINAL_BYTES = {450_000, 900_000, 2_250_000};
  static final double SIZE_SPREAD = 0.3;
  static final double[] RENDITION_PROBABILITY = {0.15, 0.35, 0.50};
  static final double SWITCH_PROBABILITY = 0.03;
  static final double PREEXISTING = 0.8;
  static final double NEW_BOOST = 5;
  static final double NEW_DECAY_DAYS = 1.5;
  static final double COMPLETE_PROBABILITY = 0.2;
  static final double MEAN_STOP_FRACTION = 0.25;
  private static final long HOUR_MS = 3_600_000L;
  private static final long DAY_MS = 24 * HOUR_MS;

  private TraceGenerator() {}

  /** A trace and the model's own knowledge of it, for the oracle policy. */
  public record Generated(Trace trace, RateOracle oracle) {}

  public static Trace generate(TraceModel model) {
    return generateWithOracle(model).trace();
  }

  public static Generated generateWithOracle(TraceModel model) {
    var rng = new SplittableRandom(model.seed());
    int videos = model.videos();
    long traceMs = (long) (model.days() * DAY_MS);

    // Catalog, independent of alpha.
    int[] segments = new int[videos];
    long[] arrivalMs = new long[videos];
    int[] rank = new int[videos];
    long[] base = new long[videos + 1];
    for (int v = 0; v < videos; v++) {
      rank[v] = v;
    }
    for (int v = videos - 1; v > 0; v--) {
      int j = rng.nextInt(v + 1);
      int t = rank[v];
      rank[v] = rank[j];
      rank[j] = t;
    }
    for (int v = 0; v < videos; v++) {
      double seconds = Math.exp(Math.log(240) + 0.9 * gaussian(rng));
      seconds = Math.max(30, Math.min(7_200, seconds));
      segments[v] = (int) Math.ceil(seconds * 1000 / SEGMENT_MS);
      arrivalMs[v] =
          rng.nextDouble() < PREEXISTING
              ? -1 - (long) (exponential(rng, 60) * DAY_MS) // uploaded before the trace
              : (long) (rng.nextDouble() * traceMs);
      base[v + 1] = base[v] + 3L * segments[v];
    }
    long catalogObjects = base[videos];
    if (catalogObjects > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("catalog too large: " + catalogObjects + " objects");
    }
    long catalogBytes = 0;
    for (int v = 0; v < videos; v++) {
      for (int r = 0; r < 3; r++) {
        for (int s = 0; s < segments[v]; s++) {
          catalogBytes += segmentBytes(model.seed(), base[v] + (long) r * segments[v] + s, r);
        }
      }
    }
    double[] zipf = new double[videos];
    for (int v = 0; v < videos; v++) {
      zipf[v] = Math.pow(rank[v] + 1, -model.alpha());
    }

    // Sessions.
    long[] starts = new long[model.sessions()];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = (long) (rng.nextDouble() * traceMs);
    }
    Arrays.sort(starts);
    var events = new LongList(model.sessions() * 24);
    double[] cumulative = new double[videos];
    int session = 0;
    for (long hour = 0; hour * HOUR_MS < traceMs; hour++) {
      long from = hour * HOUR_MS;
      double total = 0;
      for (int v = 0; v < videos; v++) {
        long age = from - arrivalMs[v];
        if (age >= 0) {
          total += zipf[v] * (1 + NEW_BOOST * Math.exp(-age / (NEW_DECAY_DAYS * DAY_MS)));
        }
        cumulative[v] = total;
      }
      for (; session < starts.length && starts[session] < from + HOUR_MS; session++) {
        int v = Arrays.binarySearch(cumulative, rng.nextDouble() * total);
        v = v >= 0 ? v : -v - 1;
        while (v < videos - 1 && cumulative[v] == (v == 0 ? 0 : cumulative[v - 1])) {
          v++; // not yet uploaded: zero weight, the search may land on it only at an edge
        }
        emitSession(rng, starts[session], segments[v], base[v], events);
      }
    }

    long[] sorted = events.toArray();
    Arrays.sort(sorted); // (time << 32 | object): time order; ties by object id
    int[] dense = new int[(int) catalogObjects];
    Arrays.fill(dense, -1);
    int[] requests = new int[sorted.length];
    int[] requestSeconds = new int[sorted.length];
    var sizes = new IntList(1 << 20);
    var videoOf = new IntList(1 << 20);
    var segmentOf = new IntList(1 << 20);
    var renditionOf = new IntList(1 << 20);
    long warmupMs = (long) (model.warmupDays() * DAY_MS);
    int countFrom = -1;
    for (int i = 0; i < sorted.length; i++) {
      long event = sorted[i];
      int object = (int) event;
      if (countFrom < 0 && (event >>> 32) >= warmupMs) {
        countFrom = i;
      }
      int id = dense[object];
      if (id < 0) {
        id = sizes.size();
        dense[object] = id;
        int v = videoOf(object, base);
        int rendition = (int) ((object - base[v]) / segments[v]);
        sizes.add(segmentBytes(model.seed(), object, rendition));
        videoOf.add(v);
        renditionOf.add(rendition);
        segmentOf.add((int) (object - base[v] - (long) rendition * segments[v]));
      }
      requests[i] = id;
      requestSeconds[i] = (int) ((event >>> 32) / 1000);
    }
    Trace trace =
        new Trace(
            requests,
            sizes.toArray(),
            countFrom < 0 ? sorted.length : countFrom,
            catalogBytes,
            catalogObjects,
            videoOf.toArray(),
            segmentOf.toArray(),
            toBytes(renditionOf.toArray()));
    RateOracle oracle =
        (object, index) -> {
          int v = trace.videoOf(object);
          int s = trace.segmentOf(object);
          double ageMs = requestSeconds[index] * 1000.0 - arrivalMs[v];
          double attention =
              zipf[v] * (1 + NEW_BOOST * Math.exp(-ageMs / (NEW_DECAY_DAYS * DAY_MS)));
          // P(a session reaches segment s): everyone sees 0; the complete viewers, and the others
          // with an exponential stop fraction of mean 0.25.
          double reach =
              s == 0
                  ? 1
                  : COMPLETE_PROBABILITY
                      + (1 - COMPLETE_PROBABILITY)
                          * Math.exp(-s / (MEAN_STOP_FRACTION * segments[v]));
          return attention * reach * RENDITION_PROBABILITY[trace.renditionOf(object)];
        };
    return new Generated(trace, oracle);
  }

  private static byte[] toBytes(int[] values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static void emitSession(
      SplittableRandom rng, long startMs, int segments, long base, LongList events) {
    double u = rng.nextDouble();
    int r =
        u < RENDITION_PROBABILITY[0]
            ? 0
            : u < RENDITION_PROBABILITY[0] + RENDITION_PROBABILITY[1] ? 1 : 2;
    int watched =
        rng.nextDouble() < COMPLETE_PROBABILITY
            ? segments
            : (int)
                Math.max(
                    1,
                    Math.min(segments, Math.ceil(exponential(rng, MEAN_STOP_FRACTION) * segments)));
    for (int s = 0; s < watched; s++) {
      if (s > 0 && rng.nextDouble() < SWITCH_PROBABILITY) {
        r = r == 0 ? 1 : r == 2 ? 1 : (rng.nextBoolean() ? 0 : 2);
      }
      long object = base + (long) r * segments + s;
      events.add(((startMs + (long) s * SEGMENT_MS) << 32) | object);
    }
  }

  private static int videoOf(int object, long[] base) {
    int v = Arrays.binarySearch(base, object);
    return v >= 0 ? v : -v - 2;
  }

  /** A segment's size: the rendition's nominal size times a factor in 1 ± 0.3, from a hash. */
  static int segmentBytes(long seed, long object, int rendition) {
    long h = mix(seed * 0x9E3779B97F4A7C15L + object);
    double u = (h >>> 11) * 0x1.0p-53;
    return (int) Math.round(NOMINAL_BYTES[rendition] * (1 + SIZE_SPREAD * (2 * u - 1)));
  }

  private static long mix(long z) { // SplitMix64's finaliser
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static double gaussian(SplittableRandom rng) { // Box-Muller, one of the pair
    double u1 = 1 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static double exponential(SplittableRandom rng, double mean) {
    return -mean * Math.log(1 - rng.nextDouble());
  }

  private static final class LongList {
    private long[] items;
    private int size;

    LongList(int capacity) {
      items = new long[Math.max(16, capacity)];
    }

    void add(long value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, items.length + (items.length >> 1));
      }
      items[size++] = value;
    }

    long[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }

  private static final class IntList {
    private int[] items;
    private int size;

    IntList(int capacity) {
      items = new int[Math.max(16, capacity)];
    }

    void add(int value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, items.length + (items.length >> 1));
      }
      items[size++] = value;
    }

    int size() {
      return size;
    }

    int[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }
}
