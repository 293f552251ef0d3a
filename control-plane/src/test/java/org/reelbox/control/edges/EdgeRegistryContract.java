package org.reelbox.control.edges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reelbox.common.testing.MutableClock;

/** The edge registry on a real database (H2 and PostgreSQL subclasses), with a manual clock. */
abstract class EdgeRegistryContract {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  protected final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  protected EdgeRegistry registry;
  private DataSource dataSource;

  /** A data source on an empty, migrated database. */
  protected abstract DataSource dataSource() throws Exception;

  protected void release() throws Exception {}

  @BeforeEach
  void open() throws Exception {
    dataSource = dataSource();
    registry = new EdgeRegistry(dataSource, clock, TIMEOUT);
  }

  @AfterEach
  void close() throws Exception {
    release();
  }

  static EdgeStatsReport stats(long base) {
    long[] v = new long[EdgeStatsReport.FIELDS.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = base + i;
    }
    // No 5xx: these boxes are healthy unless a test says otherwise.
    v[EdgeStatsReport.FIELDS.indexOf("serverErrors")] = 0;
    return EdgeStatsReport.of(v);
  }

  static EdgeHeartbeat beat(String id, String region, long statsBase) {
    return new EdgeHeartbeat(
        id, region, "http://" + id + ".isp.example:8083/", 10_000_000_000L, stats(statsBase));
  }

  private List<String> routable(String region) {
    return registry.routableEdges(region).stream().map(EdgeRecord::edgeId).sorted().toList();
  }

  @Test
  void routableEdges_healthyAndNotDrainingOfTheRegionOnly() {
    registry.heartbeat(beat("box-1", "isp-a", 1));
    registry.heartbeat(beat("box-2", "isp-a", 1));
    registry.heartbeat(beat("box-3", "isp-b", 1));
    assertThat(routable("isp-a")).containsExactly("box-1", "box-2");

    clock.advance(TIMEOUT.minusSeconds(1));
    registry.heartbeat(beat("box-2", "isp-a", 2));
    assertThat(routable("isp-a")).containsExactly("box-1", "box-2");
    // At the timeout box-1 is no longer healthy, the same boundary as isHealthy.
    clock.advance(Duration.ofSeconds(1));
    assertThat(routable("isp-a")).containsExactly("box-2");
    assertThat(registry.isHealthy(registry.find("box-1").orElseThrow())).isFalse();
    assertThat(routable("isp-c")).isEmpty();
  }

  @Test
  void setDraining_keptAcrossHeartbeatsUntilUndrained() {
    registry.heartbeat(beat("box-1", "isp-a", 1));
    assertThat(registry.find("box-1").orElseThrow().draining()).isFalse();

    EdgeRecord drained = registry.setDraining("box-1", true).orElseThrow();
    assertThat(drained.draining()).isTrue();
    assertThat(routable("isp-a")).isEmpty();
    registry.heartbeat(beat("box-1", "isp-a", 2));
    assertThat(registry.find("box-1").orElseThrow().draining()).isTrue();
    assertThat(registry.isHealthy(registry.find("box-1").orElseThrow())).isTrue();
    assertThat(routable("isp-a")).isEmpty();

    assertThat(registry.setDraining("box-1", false).orElseThrow().draining()).isFalse();
    assertThat(routable("isp-a")).containsExactly("box-1");
    assertThat(registry.setDraining("no-such-box", true)).isEmpty();
    assertThat(registry.setDraining("bad id!", true)).isEmpty();
  }

  @Test
  void regionStore_putReplaceRemoveAndRebuildFromTheTable() {
    var store = new org.reelbox.control.routing.RegionStore(dataSource, clock, "default");
    var v4 = org.reelbox.control.routing.CidrBlock.parse("10.0.0.0/8");
    var v6 = org.reelbox.control.routing.CidrBlock.parse("2001:db8::/32");
    assertThat(store.put(v4, "isp-a")).isTrue();
    assertThat(store.put(v6, "isp-6")).isTrue();
    assertThat(store.put(v4, "isp-b")).isFalse();
    java.net.InetAddress inV4 =
        org.reelbox.control.routing.CidrBlock.literal("10.1.2.3").orElseThrow();
    assertThat(store.table().lookup(inV4).region()).isEqualTo("isp-b");

    // A second store on the same database (a restart) sees the same table.
    var again = new org.reelbox.control.routing.RegionStore(dataSource, clock, "default");
    assertThat(again.table().entries()).isEqualTo(store.table().entries());
    assertThat(store.remove(v4)).isTrue();
    assertThat(store.remove(v4)).isFalse();
    assertThat(store.table().lookup(inV4).region()).isEqualTo("default");
    again.reload();
    assertThat(again.table().entries()).hasSize(1);
  }

  @Test
  void heartbeat_newBox_registersWithEverythingItReported() {
    EdgeRegistry.Registration r = registry.heartbeat(beat("box-1", "isp-a", 5));

    assertThat(r.registered()).isTrue();
    EdgeRecord e = registry.find("box-1").orElseThrow();
    assertThat(e).isEqualTo(r.edge());
    assertThat(e.region()).isEqualTo("isp-a");
    // Held without the trailing slash: players append /v/{id}/….
    assertThat(e.publicUrl()).isEqualTo("http://box-1.isp.example:8083");
    assertThat(e.capacityBytes()).isEqualTo(10_000_000_000L);
    assertThat(e.stats()).isEqualTo(stats(5));
    assertThat(e.heartbeats()).isEqualTo(1);
    assertThat(e.firstSeenAt()).isEqualTo(clock.instant());
    assertThat(e.lastSeenAt()).isEqualTo(clock.instant());
    assertThat(registry.isHealthy(e)).isTrue();
  }

