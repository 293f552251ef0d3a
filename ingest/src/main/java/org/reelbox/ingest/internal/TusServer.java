package org.reelbox.ingest.internal;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.Tokens;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.ingest.IngestConfig;
import org.reelbox.ingest.store.UploadStore;
import org.reelbox.ingest.store.internal.FileUploadStore;
import org.reelbox.ingest.store.internal.S3UploadStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything behind ingest's tus routes, built from the role's config: the {@link UploadStore} (the
 * file store under {@code dataDir/uploads}, or S3 in the role's bucket), the upload service, the
 * notifier, the expiry sweeper and the threads they run on.
 */
public final class TusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TusServer.class);

  private final UploadStore store;
  private final CompletionNotifier notifier;
  private final UploadService service;
  private final ExecutorService bodyExecutor;
  private final ScheduledExecutorService sweeper;
  private final TusHandler handler;

  private TusServer(
      UploadStore store,
      CompletionNotifier notifier,
      UploadService service,
      ExecutorService bodyExecutor,
      ScheduledExecutorService sweeper,
      TusHandler handler) {
    this.store = store;
    this.notifier = notifier;
    this.service = service;
    this.bodyExecutor = bodyExecutor;
    this.sweeper = sweeper;
    this.handler = handler;
  }

  /**
   * Opens the upload store, resumes what a previous run left unfinished (commits, notifications),
   * and starts the sweeper.
   *
   * @param dataDir the role's data directory
   * @param blobs the role's blob store, where finished uploads are committed
   * @param registry the role's meters
   * @param clock the time for tokens, expiry and the sweeper
   */
  public static TusServer open(
      IngestConfig config, Path dataDir, BlobStore blobs, MeterRegistry registry, Clock clock)
      throws IOException {
    requireNonNull(config, "config");
    IngestConfig.Uploads uploads = config.uploads();
    Path staging = dataDir.resolve("staging");
    emptyDirectory(staging);
    UploadStore store =
        switch (config.storage().type()) {
          case "s3" ->
              new S3UploadStore(
                  config.storage().s3(),
                  uploads.s3PartSizeBytes(),
                  staging.resolve("s3"),
                  /* sameBucketAsBlobs= */ true);
          default ->
              new FileUploadStore(dataDir.resolve("uploads"), uploads.durableOffsets(), clock);
        };
    IngestMetrics metrics = new IngestMetrics(registry);
    CompletionNotifier notifier = null;
    UploadService service = null;
    try {
      notifier =
          new CompletionNotifier(
              dataDir.resolve("notifications"),
              config.cluster().controlPlaneUrl(),
              ClusterAuth.of(config.cluster().secret()),
              config.notifications(),
              metrics);
      service =
          new UploadService(
              store,
              blobs,
              notifier,
              metrics,
              clock,
              uploads,
              config.notifications(),
              staging.resolve("chunks"));
      service.recover();
      notifier.start();
    } catch (IOException | RuntimeException e) {
      if (service != null) {
        service.close();
      }
      if (notifier != null) {
        notifier.close();
      }
      store.close();
      throw e;
    }

    ScheduledThreadPoolExecutor sweeper = new ScheduledThreadPoolExecutor(1, named("ingest-sweep"));
    UploadService sweeping = service;
    sweeper.scheduleWithFixedDelay(
        sweeping::sweep,
        uploads.sweepIntervalSeconds(),
        uploads.sweepIntervalSeconds(),
        TimeUnit.SECONDS);
    // Bounded: a burst beyond threads plus queue is answered 503 rather than held in memory.
    ThreadPoolExecutor bodies =
        new ThreadPoolExecutor(
            uploads.ioThreads(),
            uploads.ioThreads(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(uploads.ioThreads() * 4),
            named("ingest-io"));
    bodies.allowCoreThreadTimeOut(true);
    Tokens tokens = new Tokens(KeyRing.derivedFrom(config.cluster().secret()), clock);
    TusHandler handler =
        new TusHandler(service, tokens, bodies, Duration.ofSeconds(uploads.idleTimeoutSeconds()));
    log.info("tus uploads in {}, extensions {}", store, service.extensions());
    return new TusServer(store, notifier, service, bodies, sweeper, handler);
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Staged parts and chunks of a previous run are of no use: their requests are gone. */
  private static void emptyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry)) {
          emptyDirectory(entry);
        } else {
          Files.deleteIfExists(entry);
        }
      }
    }
  }

  /** Mounts the tus routes. */
  public void mount(Router router) {
    handler.mount(router);
  }

  /** Aborts the request bodies being read; their bytes so far are stored. */
  public void stopAccepting() {
    handler.abortAll();
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    handler.abortAll();
    bodyExecutor.shutdown();
    try {
      if (!bodyExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("request bodies still being stored after 10 s; stopping anyway");
        bodyExecutor.shutdownNow();
      }
      sweeper.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    service.close();
    notifier.close();
    try {
      store.close();
    } catch (IOException e) {
      log.warn("closing the upload store failed: {}", e.toString());
    }
  }
}
