package org.reelbox.control.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CidrBlock}, {@link RegionTable}, {@link ClientAddress} and {@link Rendezvous}. */
class RoutingTablesTest {
  private static InetAddress ip(String text) {
    return CidrBlock.literal(text).orElseThrow(() -> new AssertionError("not an address: " + text));
  }

  private static RegionTable table(String... cidrAndRegion) {
    List<RegionTable.Entry> entries = new ArrayList<>();
    for (int i = 0; i < cidrAndRegion.length; i += 2) {
      entries.add(new RegionTable.Entry(CidrBlock.parse(cidrAndRegion[i]), cidrAndRegion[i + 1]));
    }
    return new RegionTable(entries, "fallback");
  }

  @Test
  void lookup_nestedBlocks_longestPrefixWins() {
    RegionTable t =
        table(
            "10.0.0.0/8",
            "isp-a",
            "10.1.0.0/16",
            "isp-b",
            "10.1.2.0/24",
            "isp-c",
            "0.0.0.0/0",
            "world");
    assertThat(t.lookup(ip("10.1.2.3")).region()).isEqualTo("isp-c");
    assertThat(t.lookup(ip("10.1.3.3")).region()).isEqualTo("isp-b");
    assertThat(t.lookup(ip("10.2.0.1")).region()).isEqualTo("isp-a");
    assertThat(t.lookup(ip("10.2.0.1")).block().orElseThrow().toString()).isEqualTo("10.0.0.0/8");
    assertThat(t.lookup(ip("192.0.2.1")).region()).isEqualTo("world");
  }

  @Test
  void lookup_ipv6_longestPrefixWinsAndFamiliesAreSeparate() {
    RegionTable t =
        table("2001:db8::/32", "isp-a", "2001:db8:abcd::/48", "isp-b", "10.0.0.0/8", "isp-v4");
    assertThat(t.lookup(ip("2001:db8:abcd:1::7")).region()).isEqualTo("isp-b");
    assertThat(t.lookup(ip("2001:db8:1::7")).region()).isEqualTo("isp-a");
    assertThat(t.lookup(ip("2001:db9::1")).region()).isEqualTo("fallback");
    // An IPv4-mapped IPv6 address is the IPv4 address.
    assertThat(t.lookup(ip("::ffff:10.9.9.9")).region()).isEqualTo("isp-v4");
  }

