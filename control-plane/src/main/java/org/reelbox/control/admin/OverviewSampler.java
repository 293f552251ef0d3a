package org.reelbox.control.admin;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.reelbox.control.cost.TrafficLedger;
import org.reelbox.control.edges.EdgeRecord;
import org.reelbox.control.edges.EdgeRegistry;
import org.reelbox.control.edges.EdgeStatsReport;
import org.reelbox.control.work.ResourceManager;
import org.reelbox.control.work.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's history: every interval, a sample of the task queue, the edges and the traffic,
 * kept in memory for the last 24 hours (a bounded ring; the oldest sample goes when a new one does
 * not fit). Nothing is stored: a restart starts an empty history, and each control plane keeps its
 * own. The daily traffic, which is durable, comes from the cost report instead.
 *
 * <p>Traffic is sampled as what happened during the interval, not as running totals: {@code
 * edgeBytes} and {@code originBytes} are the bytes the cost ledger booked since the previous
 * sample, and {@code hitRatio} is the byte hit ratio of what the edges served since then, from the
 * difference of each box's counters (a box whose counters went down restarted, and all it reports
 * is new; a new box's first counters are new too). So the first sample comes one interval after the
 * start, and {@code hitRatio} is null for an interval in which the edges served nothing.
 *
 * <p>One thread of its own; a sample that fails (the database is down) is skipped and logged, and
 * the next one covers both intervals.
 */
public final class OverviewSampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OverviewSampler.class);

  /** How far back the history goes. */
  public static final Duration SPAN = Duration.ofHours(24);

  /**
   * One sample.
   *
   * @param at when it was taken
   * @param runningTasks tasks leased to workers
   * @param queuedTasks tasks ready and waiting for a worker (or a retry's back-off)
   * @param healthyEdges boxes the registry counts as up (a recent heartbeat, few server errors)
   * @param edgeBytes bytes the boxes served during the interval
   * @param originBytes bytes the origin served straight to viewers during the interval
   * @param hitRatio the boxes' byte hit ratio during the interval; null when they served nothing
   */
  public record Sample(
      Instant at,
      int runningTasks,
      int queuedTasks,
      int healthyEdges,
      long edgeBytes,
      long originBytes,
      Double hitRatio) {
    public Sample {
      requireNonNull(at, "at");
    }
  }

  private final ResourceManager work;
  private final EdgeRegistry edges;
  private final TrafficLedger traffic;
  private final Clock clock;
  private final Duration interval;
  private final int capacity;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "reelbox-overview-sampler");
            t.setDaemon(true);
            return t;
          });

  // Guarded by this.
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  // Guarded by tickLock: a tick reads the database, and must not hold up readers of the ring.
  private final Object tickLock = new Object();
  private TrafficLedger.Totals lastTotals;
  private Map<String, long[]> lastEdgeBytes;

  public OverviewSampler(
      ResourceManager work,
      EdgeRegistry edges,
      TrafficLedger traffic,
      Clock clock,
      Duration interval) {
    this.work = requireNonNull(work, "work");
    this.edges = requireNonNull(edges, "edges");
    this.traffic = requireNonNull(traffic, "traffic");
    this.clock = requireNonNull(clock, "clock");
    this.interval = requireNonNull(interval, "interval");
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("interval must be at least 1 ms, got " + interval);
    }
    this.capacity = (int) Math.max(1, ceilDiv(SPAN.toMillis(), interval.toMillis()));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** Takes the baseline now and a sample every interval from then on. */
  public void start() {
    executor.scheduleAtFixedRate(this::tickSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Duration interval() {
    return interval;
  }

  /** How many samples the ring holds: 24 hours of them. */
  public int capacity() {
    return capacity;
  }

  /** The samples, oldest first. */
  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("overview sample skipped: {}", e.toString());
    }
  }

  /** Reads the cluster; the first call only sets the baseline. Public for tests. */
  public void tick() {
    synchronized (tickLock) {
      tickLocked();
    }
  }

  private void tickLocked() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    int running = work.taskCount(TaskState.RUNNING);
    int queued = work.taskCount(TaskState.QUEUED);
    List<EdgeRecord> boxes = edges.edges();
    TrafficLedger.Totals totals = traffic.totals();
    int healthy = (int) boxes.stream().filter(edges::isHealthy).count();

    Map<String, long[]> edgeBytes = new HashMap<>();
    long hit = 0;
    long miss = 0;
    for (EdgeRecord e : boxes) {
      EdgeStatsReport s = e.stats();
      long[] current = {s.hitBytes(), s.missBytes()};
      edgeBytes.put(e.edgeId(), current);
      long[] last = lastEdgeBytes == null ? null : lastEdgeBytes.get(e.edgeId());
      boolean fresh = last == null || current[0] < last[0] || current[1] < last[1];
      hit += fresh ? current[0] : current[0] - last[0];
      miss += fresh ? current[1] : current[1] - last[1];
    }
    if (lastTotals != null) {
      // Restarts never lower the ledger's sums, so the differences are never negative.
      Sample sample =
          new Sample(
              now,
              running,
              queued,
              healthy,
              totals.edgeBytes() - lastTotals.edgeBytes(),
              totals.originBytes() - lastTotals.originBytes(),
              hit + miss == 0 ? null : (double) hit / (hit + miss));
      append(sample);
    }
    lastTotals = totals;
    lastEdgeBytes = edgeBytes;
  }

  private synchronized void append(Sample sample) {
    if (samples.size() == capacity) {
      samples.removeFirst();
    }
    samples.addLast(sample);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
