package org.reelbox.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ClusterAuthTest {
  private static final String CLUSTER_SECRET = "test-cluster-secret-0123456789-abcdefghij";

  private final ClusterAuth auth = ClusterAuth.of(CLUSTER_SECRET);

  @Test
  void isValid_ownHeaderValue_true() {
    assertThat(auth.isValid(auth.headerValue())).isTrue();
  }

  @Test
  void isValid_sameSecretOnAnotherNode_true() {
    assertThat(ClusterAuth.of(CLUSTER_SECRET).isValid(auth.headerValue())).isTrue();
  }

  @Test
  void isValid_wrongNullOrEmpty_false() {
    assertThat(auth.isValid(null)).isFalse();
    assertThat(auth.isValid("")).isFalse();
    assertThat(auth.isValid("wrong")).isFalse();
    assertThat(auth.isValid(ClusterAuth.of(CLUSTER_SECRET + "x").headerValue())).isFalse();
    assertThat(auth.isValid(auth.headerValue() + "x")).isFalse();
    assertThat(auth.isValid(" " + auth.headerValue())).isFalse();
  }

  @Test
  void isValid_prefixOfSecretOrOfValue_false() {
    for (int length = 1; length < CLUSTER_SECRET.length(); length++) {
      assertThat(auth.isValid(CLUSTER_SECRET.substring(0, length))).isFalse();
    }
    for (int length = 1; length < auth.headerValue().length(); length++) {
      assertThat(auth.isValid(auth.headerValue().substring(0, length))).isFalse();
    }
  }

  @Test
  void isValid_rawSecret_false() {
    // The header carries a value derived from the secret, never the secret itself.
    assertThat(auth.headerValue()).isNotEqualTo(CLUSTER_SECRET).doesNotContain(CLUSTER_SECRET);
    assertThat(auth.isValid(CLUSTER_SECRET)).isFalse();
  }

  @Test
  void headerValue_anySecret_isHeaderSafeText() {
    ClusterAuth odd = ClusterAuth.of("secret with spaces, ümlauts and\nnewlines 0123456789");

    assertThat(odd.headerValue()).matches("^[A-Za-z0-9_-]{43}$");
    assertThat(auth.headerName()).isEqualTo("X-Reelbox-Cluster-Auth");
  }

  @Test
  void apply_requestBuilder_setsHeaderOnce() {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/internal/ping"))
            .header(ClusterAuth.HEADER_NAME, "stale");

    auth.apply(builder);
    HttpRequest request = builder.build();

    assertThat(request.headers().allValues(ClusterAuth.HEADER_NAME))
        .containsExactly(auth.headerValue());
    assertThat(auth.isValid(request.headers().firstValue(ClusterAuth.HEADER_NAME).orElseThrow()))
        .isTrue();
  }

  @Test
  void toString_clusterAuth_neverShowsSecretOrValue() {
    assertThat(auth.toString())
        .doesNotContain(CLUSTER_SECRET)
        .doesNotContain(auth.headerValue())
        .contains("redacted");
  }

  @Test
  void of_shortOrNullSecret_rejectedWithoutEchoingIt() {
    String shortSecret = "only-31-characters-of-secret-xx";

    assertThatThrownBy(() -> ClusterAuth.of(shortSecret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(shortSecret);
    assertThatThrownBy(() -> ClusterAuth.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void headerValue_sameSecret_differsFromTokenKey() {
    byte[] tokenKey = KeyRing.derivedFrom(CLUSTER_SECRET).key("k1").getEncoded();
    String tokenKeyText = Base64.getUrlEncoder().withoutPadding().encodeToString(tokenKey);

    assertThat(auth.headerValue()).isNotEqualTo(tokenKeyText);
  }
}
