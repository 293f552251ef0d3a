package org.reelbox.control.routing;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * CIDR blocks → regions, immutable, longest prefix wins: {@code 10.1.0.0/16 → isp-b} beats {@code
 * 10.0.0.0/8 → isp-a} for 10.1.2.3. An address in no block is in the default region.
 *
 * <p>One hash map per prefix length in use, per family; a lookup masks the address to each length,
 * longest first, and stops at the first hit: at most 33 (IPv4) or 129 (IPv6) hash probes, in
 * practice as many as there are distinct lengths in the table (a handful). Rebuilt whole on every
 * change; changes are rare (an admin's), lookups are every play request.
 */
public final class RegionTable {
  /** One entry of the table. */
  public record Entry(CidrBlock block, String region) {
    public Entry {
      requireNonNull(block, "block");
      requireNonNull(region, "region");
    }
  }

  /** Where an address fell: the region, and the block that put it there (empty: the default). */
  public record Match(String region, Optional<CidrBlock> block) {}

  private final String defaultRegion;
  private final List<Entry> entries;
  private final Family v4;
  private final Family v6;

  public RegionTable(List<Entry> entries, String defaultRegion) {
    this.defaultRegion = requireNonNull(defaultRegion, "defaultRegion");
    this.entries =
        entries.stream().sorted(Comparator.comparing((Entry e) -> e.block().toString())).toList();
    this.v4 = new Family(32, this.entries);
    this.v6 = new Family(128, this.entries);
  }

  /** The region of {@code address}, and the block that decided it. */
  public Match lookup(InetAddress address) {
    byte[] raw = address.getAddress();
    Family family = raw.length == 4 ? v4 : v6;
    return family
        .lookup(raw)
        .map(e -> new Match(e.region(), Optional.of(e.block())))
        .orElseGet(() -> new Match(defaultRegion, Optional.empty()));
  }

  /** Every entry: IPv4 first, then by address, then by prefix length. */
  public List<Entry> entries() {
    return entries;
  }

  public String defaultRegion() {
    return defaultRegion;
  }

  /**
   * One address family. Addresses are held as two longs (IPv4 in {@code lo} only), so masking is
   * two ANDs and a probe allocates one small key, not a BigInteger per prefix length.
   */
  private static final class Family {
    private record Key(long hi, long lo) {}

    private final int bits;
    // Longest prefix first, so the first hit is the answer.
    private final int[] lengths;
    private final List<Map<Key, Entry>> maps = new ArrayList<>();

    Family(int bits, List<Entry> entries) {
      this.bits = bits;
      TreeMap<Integer, Map<Key, Entry>> byLength = new TreeMap<>(Comparator.reverseOrder());
      for (Entry e : entries) {
        if (e.block().bits() == bits) {
          BigInteger a = e.block().address();
          byLength
              .computeIfAbsent(e.block().prefixLength(), k -> new HashMap<>())
              .put(new Key(a.shiftRight(64).longValue(), a.longValue()), e);
        }
      }
      lengths = byLength.keySet().stream().mapToInt(Integer::intValue).toArray();
      maps.addAll(byLength.values());
    }

    Optional<Entry> lookup(byte[] raw) {
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw.length == 16 && i < 8) {
          hi = (hi << 8) | (raw[i] & 0xff);
        } else {
          lo = (lo << 8) | (raw[i] & 0xff);
        }
      }
      for (int i = 0; i < lengths.length; i++) {
        Entry hit = maps.get(i).get(masked(hi, lo, lengths[i]));
        if (hit != null) {
          return Optional.of(hit);
        }
      }
      return Optional.empty();
    }

    private Key masked(long hi, long lo, int prefixLength) {
      // The network bits of a `bits`-wide address held right-aligned in (hi, lo).
      int hostBits = bits - prefixLength;
      if (hostBits >= 64) {
        long hiMask = hostBits >= 128 ? 0 : -1L << (hostBits - 64);
        return new Key(hi & hiMask, 0);
      }
      return new Key(hi, hostBits == 0 ? lo : lo & (-1L << hostBits));
    }
  }
}
