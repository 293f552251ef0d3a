package org.reelbox.edge.register;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.edge.EdgeStats;
import org.reelbox.edge.ViewCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the box with the control plane and keeps it registered: {@code POST
 * {controlPlaneUrl}/internal/edges/{id}/heartbeat} with the cluster credential and {@code {region,
 * publicUrl, capacityBytes, stats}} (docs/edges.md). The first heartbeat registers the box; the
 * control plane counts it healthy while heartbeats keep coming.
 *
 * <p><b>Never in the way of serving.</b> Heartbeats go out from one thread of their own; the stats
 * supplier is called there and must be cheap (a snapshot of counters). Nothing the control plane
 * does, slow or down, reaches a viewer's request.
 *
 * <p><b>Timing.</b> One heartbeat at {@link #start()}, then one per interval after each success.
 * After a failure (no connection, timeout, any non-2xx answer) the next try comes sooner: after the
 * initial back-off, doubling with each further failure, but never later than the interval, so a box
 * that lost the control plane for a while shows up healthy again within one interval of its return.
 * Every delay gets ±10% jitter, so that a fleet started together (or cut off together) does not
 * beat in lockstep.
 *
 * <p><b>Logging.</b> The first failure of a run of failures is a warning, the rest are debug lines
 * plus one warning a minute saying it still fails; the recovery is an info line. A control plane
 * that is down for an hour costs 60 log lines, not thousands.
 *
 * <p>{@link #close()} stops it: a heartbeat in flight is abandoned, none is sent after.
 */
public final class EdgeRegistrar implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EdgeRegistrar.class);

  /** The most videos whose views one heartbeat carries (the control plane takes no more). */
  public static final int MAX_VIEWS_PER_BEAT = 1000;

  /** How often a run of failures is logged at warning level. */
  static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

  /**
   * What the registrar sends and where.
   *
   * @param controlPlaneUrl the control plane's base URL, without a trailing slash
   * @param edgeId the box's id ({@link EdgeId})
   * @param region the region (ISP) the box serves
   * @param publicUrl where viewers reach the box
   * @param capacityBytes the box's disk budget
   * @param interval the time between heartbeats while all is well
   * @param initialBackoff the delay before the first retry after a failure
   */
  public record Settings(
      String controlPlaneUrl,
      ClusterAuth auth,
      String edgeId,
      String region,
      String publicUrl,
      long capacityBytes,
      Duration interval,
      Duration initialBackoff) {
    public Settings {
      requireNonNull(controlPlaneUrl, "controlPlaneUrl");
      requireNonNull(auth, "auth");
      requireNonNull(edgeId, "edgeId");
      requireNonNull(region, "region");
      requireNonNull(publicUrl, "publicUrl");
      requireNonNull(interval, "interval");
      requireNonNull(initialBackoff, "initialBackoff");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive: " + interval);
      }
      if (initialBackoff.isNegative() || initialBackoff.isZero()) {
        throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
      }
    }
  }

  private final Settings settings;
  private final Supplier<EdgeStats> stats;
  private final Clock clock;
  private final URI uri;
  private final HttpClient http;
  private final ScheduledThreadPoolExecutor scheduler;
  private final ViewCounts views;
  private final Counter sent;
  private final Counter failed;

  // Touched only by the scheduler's one thread.
  private int failures;
  private Instant failingSince;
  private Instant lastFailureLog;
  private boolean registeredOnce;

  private volatile Instant lastSuccessAt;

  /**
   * @param stats the box's counters, read for each heartbeat
   * @param views views per video since the last acknowledged heartbeat; the busiest {@value
   *     #MAX_VIEWS_PER_BEAT} are sent and, once acknowledged, subtracted
   */
  public EdgeRegistrar(
      Settings settings,
      Supplier<EdgeStats> stats,
      ViewCounts views,
      MeterRegistry meters,
      Clock clock) {
    this.settings = requireNonNull(settings, "settings");
    this.stats = requireNonNull(stats, "stats");
    this.views = requireNonNull(views, "views");
    this.clock = requireNonNull(clock, "clock");
    this.uri =
        URI.create(
            settings.controlPlaneUrl() + "/internal/edges/" + settings.edgeId() + "/heartbeat");
    // A connect that hangs must not delay the next beat past its interval.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(requestTimeout())
            .build();
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "edge-heartbeat");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    requireNonNull(meters, "meters");
    this.sent =
        Counter.builder("reelbox_edge_heartbeats")
            .description("heartbeats the control plane acknowledged")
            .tag("outcome", "ok")
            .register(meters);
    this.failed =
        Counter.builder("reelbox_edge_heartbeats")
            .description("heartbeats that failed (no answer or not 2xx)")
            .tag("outcome", "failed")
            .register(meters);
  }

  /** Sends the first heartbeat now (on the registrar's thread) and keeps sending. */
  public void start() {
    schedule(Duration.ZERO);
  }

  /** When the control plane last acknowledged a heartbeat; null before the first. */
  public Instant lastSuccessAt() {
    return lastSuccessAt;
  }

  private Duration requestTimeout() {
    Duration t = settings.interval();
    // A busy control plane (a cold start, a GC) may take seconds: a short timeout would only
    // turn its late answers into failures and retries.
    Duration min = Duration.ofSeconds(5);
    Duration max = Duration.ofSeconds(10);
    return t.compareTo(min) < 0 ? min : t.compareTo(max) > 0 ? max : t;
  }

  private void schedule(Duration delay) {
    try {
      scheduler.schedule(this::beat, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closed: no more heartbeats.
    }
  }

  private void beat() {
    String problem;
    try {
      problem = send();
    } catch (InterruptedException e) {
      // close(): stop without another word.
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      // The stats supplier, or a bug: the registrar must outlive it.
      problem = e.toString();
    }
    if (problem == null) {
      succeeded();
      schedule(jitter(settings.interval()));
    } else {
      failed(problem);
      schedule(jitter(backoff(failures)));
    }
  }

  /** Sends one heartbeat; null when acknowledged, else what went wrong. */
  private String send() throws InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("region", settings.region());
    body.put("publicUrl", settings.publicUrl());
    body.put("capacityBytes", settings.capacityBytes());
    body.put("stats", requireNonNull(stats.get(), "stats supplier returned null"));
    Map<String, Long> viewed = views.top(MAX_VIEWS_PER_BEAT);
    body.put("views", viewed);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(body)));
    settings.auth().apply(request);
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return "cannot reach the control plane at " + settings.controlPlaneUrl() + ": " + e;
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      views.subtract(viewed);
      if (!registeredOnce) {
        registeredOnce = true;
        // 200 on a first beat: the registry knew the box already (a restart, or an earlier beat
        // whose answer was lost).
        log.info(
            "edge {} {} the control plane's registry at {} (region {}, {})",
            settings.edgeId(),
            status == 201 ? "registered with" : "reports to",
            settings.controlPlaneUrl(),
            settings.region(),
            settings.publicUrl());
      }
      return null;
    }
    // The error body is the control plane's {"error", "message"}: no secret in it, and it says
    // what to fix (a 401 is a wrong cluster secret; a 400 a field the control plane refuses).
    String answer = response.body();
    if (answer.length() > 300) {
      answer = answer.substring(0, 300) + "…";
    }
    return "the control plane answered " + status + ": " + answer;
  }

  private void succeeded() {
    Instant now = clock.instant();
    lastSuccessAt = now;
    sent.increment();
    if (failures > 0) {
      log.info(
          "edge heartbeat reaches the control plane again after {} failed attempts over {} s",
          failures,
          Duration.between(failingSince, now).toSeconds());
    }
    failures = 0;
    failingSince = null;
    lastFailureLog = null;
  }

  private void failed(String problem) {
    Instant now = clock.instant();
    failed.increment();
    failures++;
    if (failures == 1) {
      failingSince = now;
      lastFailureLog = now;
      log.warn("edge heartbeat failed, retrying: {}", problem);
    } else if (!now.isBefore(lastFailureLog.plus(FAILURE_LOG_INTERVAL))) {
      lastFailureLog = now;
      log.warn(
          "edge heartbeat still failing after {} attempts over {} s: {}",
          failures,
          Duration.between(failingSince, now).toSeconds(),
          problem);
    } else {
      log.debug("edge heartbeat failed (attempt {}): {}", failures, problem);
    }
  }

  /** The delay after {@code failures} failures in a row: doubling, capped by the interval. */
  Duration backoff(int failures) {
    Duration delay = settings.initialBackoff();
    for (int i = 1; i < failures && delay.compareTo(settings.interval()) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(settings.interval()) < 0 ? delay : settings.interval();
  }

  private static Duration jitter(Duration delay) {
    double factor = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    return Duration.ofMillis(Math.max(1, (long) (delay.toMillis() * factor)));
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("the edge heartbeat thread did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
