package org.reelbox.ingest.internal;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.reelbox.ingest.store.ConcatKind;

/**
 * Ingest's own meters, on the role's registry (scraped at {@code /metrics}):
 *
 * <ul>
 *   <li>{@code ingest_uploads_creations_total{kind=single|partial|final}} (not "created": the
 *       Prometheus format reserves the {@code _created} suffix)
 *   <li>{@code ingest_uploads_completed_total}: videos committed to {@code originals/}
 *   <li>{@code ingest_uploads_failed_total{reason=container|expired|commit}}
 *   <li>{@code ingest_uploads_terminated_total}: tus terminations by clients
 *   <li>{@code ingest_bytes_received_total}: request body bytes taken in
 *   <li>{@code ingest_uploads_active}: uploads receiving bytes
 *   <li>{@code ingest_notifications_total{outcome=acknowledged|retried|dropped}}
 * </ul>
 */
final class IngestMetrics {
  private final MeterRegistry registry;
  private final Counter completed;
  private final Counter terminated;
  private final Counter bytesReceived;
  private final AtomicLong active = new AtomicLong();

  IngestMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    completed =
        Counter.builder("ingest.uploads.completed")
            .description("videos whose upload was committed to originals/")
            .register(registry);
    terminated =
        Counter.builder("ingest.uploads.terminated")
            .description("uploads terminated by their client")
            .register(registry);
    bytesReceived =
        Counter.builder("ingest.bytes.received")
            .description("request body bytes taken in")
            .baseUnit("bytes")
            .register(registry);
    Gauge.builder("ingest.uploads.active", active, AtomicLong::get)
        .description("uploads receiving bytes")
        .register(registry);
  }

  void created(ConcatKind kind) {
    String name =
        switch (kind) {
          case NONE -> "single";
          case PARTIAL -> "partial";
          case FINAL -> "final";
        };
    Counter.builder("ingest.uploads.creations")
        .description("uploads created")
        .tag("kind", name)
        .register(registry)
        .increment();
  }

  void completed() {
    completed.increment();
  }

  void failed(String reason) {
    Counter.builder("ingest.uploads.failed")
        .description("uploads that failed: rejected container, expired, commit error")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  void terminated() {
    terminated.increment();
  }

  void bytesReceived(long bytes) {
    if (bytes > 0) {
      bytesReceived.increment(bytes);
    }
  }

  void activeChanged(long delta) {
    active.addAndGet(delta);
  }

  void activeIs(long count) {
    active.set(count);
  }

  long active() {
    return active.get();
  }

  void notification(String outcome) {
    Counter.builder("ingest.notifications")
        .description("upload-complete notifications to the control plane")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
