package org.reelbox.common.security;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.json.Json;
import org.reelbox.common.testing.MutableClock;

class TokensTest {
  private static final String CLUSTER_SECRET = "test-cluster-secret-0123456789-abcdefghij";
  private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
  private static final Instant EXPIRY = NOW.plus(Duration.ofMinutes(10));
  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private final MutableClock clock = new MutableClock(NOW);
  private final KeyRing ring = KeyRing.derivedFrom(CLUSTER_SECRET);
  private final Tokens tokens = new Tokens(ring, clock);

  private static TokenClaims playClaims(String videoId) {
    return TokenClaims.unsigned(videoId, TokenScope.PLAY, "user-42", 0, EXPIRY);
  }

  private static void assertRefused(Tokens verifier, String token, TokenError expected) {
    TokenException e =
        catchThrowableOfType(
            TokenException.class, () -> verifier.verify(token, TokenScope.PLAY, "video-1"));
    assertThat(e).as("verify must refuse the token").isNotNull();
    assertThat(e.error()).isEqualTo(expected);
  }

  private void assertRefused(String token, TokenError expected) {
    assertRefused(tokens, token, expected);
  }

  private static String payloadPart(String token) {
    return token.substring(0, token.indexOf('.'));
  }

  private static String signaturePart(String token) {
    return token.substring(token.indexOf('.') + 1);
  }

  /** Signs any payload text with the ring's current key, for the strict-parse tests. */
  private String signRaw(String payloadJson) {
    String encoded =
        Base64.getUrlEncoder().withoutPadding().encodeToString(payloadJson.getBytes(UTF_8));
    byte[] mac = HmacSha256.mac(ring.currentKey(), encoded.getBytes(US_ASCII));
    return encoded + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }

  private static String flip(String s, int index) {
    char c = s.charAt(index);
    char replacement = c == 'A' ? 'B' : 'A';
    return s.substring(0, index) + replacement + s.substring(index + 1);
  }

  // --- round trip and format ---

  @Test
  void verify_freshToken_returnsClaimsWithKeyId() {
    TokenClaims claims =
        TokenClaims.unsigned("video-1", TokenScope.UPLOAD, "user-42", 1_000_000_000L, EXPIRY);

    TokenClaims verified = tokens.verify(tokens.sign(claims), TokenScope.UPLOAD, "video-1");

    assertThat(verified).isEqualTo(claims.withKeyId("k1"));
  }

  @Test
  void verify_withoutSubjectCheck_returnsClaims() {
    String token = tokens.sign(playClaims("video-7"));

    assertThat(tokens.verify(token, TokenScope.PLAY).subject()).isEqualTo("video-7");
  }

  @Test
  void sign_anyClaims_tokenIsUrlPathSafe() {
    List<TokenClaims> samples =
        List.of(
            playClaims("video-1"),
            TokenClaims.unsigned(
                "vidéo-ü-\u00ff-\uD83D\uDE00/../?#%", TokenScope.KEY, null, 0, EXPIRY),
            TokenClaims.unsigned(
                "x".repeat(TokenClaims.MAX_SUBJECT_LENGTH),
                TokenScope.UPLOAD,
                "\uD83D\uDE00".repeat(TokenClaims.MAX_OWNER_LENGTH / 2),
                Long.MAX_VALUE,
                Instant.MAX));

    for (TokenClaims claims : samples) {
      String token = tokens.sign(claims);

      assertThat(token)
          .matches("^[A-Za-z0-9_.-]+$")
          .hasSizeLessThanOrEqualTo(Tokens.MAX_TOKEN_LENGTH);
      assertThat(tokens.verify(token, claims.scope(), claims.subject()))
          .isEqualTo(claims.withKeyId("k1"));
    }
  }

  @Test
  void sign_claims_payloadIsCompactJsonWithShortFieldNames() throws Exception {
    String token =
        tokens.sign(TokenClaims.unsigned("video-1", TokenScope.UPLOAD, "user-42", 300, EXPIRY));

    String json = new String(Base64.getUrlDecoder().decode(payloadPart(token)), UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"sub\":\"video-1\",\"scp\":\"upload\",\"own\":\"user-42\",\"lim\":300,\"exp\":"
                + EXPIRY.getEpochSecond()
                + ",\"kid\":\"k1\",\"v\":1}");
    assertThat(token).doesNotContain("=");
    assertThat(Base64.getUrlDecoder().decode(signaturePart(token))).hasSize(32);
  }

