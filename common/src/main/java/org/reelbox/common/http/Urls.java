package org.reelbox.common.http;

import java.net.InetSocketAddress;
import java.net.URI;

/** URL helpers. */
public final class Urls {
  private Urls() {}

  /** {@code http://host:port} of a bound address; wildcard binds are reported as loopback. */
  public static URI httpBase(String configuredHost, InetSocketAddress bound) {
    String host = configuredHost;
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + bound.getPort());
  }
}
