package org.reelbox.common.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.reelbox.common.testing.MutableClock;

class KeyRingTest {
  private static final String CLUSTER_SECRET = "test-cluster-secret-0123456789-abcdefghij";

  @Test
  void derivedFrom_clusterSecret_keyIsHmacOfLabelUnderSecret() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(CLUSTER_SECRET.getBytes(UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal("reelbox-token-v1".getBytes(UTF_8));

    KeyRing ring = KeyRing.derivedFrom(CLUSTER_SECRET);

    assertThat(ring.currentKeyId()).isEqualTo("k1");
    assertThat(ring.keyIds()).containsExactly("k1");
    assertThat(ring.key("k1").getEncoded())
        .isEqualTo(expected)
        .isNotEqualTo(CLUSTER_SECRET.getBytes(UTF_8));
  }

  @Test
  void derivedFrom_shortOrNullSecret_rejectedWithoutEchoingIt() {
    String shortSecret = "only-31-characters-of-secret-xx";

    assertThatThrownBy(() -> KeyRing.derivedFrom(shortSecret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(shortSecret);
    assertThatThrownBy(() -> KeyRing.derivedFrom(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toString_derivedRing_neverShowsSecrets() {
    KeyRing ring = KeyRing.derivedFrom(CLUSTER_SECRET);
    byte[] key = ring.key("k1").getEncoded();

    assertThat(ring.toString())
        .isEqualTo("KeyRing[current=k1, keyIds=[k1]]")
        .doesNotContain(CLUSTER_SECRET)
        .doesNotContain(HexFormat.of().formatHex(key))
        .doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(key))
        .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(key));
  }

  @Test
  void build_noCurrentGiven_lastAddedIsCurrent() {
    KeyRing ring =
        KeyRing.builder()
            .add("k1", Secrets.randomBytes(32))
            .add("k2", Secrets.randomBytes(32))
            .build();

    assertThat(ring.currentKeyId()).isEqualTo("k2");
    assertThat(ring.keyIds()).containsExactly("k1", "k2");
  }

  @Test
  void build_currentGiven_thatKeySigns() {
    KeyRing ring =
        KeyRing.builder()
            .add("k1", Secrets.randomBytes(32))
            .add("k2", Secrets.randomBytes(32))
            .current("k1")
            .build();

    assertThat(ring.currentKeyId()).isEqualTo("k1");
  }

  @Test
  void build_invalidInput_rejected() {
    assertThatThrownBy(() -> KeyRing.builder().build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> KeyRing.builder().add("k1", new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("31");
    assertThatThrownBy(() -> KeyRing.builder().add("k 1", new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyRing.builder().add("", new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyRing.builder().add("k".repeat(33), new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyRing.builder().add("k1", new byte[32]).add("k1", new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already");
    assertThatThrownBy(() -> KeyRing.builder().add("k1", new byte[32]).current("k2").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyRing.builder().add(null, new byte[32]))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> KeyRing.builder().add("k1", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void add_secretArrayChangedAfterwards_ringUnaffected() {
    byte[] secret = Secrets.randomBytes(32);
    byte[] original = secret.clone();
    KeyRing ring = KeyRing.builder().add("k1", secret).build();

    Arrays.fill(secret, (byte) 0);

    assertThat(ring.key("k1").getEncoded()).isEqualTo(original);
  }

  @Test
  void rotatedTo_newKey_becomesCurrentAndOldStays() {
    KeyRing ring = KeyRing.derivedFrom(CLUSTER_SECRET);

    KeyRing rotated = ring.rotatedTo("k2", Secrets.randomBytes(32));

    assertThat(rotated.currentKeyId()).isEqualTo("k2");
    assertThat(rotated.keyIds()).containsExactly("k1", "k2");
    assertThat(ring.keyIds()).as("the original ring is unchanged").containsExactly("k1");
  }

  @Test
  void withKey_thenWithCurrentKey_sameAsRotation() {
    KeyRing ring = KeyRing.derivedFrom(CLUSTER_SECRET).withKey("k2", Secrets.randomBytes(32));

    assertThat(ring.currentKeyId()).isEqualTo("k1");
    assertThat(ring.withCurrentKey("k2").currentKeyId()).isEqualTo("k2");
    assertThatThrownBy(() -> ring.withCurrentKey("k3"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ring.withKey("k2", Secrets.randomBytes(32)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutKey_currentOrUnknownKey_rejected() {
    KeyRing ring = KeyRing.derivedFrom(CLUSTER_SECRET).rotatedTo("k2", Secrets.randomBytes(32));

    assertThat(ring.withoutKey("k1").keyIds()).containsExactly("k2");
    assertThat(ring.contains("k1")).isTrue();
    assertThatThrownBy(() -> ring.withoutKey("k2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("current");
    assertThatThrownBy(() -> ring.withoutKey("k7")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void derivedFrom_differentSecrets_tokensDoNotCrossVerify() {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    Tokens a = new Tokens(KeyRing.derivedFrom(CLUSTER_SECRET), clock);
    Tokens b = new Tokens(KeyRing.derivedFrom(CLUSTER_SECRET + "!"), clock);
    String token =
        a.sign(
            TokenClaims.unsigned(
                "video-1", TokenScope.PLAY, null, 0, clock.instant().plusSeconds(60)));

    assertThatThrownBy(() -> b.verify(token, TokenScope.PLAY))
        .isInstanceOfSatisfying(
            TokenException.class, e -> assertThat(e.error()).isEqualTo(TokenError.BAD_SIGNATURE));
  }
}
