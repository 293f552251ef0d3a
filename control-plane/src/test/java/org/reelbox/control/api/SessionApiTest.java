package org.reelbox.control.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.testing.MutableClock;
import org.reelbox.control.auth.CookieSessions;
import org.reelbox.control.auth.LoginLimiter;
import org.reelbox.control.auth.SessionStore;
import org.reelbox.control.store.PasswordHasher;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserPatch;
import org.reelbox.control.store.UserRole;

/**
 * {@code /api/v1/session} and the session cookie on {@code /api/*}: a real control plane on
 * loopback with H2 and a manual clock. Loopback is a trusted proxy here, so that {@code
 * X-Forwarded-For} and {@code X-Forwarded-Proto} can play other clients and HTTPS.
 */
class SessionApiTest {
  private static final String PASSWORD = "correct horse battery";
  // Cost 4: a login of a known user stays fast; unknown users pay the real cost (the dummy hash).
  private static final String PASSWORD_HASH = new PasswordHasher(4).hash(PASSWORD);

  @TempDir static Path dataDir;
  private static final MutableClock clock = new MutableClock(Instant.now());
  private static TestControlPlane cp;
  private static String origin;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp =
        TestControlPlane.start(
            dataDir,
            o -> o.putObject("routing").putArray("trustedProxies").add("127.0.0.0/8"),
            clock);
    origin = "http://127.0.0.1:" + cp.base.getPort();
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  private static User user(String name, UserRole role) {
    return cp.store().createUser(name, role, PASSWORD_HASH);
  }

