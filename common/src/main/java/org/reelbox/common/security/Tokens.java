package org.reelbox.common.security;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.reelbox.common.json.Json;

/**
 * Signs and verifies the HMAC tokens that authorize uploads and playback (see DESIGN.md, "Upload"
 * and "Play"). Verifiers need only the {@link KeyRing}: no database, no call to the control plane.
 *
 * <h2>Format</h2>
 *
 * <pre>{@code
 * token     = base64url(payload) "." base64url(HMAC-SHA256(key, base64url(payload)))
 * payload   = {"sub":…,"scp":…,"own":…,"lim":…,"exp":…,"kid":…,"v":1}   (compact JSON, UTF-8)
 * }</pre>
 *
 * base64url is RFC 4648 §5 without padding, so a token is only {@code [A-Za-z0-9_-.]} and can be a
 * path segment ({@code /t/{token}/v/{id}/}) with no escaping. {@code sub}, {@code scp} (the {@link
 * TokenScope#wireName()}), {@code lim}, {@code exp} (epoch seconds), {@code kid} and {@code v} are
 * required; {@code own} is present only when the claims have an owner. The MAC covers the encoded
 * payload text, so any change to a payload character is a signature failure.
 *
 * <h2>Verification order</h2>
 *
 * Cheap and unauthenticated checks come first, the expensive and authenticated ones after:
 *
 * <ol>
 *   <li>length: more than {@value #MAX_TOKEN_LENGTH} characters is {@link TokenError#MALFORMED}
 *       before anything else is looked at;
 *   <li>structure and base64url: two non-empty canonical parts, a 32-byte signature;
 *   <li>key id: the payload must be a JSON object whose {@code kid} the ring holds ({@link
 *       TokenError#UNKNOWN_KEY}). This is the only part of the payload read before the signature is
 *       checked, and it is parsed with duplicate keys rejected so that it cannot disagree with the
 *       strict parse below;
 *   <li>signature, compared in constant time over the full MACs ({@link TokenError#BAD_SIGNATURE});
 *   <li>strict payload parse: exactly the known fields with exactly their types, {@code v} = 1,
 *       values valid for {@link TokenClaims} ({@link TokenError#MALFORMED});
 *   <li>expiry: {@code exp <= now} is {@link TokenError#EXPIRED};
 *   <li>scope ({@link TokenError#WRONG_SCOPE}), then subject ({@link TokenError#WRONG_SUBJECT}).
 * </ol>
 *
 * <p>Thread-safe. Never log a token: it is a bearer credential. {@link TokenException} messages
 * never contain one.
 */
public final class Tokens {
  /** The longest token {@link #verify} looks at; longer ones are rejected unread. */
  public static final int MAX_TOKEN_LENGTH = 2048;

  /** The payload format version, {@code v}. */
  static final int VERSION = 1;

  private static final Set<String> REQUIRED_FIELDS = Set.of("sub", "scp", "lim", "exp", "kid", "v");
  private static final String OWNER_FIELD = "own";

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  // Duplicate keys are rejected so that "kid" read before the MAC check and the claims read
  // after it cannot come from different occurrences of a field; trailing content is rejected so
  // that the payload is exactly one JSON object.
  private static final ObjectReader STRICT_READER =
      Json.mapper()
          .reader()
          .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final KeyRing keyRing;
  private final Clock clock;

  /**
   * @param keyRing the keys: the current one signs, all of them verify
   * @param clock the clock that expiry is checked against
   */
  public Tokens(KeyRing keyRing, Clock clock) {
    this.keyRing = requireNonNull(keyRing, "keyRing");
    this.clock = requireNonNull(clock, "clock");
  }

  public KeyRing keyRing() {
    return keyRing;
  }

  /**
   * Signs claims with the ring's current key.
   *
   * @param claims claims without a key id ({@link TokenClaims#unsigned}); the signer sets it
   * @return the token, at most {@value #MAX_TOKEN_LENGTH} characters of {@code [A-Za-z0-9_-.]}
   * @throws IllegalArgumentException if the claims already carry a key id
   */
  public String sign(TokenClaims claims) {
    requireNonNull(claims, "claims");
    if (claims.keyId() != null) {
      // Refuse rather than overwrite: a caller that set a key id expects that key to sign.
      throw new IllegalArgumentException(
          "claims must not carry a keyId, the signer sets it; got '" + claims.keyId() + "'");
    }
    String keyId = keyRing.currentKeyId();
    ObjectNode payload = Json.mapper().createObjectNode();
    payload.put("sub", claims.subject());
    payload.put("scp", claims.scope().wireName());
    if (claims.owner() != null) {
      payload.put(OWNER_FIELD, claims.owner());
    }
    payload.put("lim", claims.byteLimit());
    payload.put("exp", claims.expiresAt().getEpochSecond());
    payload.put("kid", keyId);
    payload.put("v", VERSION);

    String encodedPayload = ENCODER.encodeToString(Json.writeBytes(payload));
    byte[] signature = HmacSha256.mac(keyRing.currentKey(), ascii(encodedPayload));
    String token = encodedPayload + "." + ENCODER.encodeToString(signature);
    if (token.length() > MAX_TOKEN_LENGTH) {
      // Unreachable with TokenClaims' length limits; kept so that sign never issues a token that
      // verify would refuse unread.
      throw new IllegalArgumentException(
          "claims make a token of " + token.length() + " characters, over " + MAX_TOKEN_LENGTH);
    }
    return token;
  }

