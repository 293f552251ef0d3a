package org.reelbox.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.playback.PlaybackAuthorizer;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;

/**
 * The origin counts the bytes it serves straight to viewers, not an edge box's fills, and reports
 * the cumulative counters to the control plane's cost ledger (docs/edges.md, "Cost").
 */
class ViewerTrafficTest {
  @TempDir Path dir;
  private FakeControlPlane controlPlane;
  private OriginRole origin;

  @BeforeEach
  void start() throws Exception {
    controlPlane = new FakeControlPlane(OriginFixtures.SECRET);
    OriginConfig base = OriginFixtures.config(dir, StorageConfig.fileDefault());
    OriginConfig config =
        new OriginConfig(
                base.http(),
                base.dataDir(),
                base.storage(),
                new ClusterConfig(OriginFixtures.SECRET, controlPlane.url().toString()),
                base.requireTokens(),
                base.playlistMaxAgeSeconds(),
                base.blockingThreads(),
                base.jit(),
                base.traffic())
            .withTraffic(new TrafficConfig("origin-a", 1));
    origin = new OriginRole(config);
    origin.start();
    OriginFixtures.writeVideo(origin.blobs(), OriginFixtures.VIDEO);
  }

  @AfterEach
  void stop() {
    if (origin != null) {
      origin.close();
    }
    controlPlane.close();
  }

  private String edgeToken() {
    return OriginFixtures.TOKENS.sign(
        TokenClaims.unsigned(
            OriginFixtures.VIDEO,
            TokenScope.PLAY,
            PlaybackAuthorizer.EDGE_OWNER,
            0,
            Instant.now().plusSeconds(60)));
  }

  @Test
  void viewersBytesAreCountedAndReported_edgeFillsAreNot() throws Exception {
    int port = origin.baseUrl().getPort();
    String v = "/v/" + OriginFixtures.VIDEO + "/720p/";
    // A viewer without a token, a viewer with one: both egress.
    var a = OriginFixtures.rawGet(port, v + "1.ts");
    var b =
        OriginFixtures.rawGet(
            port, "/t/" + OriginFixtures.playToken(OriginFixtures.VIDEO) + v + "0.ts");
    // An edge box filling its cache: not egress (the box reports what it serves).
    var fill = OriginFixtures.rawGet(port, "/t/" + edgeToken() + v + "1.ts");
    assertThat(a.status()).isEqualTo(200);
    assertThat(b.status()).isEqualTo(200);
    assertThat(fill.status()).isEqualTo(200);
    long expected = a.body().length + b.body().length;

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> origin.viewerTraffic().bytesSent() == expected);
    assertThat(origin.viewerTraffic().requests()).isEqualTo(2);

    // Reported every second, cumulative, under the configured id with the cluster credential.
    String want = "origin-a {\"bytesSent\":" + expected + ",\"requests\":2}";
    await().atMost(Duration.ofSeconds(5)).until(() -> controlPlane.reports.contains(want));

    // A clean stop sends the last counters at once.
    OriginFixtures.rawGet(port, v + "0.ts");
    int before = controlPlane.reports.size();
    origin.close();
    origin = null;
    assertThat(controlPlane.reports.subList(before, controlPlane.reports.size()))
        .contains(
            "origin-a {\"bytesSent\":"
                + (expected + OriginFixtures.SEGMENT_0.length)
                + ",\"requests\":3}");
  }

  @Test
  void aForgedEdgeTokenIsRefusedNotUncounted() throws Exception {
    // An "edge" owner in a token signed with another secret is no edge: the request is refused.
    String forged =
        new org.reelbox.common.security.Tokens(
                org.reelbox.common.security.KeyRing.derivedFrom(
                    "another-secret-0123456789abcdefghij"),
                java.time.Clock.systemUTC())
            .sign(
                TokenClaims.unsigned(
                    OriginFixtures.VIDEO,
                    TokenScope.PLAY,
                    PlaybackAuthorizer.EDGE_OWNER,
                    0,
                    Instant.now().plusSeconds(60)));
    var r =
        OriginFixtures.rawGet(
            origin.baseUrl().getPort(),
            "/t/" + forged + "/v/" + OriginFixtures.VIDEO + "/720p/0.ts");
    assertThat(r.status()).isEqualTo(403);
    assertThat(origin.viewerTraffic().bytesSent()).isZero();
  }
}