  private static HttpRequest.Builder request(String method, String path, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(cp.base.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json, UTF_8));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    return b;
  }

  private static HttpResponse<String> login(String username, String password, String... headers) {
    HttpRequest.Builder b =
        request("POST", "/api/v1/session", body("username", username, "password", password));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return cp.send(b.build());
  }

  /** A signed-in browser: its cookie value and CSRF token. */
  private record Browser(String cookie, String csrfToken) {
    HttpResponse<String> send(String method, String path, String json, String... headers) {
      HttpRequest.Builder b =
          request(method, path, json).header("Cookie", "reelbox_session=" + cookie);
      if (headers.length > 0) {
        b.headers(headers);
      }
      return cp.send(b.build());
    }
  }

  private static Browser signIn(String username) {
    HttpResponse<String> response = login(username, PASSWORD);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new Browser(
        cookie(response).get("reelbox_session"), json(response).get("csrfToken").asText());
  }

  /**
   * The Set-Cookie of the session cookie as attribute → value ("" for flags), names lower-cased.
   */
  private static Map<String, String> cookie(HttpResponse<String> response) {
    String header =
        response.headers().allValues("set-cookie").stream()
            .filter(c -> c.startsWith("reelbox_session="))
            .reduce(
                (a, b) -> {
                  throw new AssertionError("two session cookies: " + a + " / " + b);
                })
            .orElseThrow(() -> new AssertionError("no session cookie in " + response.headers()));
    return Arrays.stream(header.split(";"))
        .map(String::trim)
        .collect(
            Collectors.toMap(
                part -> {
                  String name = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
                  return name.equals("reelbox_session") ? name : name.toLowerCase(Locale.ROOT);
                },
                part -> part.contains("=") ? part.substring(part.indexOf('=') + 1) : ""));
  }

  // ---- POST /api/v1/session

  @Test
  void login_rightPassword_200UserTokenAndHttpOnlyLaxCookie() {
    User alice = user("alice", UserRole.CREATOR);

    HttpResponse<String> response = login("alice", PASSWORD);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("cache-control")).contains("no-store");
    JsonNode answer = json(response);
    assertThat(answer.get("user").get("id").asLong()).isEqualTo(alice.id());
    assertThat(answer.get("user").get("username").asText()).isEqualTo("alice");
    assertThat(answer.get("user").get("role").asText()).isEqualTo("CREATOR");
    assertThat(answer.get("user").size()).isEqualTo(3);
    assertThat(answer.get("csrfToken").asText()).matches("[A-Za-z0-9_-]{43}");
    Map<String, String> cookie = cookie(response);
    assertThat(cookie.get("reelbox_session")).matches("[A-Za-z0-9_-]{43}");
    assertThat(cookie).containsKeys("httponly").containsEntry("samesite", "Lax");
    assertThat(cookie).containsEntry("path", "/");
    assertThat(cookie).containsEntry("max-age", Long.toString(SessionStore.MAX_AGE.toSeconds()));
    assertThat(cookie).doesNotContainKey("secure");
    // The cookie value is not in the body: only the HttpOnly cookie carries it.
    assertThat(response.body()).doesNotContain(cookie.get("reelbox_session"));
  }

  @Test
  void login_overHttpsThroughTrustedProxy_secureCookie() {
    user("https-user", UserRole.VIEWER);

    HttpResponse<String> response = login("https-user", PASSWORD, "X-Forwarded-Proto", "https");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(cookie(response)).containsKey("secure").containsKey("httponly");
  }

  @Test
  void login_upperCaseName_sameUser() {
    user("casey", UserRole.VIEWER);

    HttpResponse<String> response = login("Casey", PASSWORD);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("user").get("username").asText()).isEqualTo("casey");
  }

  @Test
  void login_wrongPasswordUnknownUserDisabledUser_sameAnswer401() {
    User disabled = user("dora", UserRole.CREATOR);
    cp.store().updateUser(disabled.id(), UserPatch.NONE.withDisabled(true));
    user("walt", UserRole.CREATOR);

    HttpResponse<String> wrong = login("walt", "not the password");
    HttpResponse<String> unknown = login("nobody-here", PASSWORD);
    HttpResponse<String> off = login("dora", PASSWORD);

    for (HttpResponse<String> response : List.of(wrong, unknown, off)) {
      assertError(response, 401, "INVALID_CREDENTIALS");
      assertThat(response.body()).isEqualTo(wrong.body());
      assertThat(response.headers().allValues("set-cookie")).isEmpty();
    }
  }

  @Test
  void login_badBodies_400() {
    assertError(
        cp.send(request("POST", "/api/v1/session", body("username", "alice")).build()),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send(
            request("POST", "/api/v1/session", body("username", "a", "password", "b", "x", 1))
                .build()),
        400,
        "VALIDATION_FAILED");
    assertError(
        cp.send(request("POST", "/api/v1/session", body("username", 5, "password", "b")).build()),
        400,
        "VALIDATION_FAILED");
    assertError(cp.send(request("POST", "/api/v1/session", "{").build()), 400, "INVALID_JSON");
    assertError(cp.send(request("POST", "/api/v1/session", null).build()), 400, "INVALID_JSON");
    String huge = body("username", "a", "password", "p".repeat(ApiSupport.MAX_BODY_BYTES));
    assertError(
        cp.send(request("POST", "/api/v1/session", huge).build()), 413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void login_crossSite_403WithoutCheckingThePassword() {
    user("xena", UserRole.VIEWER);

    assertError(login("xena", PASSWORD, "Origin", "https://evil.example"), 403, "CSRF_REJECTED");
    assertError(login("xena", PASSWORD, "Sec-Fetch-Site", "cross-site"), 403, "CSRF_REJECTED");
    // Our own page: same host and port.
    assertThat(
            login("xena", PASSWORD, "Origin", origin, "Sec-Fetch-Site", "same-origin").statusCode())
        .isEqualTo(200);
  }

  @Test
  void login_tooManyFailures_429WithRetryAfter_otherUserStillSignsIn() {
    user("target", UserRole.CREATOR);
    user("bystander", UserRole.CREATOR);
    // From an address of its own (loopback is a trusted proxy here), so that the address limit of
    // the other tests' failures plays no part.
    String[] from = {"X-Forwarded-For", "198.51.100.23"};
    for (int i = 0; i < LoginLimiter.USERNAME_BURST; i++) {
      assertError(login("target", "guess-" + i, from), 401, "INVALID_CREDENTIALS");
    }

    HttpResponse<String> limited = login("target", "guess-x", from);
    assertError(limited, 429, "TOO_MANY_REQUESTS");
    long retryAfter = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
    assertThat(retryAfter).isBetween(1L, (long) LoginLimiter.USERNAME_REFILL_SECONDS);
    // Even the right password now: the limit is per name, from any address.
    assertError(login("target", PASSWORD, from), 429, "TOO_MANY_REQUESTS");
    assertError(
        login("target", PASSWORD, "X-Forwarded-For", "203.0.113.4"), 429, "TOO_MANY_REQUESTS");

    assertThat(login("bystander", PASSWORD, from).statusCode()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(LoginLimiter.USERNAME_REFILL_SECONDS));
    assertThat(login("target", PASSWORD, from).statusCode()).isEqualTo(200);
  }

  @Test
  void login_again_replacesThePreviousSession() {
    user("fixated", UserRole.VIEWER);
    Browser first = signIn("fixated");

    HttpResponse<String> again =
        cp.send(
            request("POST", "/api/v1/session", body("username", "fixated", "password", PASSWORD))
                .header("Cookie", "reelbox_session=" + first.cookie())
                .build());

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(cookie(again).get("reelbox_session")).isNotEqualTo(first.cookie());
    assertError(first.send("GET", "/api/v1/me", null), 401, "UNAUTHORIZED");
  }

  // ---- GET and DELETE /api/v1/session

  @Test
  void getSession_withCookie_200SameBody_withoutOrWithKey_401() {
    User gina = user("gina", UserRole.ADMIN);
    Browser browser = signIn("gina");

    HttpResponse<String> response = browser.send("GET", "/api/v1/session", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("user").get("id").asLong()).isEqualTo(gina.id());
    assertThat(json(response).get("user").get("role").asText()).isEqualTo("ADMIN");
    assertThat(json(response).get("csrfToken").asText()).isEqualTo(browser.csrfToken());
    assertError(cp.send("GET", "/api/v1/session", null, null), 401, "UNAUTHORIZED");
    assertError(cp.send("GET", "/api/v1/session", cp.key(gina), null), 401, "UNAUTHORIZED");
  }

  @Test
  void deleteSession_withToken_204CookieClearedAndSessionGone() {
    user("hank", UserRole.VIEWER);
    Browser browser = signIn("hank");
    Browser other = signIn("hank");

    assertError(browser.send("DELETE", "/api/v1/session", null), 403, "CSRF_REJECTED");
    HttpResponse<String> response =
        browser.send("DELETE", "/api/v1/session", null, "X-CSRF-Token", browser.csrfToken());

    assertThat(response.statusCode()).isEqualTo(204);
    Map<String, String> cleared = cookie(response);
    assertThat(cleared.get("reelbox_session")).isEmpty();
    assertThat(cleared).containsEntry("max-age", "0");
    assertError(browser.send("GET", "/api/v1/me", null), 401, "UNAUTHORIZED");
    // Only that browser signed out.
    assertThat(other.send("GET", "/api/v1/me", null).statusCode()).isEqualTo(200);
  }

  // ---- the cookie on /api/*

  @Test
  void cookie_onApiMe_authenticates() {
    user("ivan", UserRole.CREATOR);
    Browser browser = signIn("ivan");

    HttpResponse<String> me = browser.send("GET", "/api/v1/me", null);

    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(json(me).get("username").asText()).isEqualTo("ivan");
  }

  @Test
  void cookie_stateChangingWithoutOrWithWrongToken_403() {
    User jane = user("jane", UserRole.CREATOR);
    Browser browser = signIn("jane");
    String path = "/api/v1/users/" + jane.id() + "/keys";

    assertError(browser.send("POST", path, body("name", "a")), 403, "CSRF_REJECTED");
    assertError(
        browser.send("POST", path, body("name", "b"), "X-CSRF-Token", "A".repeat(43)),
        403,
        "CSRF_REJECTED");
    assertError(
        browser.send("POST", path, body("name", "c"), "X-CSRF-Token", ""), 403, "CSRF_REJECTED");
    assertThat(cp.store().listApiKeys(jane.id())).isEmpty();

    HttpResponse<String> ok =
        browser.send("POST", path, body("name", "d"), "X-CSRF-Token", browser.csrfToken());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
  }

  @Test
  void cookie_crossSiteWithRightToken_403_sameOrigin_201() {
    User kate = user("kate", UserRole.CREATOR);
    Browser browser = signIn("kate");
    String path = "/api/v1/users/" + kate.id() + "/keys";
    String token = browser.csrfToken();

    assertError(
        browser.send(
            "POST",
            path,
            body("name", "a"),
            "X-CSRF-Token",
            token,
            "Origin",
            "https://evil.example"),
        403,
        "CSRF_REJECTED");
    assertError(
        browser.send(
            "POST", path, body("name", "b"), "X-CSRF-Token", token, "Origin", "http://127.0.0.1:1"),
        403,
        "CSRF_REJECTED");
    assertError(
        browser.send("POST", path, body("name", "c"), "X-CSRF-Token", token, "Origin", "null"),
        403,
        "CSRF_REJECTED");
    assertError(
        browser.send(
            "POST", path, body("name", "d"), "X-CSRF-Token", token, "Sec-Fetch-Site", "cross-site"),
        403,
        "CSRF_REJECTED");
    assertThat(cp.store().listApiKeys(kate.id())).isEmpty();

    HttpResponse<String> ok =
        browser.send(
            "POST",
            path,
            body("name", "e"),
            "X-CSRF-Token",
            token,
            "Origin",
            origin,
            "Sec-Fetch-Site",
            "same-origin");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
  }

  @Test
  void cookie_crossSiteGet_allowed() {
    user("liam", UserRole.VIEWER);
    Browser browser = signIn("liam");

    // A GET changes nothing; a cross-site page cannot read the answer (no CORS).
    assertThat(browser.send("GET", "/api/v1/me", null, "Sec-Fetch-Site", "cross-site").statusCode())
        .isEqualTo(200);
  }

  @Test
  void apiKey_stateChangingWithoutToken_201EvenWithForeignOrigin() {
    User mona = user("mona", UserRole.CREATOR);
    String key = cp.key(mona);
    Browser browser = signIn("mona");

    HttpResponse<String> response =
        cp.send(
            request("POST", "/api/v1/users/" + mona.id() + "/keys", body("name", "ci"))
                .header("Authorization", "Bearer " + key)
                .header("Origin", "https://elsewhere.example")
                // The key decides, whatever cookie comes along.
                .header("Cookie", "reelbox_session=" + browser.cookie())
                .build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  @Test
  void noCredential_401_unknownCookie_401AndCleared() {
    assertError(cp.send("GET", "/api/v1/me", null, null), 401, "UNAUTHORIZED");
    HttpResponse<String> stale =
        cp.send(
            request("GET", "/api/v1/me", null)
                .header("Cookie", "reelbox_session=" + "A".repeat(43))
                .build());
    assertError(stale, 401, "UNAUTHORIZED");
    assertThat(cookie(stale)).containsEntry("max-age", "0");
    assertError(
        cp.send(request("GET", "/api/v1/me", null).header("Cookie", "reelbox_session=").build()),
        401,
        "UNAUTHORIZED");
  }

  @Test
  void cookie_expired_401() {
    user("nora", UserRole.VIEWER);
    Browser browser = signIn("nora");
    assertThat(browser.send("GET", "/api/v1/me", null).statusCode()).isEqualTo(200);

    clock.advance(SessionStore.IDLE_TIMEOUT.plusMinutes(1));

    assertError(browser.send("GET", "/api/v1/me", null), 401, "UNAUTHORIZED");
    assertError(browser.send("GET", "/api/v1/session", null), 401, "UNAUTHORIZED");
  }

  @Test
  void cookie_onPlay_authenticates() {
    user("olga", UserRole.VIEWER);
    Browser browser = signIn("olga");

    // No such video: 404 means the guard let the cookie through (a bad cookie is 401 below).
    HttpResponse<String> play = browser.send("GET", "/play/AAAAAAAAAAA.m3u8", null);
    assertThat(play.statusCode()).as(play.body()).isEqualTo(404);
    // No credential at all goes on anonymous (a TV): 404 for what it may not watch.
    assertError(cp.send("GET", "/play/AAAAAAAAAAA.m3u8", null, null), 404, "NOT_FOUND");
    // A cookie that is no session is refused, not ignored.
    assertError(
        cp.send(
            java.net.http.HttpRequest.newBuilder(cp.base.resolve("/play/AAAAAAAAAAA.m3u8"))
                .header("Cookie", CookieSessions.COOKIE + "=not-a-session")
                .GET()
                .build()),
        401,
        "UNAUTHORIZED");
  }

  @Test
  void disabledUser_sessionsEndAndKeysRefused() {
    User pat = user("pat", UserRole.CREATOR);
    String key = cp.key(pat);
    Browser browser = signIn("pat");

    HttpResponse<String> patch =
        cp.send("PATCH", "/api/v1/users/" + pat.id(), cp.adminKey, body("disabled", true));

    assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
    assertError(browser.send("GET", "/api/v1/me", null), 401, "UNAUTHORIZED");
    assertError(cp.send("GET", "/api/v1/me", key, null), 401, "UNAUTHORIZED");
    assertError(login("pat", PASSWORD), 401, "INVALID_CREDENTIALS");

    cp.send("PATCH", "/api/v1/users/" + pat.id(), cp.adminKey, body("disabled", false));
    assertThat(cp.send("GET", "/api/v1/me", key, null).statusCode()).isEqualTo(200);
    assertThat(login("pat", PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void passwordReset_endsSessionsAndNewPasswordSignsIn() {
    User quinn = user("quinn", UserRole.CREATOR);
    Browser browser = signIn("quinn");

    HttpResponse<String> patch =
        cp.send(
            "PATCH",
            "/api/v1/users/" + quinn.id(),
            cp.adminKey,
            body("password", "a brand new secret"));

    assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
    assertError(browser.send("GET", "/api/v1/me", null), 401, "UNAUTHORIZED");
    assertError(login("quinn", PASSWORD), 401, "INVALID_CREDENTIALS");
    assertThat(login("quinn", "a brand new secret").statusCode()).isEqualTo(200);
  }

  @Test
  void adminSession_canPatchWithToken() {
    user("root2", UserRole.ADMIN);
    User target = user("rita", UserRole.VIEWER);
    Browser admin = signIn("root2");

    HttpResponse<String> response =
        admin.send(
            "PATCH",
            "/api/v1/users/" + target.id(),
            body("role", "CREATOR"),
            "X-CSRF-Token",
            admin.csrfToken());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).get("role").asText()).isEqualTo("CREATOR");
    assertThat(Set.of(cp.store().findUserById(target.id()).get().role()))
        .containsExactly(UserRole.CREATOR);
  }

  // ---- pages (ui.UiRoutes through ControlPlaneRole.sessionResolver())

  @Test
  void page_withSessionCookie_servedWithUserAndToken_withoutOrExpired_redirectToLogin() {
    user("sara", UserRole.CREATOR);
    Browser browser = signIn("sara");

    HttpResponse<String> page = browser.send("GET", "/studio", null);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains(browser.csrfToken()).contains("\"sara\"");
    HttpResponse<String> anonymous = cp.send("GET", "/studio", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(302);
    assertThat(anonymous.headers().firstValue("location")).hasValue("/login?next=%2Fstudio");
    HttpResponse<String> forged =
        cp.send(
            request("GET", "/studio", null)
                .header("Cookie", "reelbox_session=" + "B".repeat(43))
                .build());
    assertThat(forged.statusCode()).isEqualTo(302);
  }
}
