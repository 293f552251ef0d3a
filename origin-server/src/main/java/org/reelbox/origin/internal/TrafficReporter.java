package org.reelbox.origin.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the origin's {@link ViewerTraffic} counters to the control plane's cost ledger ({@code POST
 * /internal/origins/{id}/stats}, cluster credential) every interval, and once more when it closes.
 *
 * <p>The counters are cumulative, so a lost report loses nothing: the next one carries the total,
 * and the ledger books the difference (docs/edges.md, "Cost"). Failures are logged once per change
 * of state (down, back), not once per interval, so an origin whose control plane is away for an
 * hour does not fill its log.
 */
public final class TrafficReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrafficReporter.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  private final URI endpoint;
  private final ClusterAuth auth;
  private final ViewerTraffic traffic;
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private volatile boolean failing;

  /**
   * @param controlPlaneUrl such as {@code http://127.0.0.1:8080}
   * @param originId this origin's name in the ledger (already validated by the config)
   */
  public TrafficReporter(
      String controlPlaneUrl, String originId, ClusterAuth auth, ViewerTraffic traffic) {
    String base = requireNonNull(controlPlaneUrl, "controlPlaneUrl").replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/internal/origins/" + originId + "/stats");
    this.auth = requireNonNull(auth, "auth");
    this.traffic = requireNonNull(traffic, "traffic");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CALL_TIMEOUT)
            .build();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "origin-traffic-reporter");
              t.setDaemon(true);
              return t;
            });
  }

  /** Reports every {@code interval}, the first after one interval. */
  public TrafficReporter start(Duration interval) {
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(this::reportQuietly, ms, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Sends the counters now.
   *
   * @return whether the control plane took them
   */
  public boolean report() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("bytesSent", traffic.bytesSent());
    body.put("requests", traffic.requests());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(CALL_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    auth.apply(request);
    try {
      HttpResponse<Void> response =
          http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      return settle(response.statusCode() == 200, "answered " + response.statusCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return settle(false, e.toString());
    }
  }

  private void reportQuietly() {
    try {
      report();
    } catch (RuntimeException e) {
      // A bug must not cancel the schedule (a throwing task is never run again).
      log.warn("traffic report failed", e);
    }
  }

  private boolean settle(boolean ok, String why) {
    if (!ok && !failing) {
      log.warn("cannot report viewer traffic to the control plane ({}); will keep trying", why);
    } else if (ok && failing) {
      log.info("viewer traffic reports reach the control plane again");
    }
    failing = !ok;
    return ok;
  }

  /** Stops the schedule and sends a last report, so that a clean stop loses no bytes. */
  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(2, TimeUnit.SECONDS);
    report();
  }
}
