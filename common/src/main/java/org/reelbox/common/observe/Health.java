package org.reelbox.common.observe;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness and readiness of one role.
 *
 * <p>{@code /healthz} (liveness) answers 200 while the process runs and is not shutting down: a
 * failing liveness probe means "restart me". {@code /readyz} (readiness) runs every registered
 * {@link Check} (database reachable, blob store reachable, …) and answers 503 when one fails or
 * while the role is starting or stopping: a failing readiness probe means "send me no traffic".
 *
 * <p>Checks may block briefly (a database ping); servers call {@link #readiness()} off their event
 * loops.
 */
public final class Health {
  private static final Logger log = LoggerFactory.getLogger(Health.class);

  /** A readiness check: returns normally when healthy, throws (with a reason) when not. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  /** The outcome of a probe: overall status and each check's status. */
  public record Status(String role, boolean up, Map<String, String> checks) {
    public Status {
      requireNonNull(role, "role");
      checks = Map.copyOf(checks);
    }

    public int httpStatus() {
      return up ? 200 : 503;
    }

    /** {@code {"status":"UP","role":"ingest","checks":{"db":"UP"}}} */
    public Map<String, Object> toJsonMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", up ? "UP" : "DOWN");
      m.put("role", role);
      m.put("checks", new java.util.TreeMap<>(checks));
      return m;
    }
  }

  private final String role;
  private final Map<String, Check> checks = new ConcurrentHashMap<>();
  private volatile boolean ready;
  private volatile boolean stopping;

  public Health(String role) {
    this.role = requireNonNull(role, "role");
  }

  /** Adds a readiness check under {@code name}. */
  public Health addCheck(String name, Check check) {
    checks.put(requireNonNull(name, "name"), requireNonNull(check, "check"));
    return this;
  }

  /** Marks the role as started: readiness may now pass. */
  public void markReady() {
    ready = true;
  }

  /** Marks the role as shutting down: both probes fail from now on. */
  public void markStopping() {
    stopping = true;
  }

  public Status liveness() {
    return new Status(role, !stopping, Map.of());
  }

  public Status readiness() {
    Map<String, String> results = new LinkedHashMap<>();
    boolean up = ready && !stopping;
    if (!ready) {
      results.put("started", "DOWN: starting");
    } else if (stopping) {
      results.put("started", "DOWN: stopping");
    }
    for (Map.Entry<String, Check> e : checks.entrySet()) {
      try {
        e.getValue().run();
        results.put(e.getKey(), "UP");
      } catch (Exception ex) {
        up = false;
        // The reason goes to the probe's caller; keep it short and free of secrets.
        results.put(e.getKey(), "DOWN: " + ex.getClass().getSimpleName());
        log.warn("{} readiness check {} failed: {}", role, e.getKey(), ex.toString());
      }
    }
    return new Status(role, up, results);
  }
}
