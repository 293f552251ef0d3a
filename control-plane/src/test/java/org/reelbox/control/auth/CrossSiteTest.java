package org.reelbox.control.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.HostAndPort;
import org.junit.jupiter.api.Test;

class CrossSiteTest {
  private static boolean same(String origin, String host, int port) {
    return CrossSite.sameHost(origin, HostAndPort.create(host, port));
  }

  @Test
  void sameHost_matchingHostAndPort_true() {
    assertThat(same("http://127.0.0.1:8080", "127.0.0.1", 8080)).isTrue();
    assertThat(same("https://Video.Example.com", "video.example.com", -1)).isTrue();
    assertThat(same("http://video.example.com", "video.example.com", -1)).isTrue();
    assertThat(same("https://video.example.com", "video.example.com", 443)).isTrue();
    assertThat(same("http://[::1]:8080", "[::1]", 8080)).isTrue();
    assertThat(same("http://[::1]:8080", "::1", 8080)).isTrue();
    // Behind a proxy that ends TLS, the scheme differs: only host and port count.
    assertThat(same("https://video.example.com:8443", "video.example.com", 8443)).isTrue();
  }

  @Test
  void sameHost_otherHostPortOrGarbage_false() {
    assertThat(same("http://evil.example", "video.example.com", -1)).isFalse();
    assertThat(same("http://video.example.com.evil.example", "video.example.com", -1)).isFalse();
    assertThat(same("http://127.0.0.1:8081", "127.0.0.1", 8080)).isFalse();
    assertThat(same("http://video.example.com:8080", "video.example.com", -1)).isFalse();
    assertThat(same("http://video.example.com", "video.example.com", 8080)).isFalse();
    assertThat(same("null", "video.example.com", -1)).isFalse();
    assertThat(same("", "video.example.com", -1)).isFalse();
    assertThat(same("file:///etc", "video.example.com", -1)).isFalse();
    assertThat(same("http://a b", "video.example.com", -1)).isFalse();
    assertThat(CrossSite.sameHost("http://video.example.com", null)).isFalse();
  }
}