  @Test
  void heartbeat_knownBox_updatesStatsAndLastSeenKeepsFirstSeen() {
    Instant first = clock.instant();
    registry.heartbeat(beat("box-1", "isp-a", 5));
    clock.advance(Duration.ofSeconds(10));

    EdgeRegistry.Registration r =
        registry.heartbeat(
            new EdgeHeartbeat("box-1", "isp-b", "https://new.example", 42, stats(100)));

    assertThat(r.registered()).isFalse();
    EdgeRecord e = registry.find("box-1").orElseThrow();
    assertThat(e.region()).isEqualTo("isp-b");
    assertThat(e.publicUrl()).isEqualTo("https://new.example");
    assertThat(e.capacityBytes()).isEqualTo(42);
    assertThat(e.stats()).isEqualTo(stats(100));
    assertThat(e.heartbeats()).isEqualTo(2);
    assertThat(e.firstSeenAt()).isEqualTo(first);
    assertThat(e.lastSeenAt()).isEqualTo(clock.instant());
    assertThat(registry.edges()).hasSize(1);
  }

  /** Stats with {@code requests} and {@code serverErrors} set, everything else zero. */
  static EdgeStatsReport traffic(long requests, long serverErrors) {
    long[] v = new long[EdgeStatsReport.FIELDS.size()];
    v[EdgeStatsReport.FIELDS.indexOf("requests")] = requests;
    v[EdgeStatsReport.FIELDS.indexOf("serverErrors")] = serverErrors;
    return EdgeStatsReport.of(v);
  }

  private void beatWith(String id, EdgeStatsReport s) {
    registry.heartbeat(new EdgeHeartbeat(id, "isp-a", "http://" + id + ".example", 1, s));
  }

  @Test
  void errorRate_betweenTwoHeartbeats_decidesHealthAndRouting() {
    // 1000 requests, 10 failed: 1%, healthy.
    beatWith("box-1", traffic(1000, 10));
    beatWith("box-2", traffic(1000, 0));
    assertThat(registry.find("box-1").orElseThrow().errorRate()).isEqualTo(0.01);
    assertThat(routable("isp-a")).containsExactly("box-1", "box-2");

    // Then 100 more requests, 60 of them 5xx: 60% over the last interval, whatever came before.
    beatWith("box-1", traffic(1100, 70));
    EdgeRecord sick = registry.find("box-1").orElseThrow();
    assertThat(sick.errorRate()).isEqualTo(0.6);
    assertThat(registry.isHealthy(sick)).isFalse();
    assertThat(routable("isp-a")).containsExactly("box-2");

    // Recovered: 200 requests, none failed. Back in service at once.
    beatWith("box-1", traffic(1300, 70));
    assertThat(registry.isHealthy(registry.find("box-1").orElseThrow())).isTrue();
    assertThat(routable("isp-a")).containsExactly("box-1", "box-2");

    // A quiet interval (5 requests, all failed) says too little: not an outage.
    beatWith("box-1", traffic(1305, 75));
    assertThat(registry.find("box-1").orElseThrow().errorRate()).isZero();

    // A restart (counters went down) counts the new counters whole: 30 of 40 failed.
    beatWith("box-1", traffic(40, 30));
    assertThat(registry.find("box-1").orElseThrow().errorRate()).isEqualTo(0.75);
    assertThat(routable("isp-a")).containsExactly("box-2");
  }

  @Test
  void errorRate_impossibleStatsAreRefused() {
    assertThatThrownBy(() -> traffic(10, 11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serverErrors");
  }

  @Test
  void isHealthy_silentForTheTimeout_notHealthyUntilTheNextHeartbeat() {
    registry.heartbeat(beat("box-1", "isp-a", 0));
    clock.advance(TIMEOUT.minusMillis(1));
    assertThat(registry.isHealthy(registry.find("box-1").orElseThrow())).isTrue();

    clock.advance(Duration.ofMillis(1));
    assertThat(registry.isHealthy(registry.find("box-1").orElseThrow())).isFalse();
    // Never forgotten: an unhealthy box stays listed, and its next heartbeat brings it back.
    assertThat(registry.edges()).extracting(EdgeRecord::edgeId).containsExactly("box-1");

    assertThat(registry.heartbeat(beat("box-1", "isp-a", 1)).registered()).isFalse();
    assertThat(registry.isHealthy(registry.find("box-1").orElseThrow())).isTrue();
  }

  @Test
  void edges_severalBoxes_byRegionThenId() {
    registry.heartbeat(beat("b", "isp-b", 0));
    registry.heartbeat(beat("c", "isp-a", 0));
    registry.heartbeat(beat("a", "isp-b", 0));

    assertThat(registry.edges()).extracting(EdgeRecord::edgeId).containsExactly("c", "a", "b");
  }

  @Test
  void find_unknownOrMalformedId_empty() {
    assertThat(registry.find("nobody")).isEmpty();
    assertThat(registry.find("../etc")).isEmpty();
    assertThat(registry.find("")).isEmpty();
  }

  @Test
  void heartbeat_manyFirstHeartbeatsOfOneBoxAtOnce_oneRegistrationEveryBeatCounted()
      throws Exception {
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<EdgeRegistry.Registration>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long base = i;
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return registry.heartbeat(beat("racer", "isp-a", base));
                }));
      }
      go.countDown();
      int registrations = 0;
      for (Future<EdgeRegistry.Registration> f : results) {
        registrations += f.get(30, TimeUnit.SECONDS).registered() ? 1 : 0;
      }
      assertThat(registrations).isEqualTo(1);
      assertThat(registry.find("racer").orElseThrow().heartbeats()).isEqualTo(n);
    } finally {
      pool.shutdownNow();
    }
  }
}