  @Test
  void sign_noOrEmptyOwner_omitsOwnField() {
    for (String owner : new String[] {null, ""}) {
      String token =
          tokens.sign(TokenClaims.unsigned("video-1", TokenScope.PLAY, owner, 0, EXPIRY));

      String json = new String(Base64.getUrlDecoder().decode(payloadPart(token)), UTF_8);
      assertThat(json).doesNotContain("own");
      assertThat(tokens.verify(token, TokenScope.PLAY, "video-1").owner()).isNull();
    }
  }

  @Test
  void sign_subSecondExpiry_truncatedToTheSecond() {
    Instant expiry = EXPIRY.plusMillis(999);

    TokenClaims verified =
        tokens.verify(
            tokens.sign(TokenClaims.unsigned("video-1", TokenScope.PLAY, null, 0, expiry)),
            TokenScope.PLAY);

    assertThat(verified.expiresAt()).isEqualTo(EXPIRY);
  }

  @Test
  void sign_claimsWithKeyId_rejected() {
    TokenClaims signed = playClaims("video-1").withKeyId("k1");

    assertThatThrownBy(() -> tokens.sign(signed)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sign_sameSecretOnAnotherNode_verifiesThere() {
    Tokens otherNode = new Tokens(KeyRing.derivedFrom(CLUSTER_SECRET), clock);

    assertThat(
            otherNode
                .verify(tokens.sign(playClaims("video-1")), TokenScope.PLAY, "video-1")
                .subject())
        .isEqualTo("video-1");
  }

  // --- tampering ---

  @Test
  void verify_payloadCharFlippedKeepingValidJson_badSignature() throws Exception {
    String token = tokens.sign(playClaims("video-1"));
    String payload = payloadPart(token);
    // Find a one-character change that still decodes to a JSON object naming k1, so that the
    // failure can only come from the signature check.
    String tampered = null;
    for (int i = 0; i < payload.length() - 1 && tampered == null; i++) {
      String candidate = flip(payload, i);
      try {
        JsonNode node = Json.mapper().readTree(Base64.getUrlDecoder().decode(candidate));
        if (node.isObject() && "k1".equals(node.path("kid").asText())) {
          tampered = candidate;
        }
      } catch (Exception notJson) {
        // Try the next position.
      }
    }
    assertThat(tampered).as("a one-character change keeping the JSON valid").isNotNull();

    assertRefused(tampered + "." + signaturePart(token), TokenError.BAD_SIGNATURE);
  }

  @Test
  void verify_payloadReencodedWithOldSignature_badSignature() throws Exception {
    String token = tokens.sign(playClaims("video-1"));
    ObjectNode payload =
        (ObjectNode) Json.mapper().readTree(Base64.getUrlDecoder().decode(payloadPart(token)));
    payload.put("exp", EXPIRY.plus(Duration.ofDays(365)).getEpochSecond());
    String forged =
        Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeBytes(payload))
            + "."
            + signaturePart(token);

    assertRefused(forged, TokenError.BAD_SIGNATURE);
  }

  @Test
  void verify_signatureCharFlipped_badSignature() {
    String token = tokens.sign(playClaims("video-1"));
    int signatureStart = token.indexOf('.') + 1;

    // The first character carries six whole bits of the MAC's first byte, so any change to it
    // changes the MAC and keeps the encoding canonical.
    assertRefused(flip(token, signatureStart), TokenError.BAD_SIGNATURE);
  }

  @Test
  void verify_signatureFromAnotherSecretWithSameKeyId_badSignature() {
    Tokens otherCluster =
        new Tokens(KeyRing.derivedFrom("another-cluster-secret-0123456789-xyz"), clock);

    assertRefused(otherCluster.sign(playClaims("video-1")), TokenError.BAD_SIGNATURE);
  }

  @Test
  void verify_everySingleCharacterChange_refused() {
    String token = tokens.sign(playClaims("video-1"));
    Set<TokenError> seen = EnumSet.noneOf(TokenError.class);

    for (int i = 0; i < token.length(); i++) {
      for (char c : (BASE64URL + ".").toCharArray()) {
        if (c == token.charAt(i)) {
          continue;
        }
        String changed = token.substring(0, i) + c + token.substring(i + 1);
        TokenException e =
            catchThrowableOfType(
                TokenException.class, () -> tokens.verify(changed, TokenScope.PLAY, "video-1"));
        assertThat(e).as("change at %d to '%s' must be refused", i, c).isNotNull();
        seen.add(e.error());
      }
    }

    assertThat(seen)
        .contains(TokenError.MALFORMED, TokenError.BAD_SIGNATURE)
        .isSubsetOf(TokenError.MALFORMED, TokenError.BAD_SIGNATURE, TokenError.UNKNOWN_KEY);
  }

  // --- malformed ---

  @Test
  void verify_truncatedToken_malformed() {
    String token = tokens.sign(playClaims("video-1"));

    assertRefused(token.substring(0, token.length() - 1), TokenError.MALFORMED);
    assertRefused(token.substring(0, token.length() - 4), TokenError.MALFORMED);
    assertRefused(token.substring(0, token.indexOf('.') + 1), TokenError.MALFORMED);
    assertRefused(token.substring(0, token.indexOf('.')), TokenError.MALFORMED);
    assertRefused(token.substring(0, token.length() / 2), TokenError.MALFORMED);
  }

  @Test
  void verify_nullEmptyOrGarbage_malformed() {
    assertRefused(null, TokenError.MALFORMED);
    assertRefused("", TokenError.MALFORMED);
    assertRefused(".", TokenError.MALFORMED);
    assertRefused("garbage", TokenError.MALFORMED);
    assertRefused("garbage.garbage", TokenError.MALFORMED);
    assertRefused(".abc", TokenError.MALFORMED);
    assertRefused("abc.", TokenError.MALFORMED);
  }

  @Test
  void verify_tooManyDots_malformed() {
    String token = tokens.sign(playClaims("video-1"));

    assertRefused(token + ".", TokenError.MALFORMED);
    assertRefused(token + ".abc", TokenError.MALFORMED);
    assertRefused("abc." + token, TokenError.MALFORMED);
    assertRefused(payloadPart(token) + ".." + signaturePart(token), TokenError.MALFORMED);
  }

  @Test
  void verify_nonBase64url_malformed() {
    String token = tokens.sign(playClaims("video-1"));
    String payload = payloadPart(token);
    String signature = signaturePart(token);

    assertRefused("ab$d." + signature, TokenError.MALFORMED);
    assertRefused(
        payload.replace('-', '+').replace('_', '/') + "+/." + signature, TokenError.MALFORMED);
    assertRefused(payload + "." + signature + "=", TokenError.MALFORMED);
    assertRefused(payload + "==." + signature, TokenError.MALFORMED);
    assertRefused(" " + token, TokenError.MALFORMED);
    assertRefused(token + "\n", TokenError.MALFORMED);
    assertRefused(payload + "%2E" + signature, TokenError.MALFORMED);
  }

  @Test
  void verify_nonCanonicalSignatureEncoding_malformed() {
    String token = tokens.sign(playClaims("video-1"));
    // 32 bytes take 43 characters; the last one carries 4 bits of the MAC and 2 unused bits.
    // Setting an unused bit decodes to the same MAC but is another spelling of it.
    char last = token.charAt(token.length() - 1);
    char sameBytesOtherSpelling = BASE64URL.charAt(BASE64URL.indexOf(last) ^ 1);

    assertRefused(
        token.substring(0, token.length() - 1) + sameBytesOtherSpelling, TokenError.MALFORMED);
  }

  @Test
  void verify_signatureOfWrongLength_malformed() {
    String token = tokens.sign(playClaims("video-1"));
    String shortMac = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[20]);

    assertRefused(payloadPart(token) + "." + shortMac, TokenError.MALFORMED);
  }

