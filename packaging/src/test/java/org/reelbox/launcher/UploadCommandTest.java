package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.testing.FaultProxy;
import org.reelbox.launcher.client.ApiClient;
import org.reelbox.launcher.client.ClientSettings;

/**
 * {@code reelbox upload} against the real appliance, with the control plane handing out upload URLs
 * that lead through a fault proxy: the CLI must resume after connection resets and the stored
 * original must hash like the source.
 */
class UploadCommandTest {
  @TempDir static Path tmp;
  private static AllInOne all;
  private static FaultProxy proxy;
  private static Path dataDir;

  @BeforeAll
  static void setUp() throws Exception {
    int base = freeBase();
    // Every upload URL points at the proxy, which forwards to ingest (base + 1) and resets the
    // first two connections that carry more than 3 MiB.
    proxy = new FaultProxy(new InetSocketAddress("127.0.0.1", base + 1), 3 << 20, 2);
    dataDir = tmp.resolve("data");
    all =
        AllInOne.start(
            dataDir,
            Optional.of(base),
            Map.of("REELBOX_CONTROL_PLANE_INGEST_URL", "http://127.0.0.1:" + proxy.port()));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (all != null) {
      all.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  record Run(int exit, String out, String err) {}

  private static Run upload(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      String[] full = new String[args.length + 1];
      full[0] = "upload";
      System.arraycopy(args, 0, full, 1, args.length);
      exit = Reelbox.execute(full);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void upload_parallelThroughResets_resumesAndStoresTheSameBytes() throws Exception {
    Path source = tmp.resolve("movie.mp4");
    String sha = TusJsClientIT.writeFakeMp4(source, 16 * 1024 * 1024 + 777);

    Run r =
        upload(source.toString(), "--data", dataDir.toString(), "--parallel", "2", "--title", "t");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("upload complete").contains("resumed");
    assertThat(r.err()).contains("100.0%").contains("MB/s").contains("ETA");
    assertThat(proxy.resetsDone()).isEqualTo(2);
    String id =
        r.out()
            .lines()
            .filter(l -> l.startsWith("video "))
            .findFirst()
            .orElseThrow()
            .split("[ :]")[1];
    Path original = dataDir.resolve("blobs/originals/" + id + "/source");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!Files.exists(original) && System.nanoTime() < deadline) {
      Thread.sleep(50); // ingest commits in the background
    }
    assertThat(sha256(original)).isEqualTo(sha);
  }

  @Test
  void upload_withProfileAndRenditions_storesThemAsTheVideosPlanOptions() throws Exception {
    Path source = tmp.resolve("ladder.mp4");
    TusJsClientIT.writeFakeMp4(source, 4096);

    Run r =
        upload(
            source.toString(),
            "--data",
            dataDir.toString(),
            "--profile",
            "default",
            "--renditions",
            "480p,360p");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    String id = r.out().lines().findFirst().orElseThrow().split("[ :]")[1];
    ApiClient api = new ApiClient(ClientSettings.resolve(null, dataDir, null, Map.of()));
    JsonNode video = api.get("/api/v1/videos/" + id);
    assertThat(video.path("profile").asText()).isEqualTo("default");
    assertThat(video.path("planOptions").path("renditions").toString())
        .isEqualTo("[\"480p\",\"360p\"]");
  }

  @Test
  void upload_unknownRendition_exit1WithTheServersReason() throws Exception {
    Path source = tmp.resolve("bad-ladder.mp4");
    TusJsClientIT.writeFakeMp4(source, 4096);

    Run r = upload(source.toString(), "--data", dataDir.toString(), "--renditions", "999p");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("VALIDATION_FAILED");
  }

  @Test
  void upload_missingFile_exit2() {
    Run r = upload(tmp.resolve("nope.mp4").toString(), "--data", dataDir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read");
  }

  @Test
  void upload_wrongApiKey_exit1WithTheServersReason() throws Exception {
    Path source =
        Files.write(tmp.resolve("small.mp4"), new byte[] {0, 0, 0, 8, 'f', 't', 'y', 'p'});
    Run r =
        upload(
            source.toString(),
            "--api-key",
            "rbx_wrong",
            "--control-plane",
            all.urls().get("control-plane").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("401").contains("UNAUTHORIZED");
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /** A base port with the five ports from it free a moment ago. */
  private static int freeBase() throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = true;
      for (int i = 0; i < 5 && free; i++) {
        try (ServerSocket s =
            new ServerSocket(base + i, 1, java.net.InetAddress.getLoopbackAddress())) {
          free = s.getLocalPort() == base + i;
        } catch (java.io.IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no five free ports in a row");
  }
}