  /**
   * Verifies a token for a scope and a subject.
   *
   * @param token the token as received; {@code null} or empty is {@link TokenError#MALFORMED}
   * @return the claims, with the key id that signed them
   * @throws TokenException if the token is refused; see the class javadoc for the order of checks
   */
  public TokenClaims verify(String token, TokenScope expectedScope, String expectedSubject) {
    requireNonNull(expectedSubject, "expectedSubject");
    TokenClaims claims = verify(token, expectedScope);
    if (!claims.subject().equals(expectedSubject)) {
      throw new TokenException(TokenError.WRONG_SUBJECT);
    }
    return claims;
  }

  /**
   * Verifies a token for a scope, whatever its subject. The caller must then check the subject
   * itself, or use {@link #verify(String, TokenScope, String)}.
   *
   * @throws TokenException if the token is refused
   */
  public TokenClaims verify(String token, TokenScope expectedScope) {
    requireNonNull(expectedScope, "expectedScope");
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw new TokenException(TokenError.MALFORMED);
    }

    int dot = token.indexOf('.');
    if (dot <= 0 || dot == token.length() - 1 || token.indexOf('.', dot + 1) >= 0) {
      throw new TokenException(TokenError.MALFORMED);
    }
    String encodedPayload = token.substring(0, dot);
    byte[] payloadBytes = decodeCanonical(encodedPayload);
    byte[] signature = decodeCanonical(token.substring(dot + 1));
    if (signature.length != HmacSha256.MAC_LENGTH) {
      throw new TokenException(TokenError.MALFORMED);
    }

    JsonNode payload = parseObject(payloadBytes);
    JsonNode kid = payload.get("kid");
    if (kid == null || !kid.isTextual()) {
      throw new TokenException(TokenError.MALFORMED);
    }
    SecretKeySpec key = keyRing.key(kid.textValue());
    if (key == null) {
      throw new TokenException(TokenError.UNKNOWN_KEY);
    }

    byte[] expected = HmacSha256.mac(key, ascii(encodedPayload));
    // MessageDigest.isEqual is constant-time in the contents since JDK 6u17; both arrays are 32
    // bytes here, so the comparison time says nothing about how many leading bytes matched.
    if (!MessageDigest.isEqual(expected, signature)) {
      throw new TokenException(TokenError.BAD_SIGNATURE);
    }

    TokenClaims claims = readClaims(payload);
    if (!claims.expiresAt().isAfter(clock.instant())) {
      throw new TokenException(TokenError.EXPIRED);
    }
    if (claims.scope() != expectedScope) {
      throw new TokenException(TokenError.WRONG_SCOPE);
    }
    return claims;
  }

  @Override
  public String toString() {
    return "Tokens[" + keyRing + "]";
  }

  /**
   * Decodes unpadded base64url, accepting only the one canonical spelling of the bytes: the JDK
   * decoder ignores the unused low bits of the last character, so without the re-encoding check
   * several different strings would be valid spellings of the same signature.
   */
  private static byte[] decodeCanonical(String part) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      boolean base64url =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!base64url) {
        throw new TokenException(TokenError.MALFORMED);
      }
    }
    byte[] bytes;
    try {
      bytes = DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      throw new TokenException(TokenError.MALFORMED);
    }
    if (!ENCODER.encodeToString(bytes).equals(part)) {
      throw new TokenException(TokenError.MALFORMED);
    }
    return bytes;
  }

  private static JsonNode parseObject(byte[] payloadBytes) {
    JsonNode node;
    try {
      node = STRICT_READER.readTree(payloadBytes);
    } catch (IOException e) {
      // The parser's message may quote the payload: drop it rather than chain it.
      throw new TokenException(TokenError.MALFORMED);
    }
    if (node == null || !node.isObject()) {
      throw new TokenException(TokenError.MALFORMED);
    }
    return node;
  }

  /** The strict parse, after the signature check: exact fields, exact types, valid values. */
  private static TokenClaims readClaims(JsonNode payload) {
    for (Iterator<String> names = payload.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!REQUIRED_FIELDS.contains(name) && !OWNER_FIELD.equals(name)) {
        throw new TokenException(TokenError.MALFORMED);
      }
    }
    if (requiredLong(payload, "v") != VERSION) {
      throw new TokenException(TokenError.MALFORMED);
    }
    String subject = requiredText(payload, "sub");
    Optional<TokenScope> scope = TokenScope.fromWireName(requiredText(payload, "scp"));
    long byteLimit = requiredLong(payload, "lim");
    long expiresAtEpochSecond = requiredLong(payload, "exp");
    String keyId = requiredText(payload, "kid");
    String owner = null;
    if (payload.has(OWNER_FIELD)) {
      owner = requiredText(payload, OWNER_FIELD);
    }
    if (scope.isEmpty()) {
      throw new TokenException(TokenError.MALFORMED);
    }
    try {
      return new TokenClaims(
          subject,
          scope.get(),
          owner,
          byteLimit,
          Instant.ofEpochSecond(expiresAtEpochSecond),
          keyId);
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new TokenException(TokenError.MALFORMED);
    }
  }

  private static String requiredText(JsonNode payload, String field) {
    JsonNode node = payload.get(field);
    if (node == null || !node.isTextual()) {
      throw new TokenException(TokenError.MALFORMED);
    }
    return node.textValue();
  }

  private static long requiredLong(JsonNode payload, String field) {
    JsonNode node = payload.get(field);
    // isIntegralNumber excludes 1.0 and "1"; canConvertToLong excludes BigIntegers past a long.
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new TokenException(TokenError.MALFORMED);
    }
    return node.longValue();
  }

  private static byte[] ascii(String encoded) {
    return encoded.getBytes(StandardCharsets.US_ASCII);
  }
}
