package org.reelbox.control.auth;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether a request comes from a page of another site, from the headers browsers set and pages
 * cannot: {@code Sec-Fetch-Site: cross-site}, or an {@code Origin} whose host and port are not the
 * request's own ({@code Host}, or {@code :authority} in HTTP/2).
 *
 * <p>This is the first of two CSRF defences for cookie-authenticated requests (the second is the
 * {@code X-CSRF-Token} header, see {@link Authenticator}); {@code SameSite=Lax} on the cookie is a
 * third, where browsers honour it. Only host and port are compared, not the scheme: behind a proxy
 * that ends TLS the page is {@code https://host} while the request reaching us is plain HTTP. That
 * needs the proxy to pass {@code Host} on unchanged (nginx: {@code proxy_set_header Host $host}). A
 * request without {@code Origin} (a same-origin GET, curl) is not cross-site here.
 */
public final class CrossSite {
  private CrossSite() {}

  public static boolean isCrossSite(HttpServerRequest request) {
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null && site.trim().equalsIgnoreCase("cross-site")) {
      return true;
    }
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return false;
    }
    return !sameHost(origin.trim(), request.authority());
  }

  /**
   * Whether an {@code Origin} header value names {@code authority}. "null" (a sandboxed frame, a
   * redirect across sites), a malformed origin, or a request without an authority never match.
   */
  static boolean sameHost(String origin, HostAndPort authority) {
    if (authority == null || authority.host() == null) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int defaultPort =
        switch (scheme) {
          case "http" -> 80;
          case "https" -> 443;
          default -> -1;
        };
    if (defaultPort < 0 || uri.getHost() == null) {
      return false;
    }
    if (!bare(uri.getHost()).equalsIgnoreCase(bare(authority.host()))) {
      return false;
    }
    int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
    int hostPort = authority.port();
    // Host without a port: the default port of whichever scheme the browser used; a proxy that
    // ends TLS on 443 and forwards to us keeps "Host: example.com".
    return hostPort < 0 ? originPort == 80 || originPort == 443 : hostPort == originPort;
  }

  // "[::1]" and "::1" are the same IPv6 host.
  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
