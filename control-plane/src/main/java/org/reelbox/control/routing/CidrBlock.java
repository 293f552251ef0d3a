package org.reelbox.control.routing;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block, {@code address/prefixLength}, with its host bits zero.
 *
 * @param address the network address: 4 or 16 bytes, as a non-negative number
 * @param bits 32 for IPv4, 128 for IPv6
 * @param prefixLength how many leading bits are the network: 0 to {@code bits}
 */
public record CidrBlock(BigInteger address, int bits, int prefixLength) {
  // Literal addresses only: a parser that accepts names would resolve them (DNS on every
  // admin write, and a table whose meaning changes with the resolver).
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  public CidrBlock {
    requireNonNull(address, "address");
    if (bits != 32 && bits != 128) {
      throw new IllegalArgumentException("bits must be 32 or 128, got " + bits);
    }
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix length must be 0-" + bits + ", got " + prefixLength);
    }
    if (address.signum() < 0 || address.bitLength() > bits) {
      throw new IllegalArgumentException("address out of range for " + bits + " bits: " + address);
    }
    if (!mask(address, bits, prefixLength).equals(address)) {
      throw new IllegalArgumentException(
          "host bits are set; the block is "
              + format(mask(address, bits, prefixLength), bits)
              + "/"
              + prefixLength);
    }
  }

  /**
   * Parses {@code 10.0.0.0/8} or {@code 2001:db8::/32}.
   *
   * @throws IllegalArgumentException naming what is wrong: no prefix, not a literal address, a
   *     prefix out of range, host bits set
   */
  public static CidrBlock parse(String text) {
    requireNonNull(text, "text");
    int slash = text.indexOf('/');
    if (slash < 0 || slash != text.lastIndexOf('/')) {
      throw new IllegalArgumentException(
          "a CIDR block is ADDRESS/PREFIX (10.0.0.0/8, 2001:db8::/32), got '" + text + "'");
    }
    InetAddress address =
        literal(text.substring(0, slash))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "not an IPv4 or IPv6 address: '" + text.substring(0, slash) + "'"));
    String prefix = text.substring(slash + 1);
    int bits = address instanceof Inet4Address ? 32 : 128;
    int length;
    if (!prefix.matches("\\d{1,3}") || (length = Integer.parseInt(prefix)) > bits) {
      throw new IllegalArgumentException(
          "the prefix length must be 0-" + bits + ", got '" + prefix + "'");
    }
    return new CidrBlock(new BigInteger(1, address.getAddress()), bits, length);
  }

  /**
   * A literal IPv4 or IPv6 address, never a name (so never a DNS lookup); empty if {@code text} is
   * not one. IPv4-mapped IPv6 ({@code ::ffff:1.2.3.4}) comes back as IPv4.
   */
  public static Optional<InetAddress> literal(String text) {
    if (text == null) {
      return Optional.empty();
    }
    boolean v4 = IPV4.matcher(text).matches();
    if (!v4 && !(text.contains(":") && IPV6_CHARS.matcher(text).matches())) {
      return Optional.empty();
    }
    try {
      // Only a literal reaches here: InetAddress parses it without resolving anything.
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code address} lies in the block. */
  public boolean contains(InetAddress address) {
    int addressBits = address.getAddress().length * 8;
    return addressBits == bits
        && mask(new BigInteger(1, address.getAddress()), bits, prefixLength).equals(this.address);
  }

  static BigInteger mask(BigInteger address, int bits, int prefixLength) {
    BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    BigInteger host = BigInteger.ONE.shiftLeft(bits - prefixLength).subtract(BigInteger.ONE);
    return address.and(all.xor(host));
  }

  private static String format(BigInteger address, int bits) {
    byte[] raw = address.toByteArray();
    byte[] bytes = new byte[bits / 8];
    // toByteArray may carry a leading sign byte, or fewer bytes than the width.
    int n = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - n, bytes, bytes.length - n, n);
    try {
      String s = InetAddress.getByAddress(bytes).getHostAddress();
      return bits == 128 ? compress(s) : s;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
    }
  }

  // Java prints IPv6 uncompressed (2001:db8:0:0:0:0:0:0); the canonical form (RFC 5952 §4.2)
  // replaces the longest run of two or more zero groups with "::".
  private static String compress(String full) {
    String[] groups = full.split(":");
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groups.length; ) {
      if (!groups[i].equals("0")) {
        i++;
        continue;
      }
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(
            ":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return head + "::" + tail;
  }

  /** The canonical text: {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
  @Override
  public String toString() {
    return format(address, bits) + "/" + prefixLength;
  }
}
