package org.reelbox.benchmarks.cachepolicy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * Replays synthetic segment traces ({@link TraceGenerator}) against the edge's policy ({@link
 * EdgePolicy}, i.e. {@code org.reelbox.edge.cache.CachePolicy}), the usual online policies, and the
 * band OPT lies in (Belady with bypass above, PFOO-L below), for each α and cache size, and prints
 * byte and object miss ratios and the goal check (5% of the catalog, α 0.8: edge ≤ 0.85 ×
 * LRU and ≤ 1.15 × the bound, in byte miss ratio).
 *
 * <p>Usage: {@code CachePolicySimulator [--quick] [--alphas 0.6,0.8,1.0] [--sizes
 * 0.01,0.05,0.10,0.20] [--threads 2] [--pooled N]}; {@code --pooled N} adds {@link
 * PooledEdgePolicy} (an experiment).
 */
public final class CachePolicySimulator {
  static final String EDGE = "edge: Caffeine W-TinyLFU (CachePolicy)";
  static final String LRU = "LRU";
  static final String LRU2 = "LRU, store on 2nd request (nginx min_uses 2)";
  static final String S3FIFO = "S3-FIFO";
  static final String SIEVE = "SIEVE";
  static final String ORACLE = "oracle rates (online, knows the model's rates)";
  static final String VIDEO_AWARE = "experiment: video-aware rate estimates";
  static final String BELADY = "Belady+bypass (offline, feasible: OPT <= this)";
  static final String PFOOL = "PFOO-L (lower bound: OPT >= this)";
  static final double GOAL_ALPHA = 0.8;
  static final double GOAL_SIZE = 0.05;
  static final double GOAL_VS_LRU = 0.85;
  static final double GOAL_VS_BOUND = 1.15;

  record Result(double byteMiss, double objectMiss, double seconds) {}

