package org.reelbox.control.routing;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The viewer's address: the TCP peer, unless the peer is a trusted proxy, in which case {@code
 * X-Forwarded-For} is read from the right: each hop appends the address it saw, so the rightmost
 * entry that is not a trusted proxy is the first address nobody we trust vouches for further. The
 * leftmost entry is whatever the client wrote and is never believed on its own.
 */
public final class ClientAddress {
  private final List<CidrBlock> trustedProxies;

  public ClientAddress(List<CidrBlock> trustedProxies) {
    this.trustedProxies = List.copyOf(requireNonNull(trustedProxies, "trustedProxies"));
  }

  /**
   * @param peer the TCP peer's address as text
   * @param forwardedFor every {@code X-Forwarded-For} header value, in order (may be empty)
   * @return the viewer's address; empty only if {@code peer} itself is not an address
   */
  public Optional<InetAddress> resolve(String peer, List<String> forwardedFor) {
    Optional<InetAddress> current = CidrBlock.literal(peer);
    if (current.isEmpty() || !trusted(current.get()) || forwardedFor.isEmpty()) {
      return current;
    }
    String[] hops = String.join(",", forwardedFor).split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      Optional<InetAddress> hop = CidrBlock.literal(hops[i].trim());
      if (hop.isEmpty()) {
        // A garbled entry: stop at the last address a trusted hop vouched for.
        return current;
      }
      current = hop;
      if (!trusted(hop.get())) {
        return current;
      }
    }
    return current;
  }

  /**
   * Whether {@code peer} (the TCP peer's address as text) is a trusted proxy, whose forwarding
   * headers ({@code X-Forwarded-For}, {@code X-Forwarded-Proto}) are believed.
   */
  public boolean isTrustedProxy(String peer) {
    return CidrBlock.literal(peer).map(this::trusted).orElse(false);
  }

  private boolean trusted(InetAddress address) {
    for (CidrBlock block : trustedProxies) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