  @Test
  void lookup_randomTables_agreesWithALinearScan() throws Exception {
    java.util.Random random = new java.util.Random(42);
    List<RegionTable.Entry> entries = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 400; i++) {
      boolean v6 = i % 3 == 0;
      byte[] raw = new byte[v6 ? 16 : 4];
      random.nextBytes(raw);
      // Few distinct leading bytes, so blocks nest and overlap.
      raw[0] = (byte) random.nextInt(3);
      int length = random.nextInt(raw.length * 8 + 1);
      java.math.BigInteger a =
          CidrBlock.mask(new java.math.BigInteger(1, raw), raw.length * 8, length);
      CidrBlock block = new CidrBlock(a, raw.length * 8, length);
      if (seen.add(block.toString())) {
        entries.add(new RegionTable.Entry(block, "r" + i));
      }
    }
    RegionTable t = new RegionTable(entries, "fallback");
    for (int q = 0; q < 5000; q++) {
      byte[] raw = new byte[q % 3 == 0 ? 16 : 4];
      random.nextBytes(raw);
      raw[0] = (byte) random.nextInt(3);
      InetAddress address = InetAddress.getByAddress(raw);
      RegionTable.Entry best = null;
      for (RegionTable.Entry e : entries) {
        if (e.block().contains(address)
            && (best == null || e.block().prefixLength() > best.block().prefixLength())) {
          best = e;
        }
      }
      assertThat(t.lookup(address).region())
          .as("%s", address)
          .isEqualTo(best == null ? "fallback" : best.region());
    }
  }

  @Test
  void lookup_unknownAddress_defaultRegionWithNoBlock() {
    RegionTable.Match m = table("10.0.0.0/8", "isp-a").lookup(ip("203.0.113.9"));
    assertThat(m.region()).isEqualTo("fallback");
    assertThat(m.block()).isEmpty();
    assertThat(table().lookup(ip("::1")).region()).isEqualTo("fallback");
  }

  @Test
  void parse_canonicalForm() {
    assertThat(CidrBlock.parse("2001:DB8:0:0::/32").toString()).isEqualTo("2001:db8::/32");
    assertThat(CidrBlock.parse("0.0.0.0/0").toString()).isEqualTo("0.0.0.0/0");
    assertThat(CidrBlock.parse("::/0").toString()).isEqualTo("::/0");
    assertThat(CidrBlock.parse("192.0.2.7/32").toString()).isEqualTo("192.0.2.7/32");
    assertThat(CidrBlock.parse("2001:db8::1/128").toString()).isEqualTo("2001:db8::1/128");
  }

  @Test
  void parse_badBlocks_refusedNamingTheProblem() {
    assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0")).hasMessageContaining("ADDRESS/PREFIX");
    assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/33")).hasMessageContaining("0-32");
    assertThatThrownBy(() -> CidrBlock.parse("2001:db8::/129")).hasMessageContaining("0-128");
    assertThatThrownBy(() -> CidrBlock.parse("10.0.0.1/8"))
        .hasMessageContaining("host bits")
        .hasMessageContaining("10.0.0.0/8");
    assertThatThrownBy(() -> CidrBlock.parse("256.0.0.0/8")).hasMessageContaining("not an IPv4");
    assertThatThrownBy(() -> CidrBlock.parse("example.com/8")).hasMessageContaining("not an IPv4");
    assertThatThrownBy(() -> CidrBlock.parse("10.0.0/8")).hasMessageContaining("not an IPv4");
    assertThatThrownBy(() -> CidrBlock.parse("2001:zz8::/32")).hasMessageContaining("not an IPv4");
    assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/-1")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/8/8"))
        .hasMessageContaining("ADDRESS/PREFIX");
    assertThatThrownBy(() -> CidrBlock.parse("fe80::1%eth0/64"))
        .hasMessageContaining("not an IPv4");
  }

  @Test
  void clientAddress_forwardedFor_onlyFromTrustedProxies() {
    ClientAddress none = new ClientAddress(List.of());
    assertThat(none.resolve("127.0.0.1", List.of("198.51.100.7"))).contains(ip("127.0.0.1"));

    ClientAddress trusting = new ClientAddress(List.of(CidrBlock.parse("10.0.0.0/8")));
    assertThat(trusting.resolve("10.0.0.1", List.of("198.51.100.7"))).contains(ip("198.51.100.7"));
    // The client's own claim (leftmost) is not believed past an untrusted hop.
    assertThat(trusting.resolve("10.0.0.1", List.of("1.1.1.1, 198.51.100.7, 10.0.0.2")))
        .contains(ip("198.51.100.7"));
    // A peer that is no proxy of ours: its header is ignored.
    assertThat(trusting.resolve("203.0.113.5", List.of("198.51.100.7")))
        .contains(ip("203.0.113.5"));
    // Garbage in the header stops at the last vouched-for address.
    assertThat(trusting.resolve("10.0.0.1", List.of("evil.example"))).contains(ip("10.0.0.1"));
    assertThat(trusting.resolve("not-an-ip", List.of())).isEmpty();
  }

  @Test
  void rendezvous_spreadsVideosAndRemovingABoxMovesOnlyItsVideos() {
    List<String> boxes = List.of("box-1", "box-2", "box-3", "box-4");
    Map<String, String> chosen = new HashMap<>();
    Map<String, Integer> load = new HashMap<>();
    for (int v = 0; v < 4000; v++) {
      String video = "vid" + v;
      String box = Rendezvous.order(video, boxes, b -> b).get(0);
      chosen.put(video, box);
      load.merge(box, 1, Integer::sum);
    }
    // 1000 each expected; a fair hash stays within a few standard deviations (~27).
    assertThat(load).hasSize(4);
    load.values().forEach(n -> assertThat(n).isBetween(850, 1150));

    List<String> without2 = List.of("box-1", "box-3", "box-4");
    int moved = 0;
    for (Map.Entry<String, String> e : chosen.entrySet()) {
      String now = Rendezvous.order(e.getKey(), without2, b -> b).get(0);
      if (e.getValue().equals("box-2")) {
        moved++;
        // Its videos go to what was their second choice.
        assertThat(now).isEqualTo(Rendezvous.order(e.getKey(), boxes, b -> b).get(1));
      } else {
        assertThat(now).as("video %s", e.getKey()).isEqualTo(e.getValue());
      }
    }
    assertThat(moved).isEqualTo(load.get("box-2"));
    // The order does not depend on the order the boxes are listed in.
    assertThat(Rendezvous.order("vid7", List.of("box-4", "box-3", "box-2", "box-1"), b -> b))
        .isEqualTo(Rendezvous.order("vid7", boxes, b -> b));
  }
}
