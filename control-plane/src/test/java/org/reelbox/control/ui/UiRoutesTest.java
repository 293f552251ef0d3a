package org.reelbox.control.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reelbox.common.json.Json;
import org.reelbox.control.auth.SessionUser;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;

/**
 * The page routes on a real Vert.x server: who gets a page, a redirect or a 403; the language; the
 * boot data; the security headers; the static files. The session is whatever {@link #signedIn}
 * holds (the session store has its own tests).
 */
class UiRoutesTest {
  private static Vertx vertx;
  private static HttpServer server;
  private static URI base;
  private static final AtomicReference<Optional<SessionUser>> signedIn =
      new AtomicReference<>(Optional.empty());
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new UiRoutes(new PageRenderer(Messages.load()), ctx -> Future.succeededFuture(signedIn.get()))
        .mount(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    base = URI.create("http://127.0.0.1:" + server.actualPort());
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void signOut() {
    signedIn.set(Optional.empty());
  }

  private static void signIn(UserRole role) {
    Instant now = Instant.now();
    signedIn.set(
        Optional.of(new SessionUser(new User(7, "ann", role, now, now), "csrf-token-<&>")));
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode boot(String html) {
    Matcher m =
        Pattern.compile("<script id=\"rb-boot\" type=\"application/json\">(.*?)</script>")
            .matcher(html);
    assertThat(m.find()).isTrue();
    try {
      return Json.mapper().readTree(m.group(1));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void withoutASessionAPageRedirectsToTheLoginAndComesBack() throws Exception {
    HttpResponse<String> r = get("/studio/videos/abc?x=1");
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location"))
        .hasValue("/login?next=%2Fstudio%2Fvideos%2Fabc%3Fx%3D1");
  }

  @Test
  void theLoginPageIsPublicWithStrictHeaders() throws Exception {
    HttpResponse<String> r = get("/login");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'", "frame-ancestors 'none'");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.body()).contains("<html lang=\"en\">", "/static/js/login.js");
    assertThat(boot(r.body()).get("user").isNull()).isTrue();
  }

  @Test
  void theLanguageComesFromTheCookieThenAcceptLanguage() throws Exception {
    HttpResponse<String> ko = get("/login", "Accept-Language", "ko-KR,ko;q=0.9,en;q=0.8");
    assertThat(ko.body()).contains("<html lang=\"ko\">", "로그인");
    assertThat(ko.headers().firstValue("Content-Language")).hasValue("ko");
    assertThat(boot(ko.body()).get("messages").get("common.nav.home").asText()).isEqualTo("홈");

    HttpResponse<String> ja =
        get("/login", "Accept-Language", "ko-KR", "Cookie", UiLocale.COOKIE + "=ja");
    assertThat(ja.body()).contains("<html lang=\"ja\">", "ログイン");
  }

  @Test
  void aSignedInUserGetsTheirPageWithBootData() throws Exception {
    signIn(UserRole.CREATOR);
    HttpResponse<String> r = get("/studio");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode boot = boot(r.body());
    assertThat(boot.get("user").get("username").asText()).isEqualTo("ann");
    assertThat(boot.get("user").get("role").asText()).isEqualTo("CREATOR");
    // Escaped for a script element, and still the same string once parsed.
    assertThat(r.body()).doesNotContain("csrf-token-<&>");
    assertThat(boot.get("csrfToken").asText()).isEqualTo("csrf-token-<&>");
  }

  @Test
  void rolesDecideWhoSeesStudioAndAdmin() throws Exception {
    signIn(UserRole.VIEWER);
    assertThat(get("/").statusCode()).isEqualTo(200);
    assertThat(get("/watch/AbCdEfGhIjK").statusCode()).isEqualTo(200);
    HttpResponse<String> studio = get("/studio/upload");
    assertThat(studio.statusCode()).isEqualTo(403);
    assertThat(studio.body()).contains("<h1>Not allowed</h1>").doesNotContain("{{");
    signIn(UserRole.CREATOR);
    assertThat(get("/admin").statusCode()).isEqualTo(403);
    assertThat(get("/admin/jobs/AbCdEfGhIjK").statusCode()).isEqualTo(403);
    signIn(UserRole.ADMIN);
    for (String p :
        new String[] {
          "/admin",
          "/admin/jobs",
          "/admin/jobs/AbCdEfGhIjK",
          "/admin/edges",
          "/admin/users",
          "/admin/settings",
          "/studio",
          "/studio/upload",
          "/studio/videos/AbCdEfGhIjK"
        }) {
      assertThat(get(p).statusCode()).as(p).isEqualTo(200);
    }
  }

  @Test
  void staticFilesAreServedWithTypesAndNothingOutsideWebStatic() throws Exception {
    HttpResponse<String> js = get("/static/js/app.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
    assertThat(get("/static/css/app.css").headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/css");
    assertThat(get("/static/vendor/hls.min.js").statusCode()).isEqualTo(200);
    assertThat(get("/static/vendor/tus.min.js").statusCode()).isEqualTo(200);
    assertThat(get("/static/../i18n/common_en.properties").statusCode()).isNotEqualTo(200);
    assertThat(get("/static/%2e%2e/i18n/common_en.properties").statusCode()).isNotEqualTo(200);
    assertThat(get("/static/js/").statusCode()).isNotEqualTo(200);
  }
}
