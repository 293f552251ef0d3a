package org.reelbox.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.control.edges.EdgeRecord;
import org.reelbox.control.edges.EdgeStatsReport;
import org.reelbox.control.store.VideoId;

class EdgePurgeTest {
  private static final String SECRET = "edge-purge-test-secret-0123456789abcdef";
  private static final VideoId VIDEO = VideoId.of("AbCdEfGhIjK");

  private static EdgeRecord edge(String id, String url) {
    Instant now = Instant.now();
    return new EdgeRecord(id, "r", url, 1, EdgeStatsReport.zero(), 1, now, now, false, 0);
  }

  @Test
  void purge_silentBoxTimesOut_othersAnswerAtOnce_allInParallel() throws Exception {
    // Silent boxes: the kernel completes the connection (the backlog), nobody ever reads.
    try (FakeEdge ok = new FakeEdge(SECRET);
        ServerSocket silent1 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket silent2 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket silent3 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // A cold JVM takes seconds over its first request (class loading on both sides, on a busy
      // machine): warm up with a generous timeout, then measure.
      EdgePurge.Result warm =
          new EdgePurge(ClusterAuth.of(SECRET), Duration.ofSeconds(30))
              .purge(List.of(edge("ok", ok.url())), VIDEO)
              .get()
              .get(0);
      assertThat(warm.purged()).as(warm.toString()).isTrue();
      ok.purged.clear();
      EdgePurge purge = new EdgePurge(ClusterAuth.of(SECRET), Duration.ofMillis(2000));
      long start = System.nanoTime();

      List<EdgePurge.Result> results =
          purge
              .purge(
                  List.of(
                      edge("ok", ok.url() + "/"),
                      edge("silent1", "http://127.0.0.1:" + silent1.getLocalPort()),
                      edge("silent2", "http://127.0.0.1:" + silent2.getLocalPort()),
                      edge("silent3", "http://127.0.0.1:" + silent3.getLocalPort())),
                  VIDEO)
              .get();

      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(results)
          .extracting(EdgePurge.Result::edgeId)
          .containsExactly("ok", "silent1", "silent2", "silent3");
      assertThat(results.get(0).status()).as(results.get(0).error()).isEqualTo(200);
      assertThat(results.get(0).error()).isNull();
      assertThat(ok.purged).containsExactly("/internal/cache/videos/" + VIDEO.value());
      for (EdgePurge.Result silent : results.subList(1, 4)) {
        assertThat(silent.status()).isNull();
        assertThat(silent.error()).isEqualTo("no answer within 2000 ms");
      }
      // The silent boxes waited out their timeouts side by side: one after the other would be 6 s.
      assertThat(tookMs).isGreaterThanOrEqualTo(1900).isLessThan(5500);
    }
  }

  @Test
  void purge_refusedConnectionAndWrongCredential_reportedPerBox() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (FakeEdge otherCluster = new FakeEdge("another-cluster-secret-0123456789abcdef")) {
      EdgePurge purge = new EdgePurge(ClusterAuth.of(SECRET), Duration.ofSeconds(3));

      List<EdgePurge.Result> results =
          purge
              .purge(
                  List.of(
                      edge("down", "http://127.0.0.1:" + closedPort),
                      edge("other", otherCluster.url())),
                  VIDEO)
              .get();

      assertThat(results.get(0).status()).isNull();
      assertThat(results.get(0).error()).isNotBlank();
      assertThat(results.get(1).status()).isEqualTo(403);
      assertThat(results.get(1).error()).isEqualTo("FORBIDDEN: refused by the fake edge");
      assertThat(otherCluster.purged).isEmpty();
    }
  }

  @Test
  void purge_noEdges_emptyAtOnce() throws Exception {
    assertThat(
            new EdgePurge(ClusterAuth.of(SECRET), Duration.ofSeconds(3))
                .purge(List.of(), VIDEO)
                .get())
        .isEmpty();
  }
}
