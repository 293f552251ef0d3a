package org.reelbox.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes stream through: a 200 MB upload in one PATCH does not grow the heap (measured after forced
 * collections while it runs, so that only live data counts) by more than a bounded amount. Also
 * reports the loopback throughput of the file store.
 */
class FileStoreMemoryTest {
  private static final Logger log = LoggerFactory.getLogger("org.reelbox.ingest.TusThroughput");
  private static final long SIZE = 200L * 1000 * 1000;
  private static final long MAX_GROWTH_BYTES = 50L * 1024 * 1024;

  @TempDir Path dir;

  @Test
  void patch_200MegabytesInOneRequest_heapStaysFlat() throws Exception {
    try (FakeControlPlane controlPlane = new FakeControlPlane(IngestHarness.SECRET).start();
        IngestHarness ingest =
            new IngestHarness(
                    dir,
                    new TestClock(Instant.now()),
                    IngestHarness.fileStorage(),
                    controlPlane.url(),
                    o -> {})
                .start()) {
      TusClient client = new TusClient(ingest::baseUrl);
      String video = "memory-test";
      String location = client.create(ingest.token(video, SIZE, Duration.ofHours(1)), SIZE);
      MessageDigest sent = Media.digest("SHA-256");
      HttpRequest patch =
          client
              .request(location)
              .header("Tus-Resumable", "1.0.0")
              .header("Content-Type", TusClient.OCTETS)
              .header("Upload-Offset", "0")
              .method(
                  "PATCH",
                  HttpRequest.BodyPublishers.fromPublisher(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new DigestInputStream(Media.mp4Stream(SIZE, 42), sent)),
                      SIZE))
              .build();

      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      long baseline = usedAfterGc(memory);
      AtomicLong peak = new AtomicLong(baseline);
      AtomicBoolean running = new AtomicBoolean(true);
      Thread sampler =
          new Thread(
              () -> {
                while (running.get()) {
                  peak.accumulateAndGet(usedAfterGc(memory), Math::max);
                  sleep(300);
                }
              },
              "heap-sampler");
      sampler.start();
      long start = System.nanoTime();
      HttpResponse<String> response;
      try {
        response = client.send(patch);
      } finally {
        running.set(false);
        sampler.join();
      }
      double seconds = (System.nanoTime() - start) / 1e9;

      assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
      assertThat(response.headers().firstValue("Upload-Offset")).contains(Long.toString(SIZE));
      long growth = peak.get() - baseline;
      log.info(
          "200 MB in one PATCH over loopback, file store: {} MB/s; heap growth {} MB",
          String.format("%.0f", SIZE / 1e6 / seconds),
          growth / (1024 * 1024));
      assertThat(growth).as("heap growth in bytes").isLessThan(MAX_GROWTH_BYTES);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !controlPlane.acknowledged(video).isEmpty());
      JsonNode body = Json.mapper().readTree(controlPlane.acknowledged(video).get(0).body());
      assertThat(body.path("sha256").asText()).isEqualTo(HexFormat.of().formatHex(sent.digest()));
      assertThat(body.path("sizeBytes").asLong()).isEqualTo(SIZE);
      try (InputStream in = ingest.blobs().get("originals/" + video + "/source")) {
        assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(SIZE);
      }
    }
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