  private CachePolicySimulator() {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    double[] alphas = {0.6, 0.8, 1.0};
    double[] sizes = {0.01, 0.05, 0.10, 0.20};
    int threads = 2;
    int pooled = 0;
    boolean videoAware = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--alphas" -> alphas = parseList(args[++i]);
        case "--sizes" -> sizes = parseList(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--pooled" -> pooled = Integer.parseInt(args[++i]);
        case "--video-aware" -> videoAware = true;
        default -> {
          System.err.println(
              "usage: CachePolicySimulator [--quick] [--alphas 0.6,0.8,1.0]"
                  + " [--sizes 0.01,0.05,0.10,0.20] [--threads 2] [--pooled N] [--video-aware]");
          System.exit(2);
        }
      }
    }
    Arrays.sort(sizes);
    long started = System.nanoTime();
    var goal = new StringBuilder();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (double alpha : alphas) {
        var model = quick ? TraceModel.quick(alpha) : TraceModel.full(alpha);
        long t0 = System.nanoTime();
        var generated = TraceGenerator.generateWithOracle(model);
        Trace trace = generated.trace();
        trace.nextUse();
        double built = (System.nanoTime() - t0) / 1e9;
        Map<String, Result>[] results =
            simulate(pool, trace, generated.oracle(), sizes, pooled, videoAware);
        print(model, trace, built, sizes, results);
        for (int k = 0; k < sizes.length; k++) {
          if (alpha == GOAL_ALPHA && sizes[k] == GOAL_SIZE) {
            goal.append(goalLine(results[k]));
          }
        }
      }
    } finally {
      pool.shutdown();
    }
    if (goal.length() > 0) {
      System.out.println(goal);
    }
    System.out.printf(
        Locale.ROOT, "total %.0f s (%d threads)%n", (System.nanoTime() - started) / 1e9, threads);
  }

  /** Every policy at every size; the maps keep the print order. */
  @SuppressWarnings("unchecked")
  static Map<String, Result>[] simulate(
      ExecutorService pool,
      Trace trace,
      RateOracle oracle,
      double[] sizes,
      int pooled,
      boolean videoAware)
      throws InterruptedException, ExecutionException {
    long[] capacities = new long[sizes.length];
    for (int k = 0; k < sizes.length; k++) {
      capacities[k] = (long) (sizes[k] * trace.catalogBytes());
    }
    long meanObject = Math.max(1, trace.footprintBytes() / trace.objects());
    Map<String, LongFunction<Policy>> online = new LinkedHashMap<>();
    online.put(EDGE, EdgePolicy::new);
    online.put(LRU, c -> new Lru(c, trace.objects()));
    // nginx's keys zone: room for twice the keys of the objects the cache holds.
    online.put(
        LRU2,
        c ->
            new LruSecondHit(
                c, trace.objects(), (int) Math.max(1, Math.min(1 << 28, 2 * c / meanObject))));
    online.put(S3FIFO, c -> new S3Fifo(c, trace.objects()));
    online.put(SIEVE, c -> new Sieve(c, trace.objects()));
    if (videoAware && trace.hasSegmentInfo()) {
      online.put(
          VIDEO_AWARE,
          c -> {
            var estimator = new VideoAwareEstimator(trace, Math.max(1.0, trace.length() / 7.0));
            var rates =
                new OracleRate(c, trace.objects(), estimator, Math.max(1, trace.length() / 168));
            return new Policy() {
              int index;

              @Override
              public boolean access(int object, int sizeBytes) {
                estimator.observe(object, index);
                return rates.access(object, sizeBytes, index++);
              }

              @Override
              public long usedBytes() {
                return rates.usedBytes();
              }
            };
          });
    }
    if (pooled > 0) {
      int bucket = pooled;
      online.put(
          "experiment: edge, frequency pooled over " + bucket + " segments",
          c -> new PooledEdgePolicy(c, trace, bucket, false));
    }

    Future<double[][]> bound = pool.submit(() -> PfooL.bounds(trace, capacities));
    List<Future<Result>> futures = new ArrayList<>();
    for (long capacity : capacities) {
      for (var policy : online.values()) {
        futures.add(pool.submit(() -> replay(policy.apply(capacity), capacity, trace)));
      }
      futures.add(pool.submit(() -> replayOracle(capacity, trace, oracle)));
      futures.add(pool.submit(() -> replayBelady(capacity, trace)));
    }
    Map<String, Result>[] out = new Map[sizes.length];
    int f = 0;
    double[][] bounds = bound.get();
    for (int k = 0; k < sizes.length; k++) {
      out[k] = new LinkedHashMap<>();
      for (String name : online.keySet()) {
        out[k].put(name, futures.get(f++).get());
      }
      out[k].put(ORACLE, futures.get(f++).get());
      out[k].put(BELADY, futures.get(f++).get());
      out[k].put(PFOOL, new Result(bounds[k][0], bounds[k][1], Double.NaN));
    }
    return out;
  }

  static Result replay(Policy policy, long capacity, Trace trace) {
    long t0 = System.nanoTime();
    long missBytes = 0;
    long misses = 0;
    for (int i = 0; i < trace.length(); i++) {
      int object = trace.objectAt(i);
      int size = trace.sizeOf(object);
      boolean hit = policy.access(object, size);
      if (!hit && i >= trace.countFrom()) {
        misses++;
        missBytes += size;
      }
    }
    if (policy.usedBytes() > capacity) {
      throw new IllegalStateException(policy + " holds " + policy.usedBytes() + " > " + capacity);
    }
    return result(trace, missBytes, misses, t0);
  }

  static Result replayBelady(long capacity, Trace trace) {
    long t0 = System.nanoTime();
    var belady = new Belady(capacity, trace.objects());
    int[] next = trace.nextUse();
    long missBytes = 0;
    long misses = 0;
    for (int i = 0; i < trace.length(); i++) {
      int object = trace.objectAt(i);
      int size = trace.sizeOf(object);
      if (!belady.access(object, size, next[i]) && i >= trace.countFrom()) {
        misses++;
        missBytes += size;
      }
    }
    return result(trace, missBytes, misses, t0);
  }

  static Result replayOracle(long capacity, Trace trace, RateOracle oracle) {
    long t0 = System.nanoTime();
    // Refresh every priority about every trace hour.
    var policy =
        new OracleRate(capacity, trace.objects(), oracle, Math.max(1, trace.length() / 168));
    long missBytes = 0;
    long misses = 0;
    for (int i = 0; i < trace.length(); i++) {
      int object = trace.objectAt(i);
      int size = trace.sizeOf(object);
      if (!policy.access(object, size, i) && i >= trace.countFrom()) {
        misses++;
        missBytes += size;
      }
    }
    return result(trace, missBytes, misses, t0);
  }

  private static Result result(Trace trace, long missBytes, long misses, long t0) {
    long counted = trace.length() - trace.countFrom();
    return new Result(
        counted == 0 ? 0 : (double) missBytes / trace.countedBytes(),
        counted == 0 ? 0 : (double) misses / counted,
        (System.nanoTime() - t0) / 1e9);
  }

  private static void print(
      TraceModel model, Trace trace, double built, double[] sizes, Map<String, Result>[] results) {
    long counted = trace.length() - trace.countFrom();
    long countedBytes = trace.countedBytes();
    // Misses no cache avoids: first requests (in the counted part) of objects never seen before.
    boolean[] seen = new boolean[trace.objects()];
    long coldBytes = 0;
    long cold = 0;
    for (int i = 0; i < trace.length(); i++) {
      int o = trace.objectAt(i);
      if (!seen[o]) {
        seen[o] = true;
        if (i >= trace.countFrom()) {
          cold++;
          coldBytes += trace.sizeOf(o);
        }
      }
    }
    var out = System.out;
    out.printf(
        Locale.ROOT,
        "%n== alpha %.1f: %,d videos, catalog %.2f TB in %,d segments; %d days, %,d sessions,"
            + " %,d requests (%,d counted after %.0f day warm-up, %.2f TB); footprint %.2f TB in %,d"
            + " segments; cold (first-request) misses: bytes %.3f, objects %.3f; trace built in %.1f s%n",
        model.alpha(),
        model.videos(),
        trace.catalogBytes() / 1e12,
        trace.catalogObjects(),
        (int) model.days(),
        model.sessions(),
        trace.length(),
        counted,
        model.warmupDays(),
        countedBytes / 1e12,
        trace.footprintBytes() / 1e12,
        trace.objects(),
        (double) coldBytes / countedBytes,
        (double) cold / counted,
        built);
    for (int k = 0; k < sizes.length; k++) {
      long capacity = (long) (sizes[k] * trace.catalogBytes());
      out.printf(
          Locale.ROOT,
          "-- cache %.0f%% of catalog = %.3f TB (%.1f%% of the footprint)%n",
          sizes[k] * 100,
          capacity / 1e12,
          100.0 * capacity / trace.footprintBytes());
      out.printf(
          Locale.ROOT,
          "   %-48s %9s %9s %9s %7s%n",
          "policy",
          "byte miss",
          "obj miss",
          "bytes/LRU",
          "sec");
      Result lru = results[k].get(LRU);
      for (var e : results[k].entrySet()) {
        Result r = e.getValue();
        out.printf(
            Locale.ROOT,
            "   %-48s %9.4f %9.4f %9.3f %7s%n",
            e.getKey(),
            r.byteMiss(),
            r.objectMiss(),
            r.byteMiss() / lru.byteMiss(),
            Double.isNaN(r.seconds()) ? "" : String.format(Locale.ROOT, "%.1f", r.seconds()));
      }
      Result edge = results[k].get(EDGE);
      out.printf(
          Locale.ROOT,
          "   edge/LRU %.3f, edge/PFOO-L %.3f, edge/Belady %.3f (byte miss ratio)%n",
          edge.byteMiss() / lru.byteMiss(),
          edge.byteMiss() / results[k].get(PFOOL).byteMiss(),
          edge.byteMiss() / results[k].get(BELADY).byteMiss());
    }
  }

  static String goalLine(Map<String, Result> results) {
    double edge = results.get(EDGE).byteMiss();
    double vsLru = edge / results.get(LRU).byteMiss();
    double vsBound = edge / results.get(PFOOL).byteMiss();
    return String.format(
        Locale.ROOT,
        "%nGOAL (alpha 0.8, cache 5%% of catalog, byte miss ratio): edge %.4f; edge/LRU %.3f (goal <="
            + " %.2f: %s); edge/PFOO-L bound %.3f (goal <= %.2f: %s) -> %s",
        edge,
        vsLru,
        GOAL_VS_LRU,
        vsLru <= GOAL_VS_LRU ? "met" : "MISSED",
        vsBound,
        GOAL_VS_BOUND,
        vsBound <= GOAL_VS_BOUND ? "met" : "MISSED",
        vsLru <= GOAL_VS_LRU && vsBound <= GOAL_VS_BOUND ? "GOAL MET" : "GOAL MISSED");
  }

  private static double[] parseList(String s) {
    return Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
  }
}