  @Test
  void verify_hugeToken_malformed() {
    String token = tokens.sign(playClaims("video-1"));
    String huge = "A".repeat(1_000_000) + "." + signaturePart(token);
    String justOver = "A".repeat(Tokens.MAX_TOKEN_LENGTH - 44 + 1) + "." + signaturePart(token);

    assertThat(justOver).hasSize(Tokens.MAX_TOKEN_LENGTH + 1);
    assertRefused(huge, TokenError.MALFORMED);
    assertRefused(justOver, TokenError.MALFORMED);
  }

  @Test
  void verify_signedPayloadNotStrictClaims_malformed() {
    long exp = EXPIRY.getEpochSecond();
    List<String> payloads =
        List.of(
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":0,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":1,\"admin\":true}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":0,\"exp\":" + exp + ",\"kid\":\"k1\"}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":0,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":2}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":0,\"exp\":\""
                + exp
                + "\",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":0,\"exp\":"
                + exp
                + ".0,\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":1e3,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":99999999999999999999999,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":-1,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"video-1\",\"scp\":\"admin\",\"lim\":0,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"video-1\",\"scp\":\"PLAY\",\"lim\":0,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"\",\"scp\":\"play\",\"lim\":0,\"exp\":" + exp + ",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":7,\"scp\":\"play\",\"lim\":0,\"exp\":" + exp + ",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"own\":null,\"lim\":0,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":0,\"exp\":"
                + Long.MAX_VALUE
                + ",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"video-1\",\"sub\":\"video-2\",\"scp\":\"play\",\"lim\":0,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":1}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":0,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":1} {}",
            "{\"sub\":\"video-1\",\"scp\":\"play\",\"lim\":0,\"exp\":"
                + exp
                + ",\"kid\":\"k1\",\"v\":1",
            "[\"k1\"]",
            "\"k1\"",
            "{\"kid\":1}",
            "{}");

    for (String payload : payloads) {
      TokenException e =
          catchThrowableOfType(
              TokenException.class,
              () -> tokens.verify(signRaw(payload), TokenScope.PLAY, "video-1"));
      assertThat(e).as("payload %s must be refused", payload).isNotNull();
      assertThat(e.error()).as("payload %s", payload).isEqualTo(TokenError.MALFORMED);
    }
  }

  @Test
  void verify_signedPayloadInAnyFieldOrder_accepted() {
    String token =
        signRaw(
            "{\"v\":1,\"kid\":\"k1\",\"exp\":"
                + EXPIRY.getEpochSecond()
                + ",\"lim\":5,\"scp\":\"play\",\"sub\":\"video-1\"}");

    assertThat(tokens.verify(token, TokenScope.PLAY, "video-1").byteLimit()).isEqualTo(5);
  }

  // --- expiry, scope, subject ---

  @Test
  void verify_afterExpiry_expired() {
    String token = tokens.sign(playClaims("video-1"));
    clock.set(EXPIRY.plusSeconds(1));

    assertRefused(token, TokenError.EXPIRED);
  }

  @Test
  void verify_exactlyAtExpiry_expired() {
    String token = tokens.sign(playClaims("video-1"));
    clock.set(EXPIRY);

    assertRefused(token, TokenError.EXPIRED);
  }

  @Test
  void verify_justBeforeExpiry_accepted() {
    String token = tokens.sign(playClaims("video-1"));
    clock.set(EXPIRY.minusNanos(1));

    assertThat(tokens.verify(token, TokenScope.PLAY, "video-1").subject()).isEqualTo("video-1");
  }

  @Test
  void verify_wrongScope_wrongScope() {
    String token = tokens.sign(playClaims("video-1"));

    TokenException e =
        catchThrowableOfType(
            TokenException.class, () -> tokens.verify(token, TokenScope.KEY, "video-1"));

    assertThat(e.error()).isEqualTo(TokenError.WRONG_SCOPE);
  }

  @Test
  void verify_wrongSubject_wrongSubject() {
    assertRefused(tokens.sign(playClaims("video-2")), TokenError.WRONG_SUBJECT);
  }

  @Test
  void verify_expiredAndWrongScope_expiredFirst() {
    String token = tokens.sign(TokenClaims.unsigned("video-2", TokenScope.KEY, null, 0, EXPIRY));
    clock.set(EXPIRY);

    assertRefused(token, TokenError.EXPIRED);
  }

  @Test
  void verify_wrongScopeAndWrongSubject_scopeFirst() {
    assertRefused(
        tokens.sign(TokenClaims.unsigned("video-2", TokenScope.KEY, null, 0, EXPIRY)),
        TokenError.WRONG_SCOPE);
  }

  @Test
  void verify_expiredAndTampered_badSignatureFirst() {
    String token = tokens.sign(playClaims("video-1"));
    clock.set(EXPIRY.plusSeconds(60));

    assertRefused(flip(token, token.indexOf('.') + 1), TokenError.BAD_SIGNATURE);
  }

  // --- keys and rotation ---

  @Test
  void verify_keyIdNotInRing_unknownKey() {
    KeyRing other = KeyRing.builder().add("k9", Secrets.randomBytes(32)).build();
    String token = new Tokens(other, clock).sign(playClaims("video-1"));

    assertRefused(token, TokenError.UNKNOWN_KEY);
  }

  @Test
  void verify_unknownKeyWithGarbageSignature_unknownKeyBeforeSignature() {
    KeyRing other = KeyRing.builder().add("k9", Secrets.randomBytes(32)).build();
    String token = new Tokens(other, clock).sign(playClaims("video-1"));

    assertRefused(flip(token, token.indexOf('.') + 1), TokenError.UNKNOWN_KEY);
  }

  @Test
  void verify_oldKeyAfterRotation_acceptedUntilKeyRemoved() {
    String oldToken = tokens.sign(playClaims("video-1"));
    KeyRing rotated = ring.rotatedTo("k2", Secrets.randomBytes(32));
    Tokens afterRotation = new Tokens(rotated, clock);

    String newToken = afterRotation.sign(playClaims("video-1"));
    assertThat(afterRotation.verify(newToken, TokenScope.PLAY, "video-1").keyId()).isEqualTo("k2");
    assertThat(afterRotation.verify(oldToken, TokenScope.PLAY, "video-1").keyId()).isEqualTo("k1");
    // Nodes that have not rotated yet do not know k2.
    assertRefused(tokens, newToken, TokenError.UNKNOWN_KEY);

    Tokens afterRemoval = new Tokens(rotated.withoutKey("k1"), clock);
    assertRefused(afterRemoval, oldToken, TokenError.UNKNOWN_KEY);
    assertThat(afterRemoval.verify(newToken, TokenScope.PLAY, "video-1").keyId()).isEqualTo("k2");
  }

  // --- errors ---

  @Test
  void toApiException_expired_tokenExpired410() {
    ApiException api = new TokenException(TokenError.EXPIRED).toApiException();

    assertThat(api.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
    assertThat(api.httpStatus()).isEqualTo(410);
  }

  @Test
  void toApiException_everyOtherError_tokenInvalid403() {
    for (TokenError error : EnumSet.complementOf(EnumSet.of(TokenError.EXPIRED))) {
      ApiException api = new TokenException(error).toApiException();

      assertThat(api.code()).as("%s", error).isEqualTo(ErrorCode.TOKEN_INVALID);
      assertThat(api.httpStatus()).isEqualTo(403);
      assertThat(api.getCause()).isInstanceOf(TokenException.class);
    }
  }

  @Test
  void verify_anyFailure_messagesNeverContainTheToken() {
    String token = tokens.sign(playClaims("video-2"));
    List<String> refused =
        List.of(
            token,
            flip(token, token.indexOf('.') + 1),
            token + ".x",
            token.substring(0, token.length() - 2));

    for (String t : refused) {
      TokenException e =
          catchThrowableOfType(
              TokenException.class, () -> tokens.verify(t, TokenScope.PLAY, "video-1"));
      ApiException api = e.toApiException();
      for (String message :
          new String[] {e.getMessage(), api.getMessage(), api.body().toJson(), e.toString()}) {
        assertThat(message)
            .doesNotContain(payloadPart(token))
            .doesNotContain(signaturePart(token).substring(0, 20));
      }
      assertThat(e.getCause()).isNull();
    }
  }

  @Test
  void toString_tokens_noSecrets() {
    assertThat(tokens.toString()).doesNotContain(CLUSTER_SECRET).contains("k1");
  }

  // --- concurrency ---

  @Test
  void verify_manyThreads_everyTokenVerifies() throws Exception {
    KeyRing rotated = ring.rotatedTo("k2", Secrets.randomBytes(48));
    Tokens shared = new Tokens(rotated, clock);
    // Tokens of both keys, so that each thread's Mac is re-keyed between calls.
    String oldKeyToken = tokens.sign(playClaims("video-old"));
    int threads = 4;
    int perThread = 400;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<Integer> work =
            () -> {
              start.await();
              int verified = 0;
              for (int i = 0; i < perThread; i++) {
                String subject = "video-" + thread + "-" + i;
                TokenClaims claims =
                    TokenClaims.unsigned(subject, TokenScope.PLAY, null, i, EXPIRY);
                TokenClaims back = shared.verify(shared.sign(claims), TokenScope.PLAY, subject);
                if (!back.equals(claims.withKeyId("k2"))) {
                  throw new AssertionError("claims changed for " + subject + ": " + back);
                }
                if (!shared
                    .verify(oldKeyToken, TokenScope.PLAY, "video-old")
                    .keyId()
                    .equals("k1")) {
                  throw new AssertionError("old-key token lost its key id");
                }
                verified += 2;
              }
              return verified;
            };
        results.add(pool.submit(work));
      }
      start.countDown();

      int total = 0;
      for (Future<Integer> result : results) {
        total += result.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(threads * perThread * 2);
    } finally {
      pool.shutdownNow();
    }
  }
}
