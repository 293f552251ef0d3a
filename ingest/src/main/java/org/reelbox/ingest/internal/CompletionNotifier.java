package org.reelbox.ingest.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.ingest.IngestConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the control plane that a video's upload is complete (docs/upload.md §3), at least once.
 *
 * <p><b>Durable.</b> A notification is a file {@code {videoId}.json} in its directory, written
 * (atomically) before the first attempt and deleted once the control plane has answered for good.
 * {@link #start()} picks up the files a previous run left, so a notification survives a restart.
 * One file per video: a video uploaded again before its first notification went through is notified
 * with what is now in {@code originals/}.
 *
 * <p><b>Retries.</b> 2xx acknowledges; 404 (unknown video) and 409 (a state that cannot become
 * UPLOADED) are final, logged and dropped; anything else (5xx, 401, no connection) is retried with
 * exponential back-off from {@code initialBackoffMillis} doubling up to {@code maxBackoffMillis},
 * with ±10% jitter so that a fleet of ingests does not retry in lockstep, until acknowledged.
 */
final class CompletionNotifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CompletionNotifier.class);
  private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** What the control plane is told; also the content of the file. */
  record Notification(String videoId, String uploadId, long sizeBytes, String sha256) {
    Notification {
      requireNonNull(videoId, "videoId");
      requireNonNull(uploadId, "uploadId");
      requireNonNull(sha256, "sha256");
      if (!VIDEO_ID.matcher(videoId).matches()) {
        throw new IllegalArgumentException("not a video id: " + videoId);
      }
    }
  }

  /** The request body: {@code {"sizeBytes": 123, "sha256": "<hex>"}}. */
  private record UploadedBody(long sizeBytes, String sha256) {}

  private final Path dir;
  private final String controlPlaneUrl;
  private final ClusterAuth auth;
  private final IngestConfig.Notifications config;
  private final IngestMetrics metrics;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;

  // videoId -> failed attempts so far, for the videos with an attempt scheduled or running.
  private final Map<String, Integer> scheduled = new HashMap<>();
  // Videos enqueued again while their attempt was scheduled or running.
  private final Map<String, Boolean> dirty = new HashMap<>();

  CompletionNotifier(
      Path dir,
      String controlPlaneUrl,
      ClusterAuth auth,
      IngestConfig.Notifications config,
      IngestMetrics metrics)
      throws IOException {
    this.dir = Files.createDirectories(requireNonNull(dir, "dir"));
    this.controlPlaneUrl = requireNonNull(controlPlaneUrl, "controlPlaneUrl");
    this.auth = requireNonNull(auth, "auth");
    this.config = requireNonNull(config, "config");
    this.metrics = requireNonNull(metrics, "metrics");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, "ingest-notify");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.scheduler = executor;
  }

  /** Schedules the notifications a previous run left on disk. */
  void start() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String videoId = name.substring(0, name.length() - ".json".length());
        if (VIDEO_ID.matcher(videoId).matches()) {
          log.info("resuming the pending upload notification of video {}", videoId);
          schedule(videoId);
        }
      }
    }
  }

  /** Records the notification on disk, then tries to deliver it. */
  void enqueue(Notification notification) throws IOException {
    Path file = file(notification.videoId());
    Path temp = Files.createTempFile(dir, notification.videoId() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(Json.writeBytes(notification)));
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    schedule(notification.videoId());
  }

  /** Whether a notification for {@code videoId} waits on disk. */
  boolean isPending(String videoId) {
    return Files.exists(file(videoId));
  }

  private synchronized void schedule(String videoId) {
    if (scheduled.containsKey(videoId)) {
      dirty.put(videoId, true);
      return;
    }
    scheduled.put(videoId, 0);
    submit(videoId, 0);
  }

  private void submit(String videoId, long delayMillis) {
    try {
      scheduler.schedule(() -> attempt(videoId), delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Stopping: the file stays, and the next start resumes it.
    }
  }

  private void attempt(String videoId) {
    Optional<Notification> notification = read(videoId);
    synchronized (this) {
      dirty.remove(videoId);
    }
    if (notification.isEmpty()) {
      done(videoId);
      return;
    }
    Outcome outcome = deliver(notification.get());
    if (outcome == Outcome.RETRY) {
      int failures;
      synchronized (this) {
        failures = scheduled.merge(videoId, 1, Integer::sum);
      }
      metrics.notification("retried");
      submit(videoId, backoffMillis(failures));
      return;
    }
    synchronized (this) {
      // Delete only what was delivered: a newer notification for the video may have replaced it.
      if (read(videoId).equals(notification)) {
        deleteQuietly(file(videoId));
      }
      if (dirty.remove(videoId) != null || isPending(videoId)) {
        scheduled.put(videoId, 0);
        submit(videoId, 0);
        return;
      }
    }
    done(videoId);
  }

  private synchronized void done(String videoId) {
    scheduled.remove(videoId);
  }

  private enum Outcome {
    DELIVERED,
    DROPPED,
    RETRY
  }

  private Outcome deliver(Notification n) {
    URI uri = URI.create(controlPlaneUrl + "/internal/videos/" + n.videoId() + "/uploaded");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    Json.writeBytes(new UploadedBody(n.sizeBytes(), n.sha256()))));
    auth.apply(request);
    int status;
    try {
      status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.RETRY;
    } catch (ConnectException e) {
      log.debug("control plane unreachable for video {}: {}", n.videoId(), e.toString());
      return Outcome.RETRY;
    } catch (IOException e) {
      log.info("notifying video {} failed: {}; will retry", n.videoId(), e.toString());
      return Outcome.RETRY;
    }
    if (status >= 200 && status < 300) {
      log.info("control plane acknowledged the upload of video {}", n.videoId());
      metrics.notification("acknowledged");
      return Outcome.DELIVERED;
    }
    if (status == 404 || status == 409) {
      log.warn(
          "control plane refused the upload of video {} with {}; dropping the notification",
          n.videoId(),
          status);
      metrics.notification("dropped");
      return Outcome.DROPPED;
    }
    log.info("control plane answered {} for video {}; will retry", status, n.videoId());
    return Outcome.RETRY;
  }

  long backoffMillis(int failures) {
    long base = config.initialBackoffMillis();
    long delay = failures >= 62 ? Long.MAX_VALUE : base << Math.max(0, failures - 1);
    if (delay <= 0 || delay > config.maxBackoffMillis()) {
      delay = config.maxBackoffMillis();
    }
    double jitter = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    return Math.max(1, (long) (delay * jitter));
  }

  private Optional<Notification> read(String videoId) {
    try {
      return Optional.of(
          Json.mapper().readValue(Files.readAllBytes(file(videoId)), Notification.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      log.error(
          "unreadable upload notification for video {}; dropping it: {}", videoId, e.toString());
      deleteQuietly(file(videoId));
      return Optional.empty();
    }
  }

  private Path file(String videoId) {
    return dir.resolve(videoId + ".json");
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", file, e.toString());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
