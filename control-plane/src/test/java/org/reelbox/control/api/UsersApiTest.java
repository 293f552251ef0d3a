package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reelbox.control.api.ApiAssertions.assertError;
import static org.reelbox.control.api.TestControlPlane.body;
import static org.reelbox.control.api.TestControlPlane.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.api.TestControlPlane.Caller;
import org.reelbox.control.store.PasswordHasher;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;

/** {@code /api/v1/users} and {@code /api/v1/users/{id}/keys}. */
class UsersApiTest {
  @TempDir static Path dataDir;
  private static TestControlPlane cp;
  private static Caller creator;

  @BeforeAll
  static void startControlPlane() throws Exception {
    cp = TestControlPlane.start(dataDir);
    creator = cp.caller("creator", UserRole.CREATOR);
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.close();
    }
  }

  // ---- POST /api/v1/users

  @Test
  void createUser_withoutPassword_201WithGeneratedPasswordThatVerifies() {
    HttpResponse<String> response =
        cp.send("POST", "/api/v1/users", cp.adminKey, body("username", "carol", "role", "VIEWER"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(response.headers().firstValue("cache-control")).contains("no-store");
    JsonNode user = json(response);
    assertThat(user.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("id", "username", "role", "createdAt", "updatedAt", "password");
    assertThat(user.get("username").asText()).isEqualTo("carol");
    assertThat(user.get("role").asText()).isEqualTo("VIEWER");
    String password = user.get("password").asText();
    assertThat(password).hasSize(32);
    long id = user.get("id").asLong();
    assertThat(response.headers().firstValue("location")).contains("/api/v1/users/" + id);
    String hash = cp.store().findPasswordHash(id).orElseThrow();
    assertThat(hash).startsWith("$2a$12$");
    assertThat(new PasswordHasher().verify(password, hash)).isTrue();
  }

  @Test
  void createUser_withPasswordAndDefaultRole_201CreatorWithoutPasswordInAnswer() {
    HttpResponse<String> response =
        cp.send(
            "POST",
            "/api/v1/users",
            cp.adminKey,
            body("username", "dave", "password", "correct horse battery"));

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode user = json(response);
    assertThat(user.get("role").asText()).isEqualTo("CREATOR");
    assertThat(user.has("password")).isFalse();
    assertThat(response.body()).doesNotContain("correct horse");
    String hash = cp.store().findPasswordHash(user.get("id").asLong()).orElseThrow();
    assertThat(new PasswordHasher().verify("correct horse battery", hash)).isTrue();
  }

  @Test
  void createUser_lowerCaseRole_accepted() {
    HttpResponse<String> response =
        cp.send("POST", "/api/v1/users", cp.adminKey, body("username", "erin", "role", "admin"));

    assertThat(json(response).get("role").asText()).isEqualTo("ADMIN");
  }

  @Test
  void createUser_duplicate_409() {
    cp.user("frank", UserRole.CREATOR);

    assertError(
        cp.send("POST", "/api/v1/users", cp.adminKey, body("username", "frank")), 409, "CONFLICT");
  }

  @Test
  void createUser_notAdmin_403() {
    assertError(
        cp.send("POST", "/api/v1/users", creator.key(), body("username", "mallory")),
        403,
        "FORBIDDEN");
    assertThat(cp.store().findUserByUsername("mallory")).isEmpty();
  }

  @Test
  void createUser_noKey_401() {
    assertError(cp.send("POST", "/api/v1/users", null, body("username", "x")), 401, "UNAUTHORIZED");
  }

  @Test
  void createUser_badBodies_400() {
    List<String> invalid =
        List.of(
            "{}",
            body("username", "Upper"),
            body("username", "has space"),
            body("username", ""),
            body("username", 5),
            body("username", "ok1", "role", "OWNER"),
            body("username", "ok2", "role", null),
            body("username", "ok3", "password", "short"),
            body("username", "ok4", "password", "é".repeat(40)),
            body("username", "ok5", "admin", true));
    for (String request : invalid) {
      assertError(cp.send("POST", "/api/v1/users", cp.adminKey, request), 400, "VALIDATION_FAILED");
    }
    assertError(cp.send("POST", "/api/v1/users", cp.adminKey, "{]"), 400, "INVALID_JSON");
    for (String name : List.of("ok1", "ok2", "ok3", "ok4", "ok5")) {
      assertThat(cp.store().findUserByUsername(name)).isEmpty();
    }
  }

  // ---- GET /api/v1/users

  @Test
  void listUsers_admin_200InCreationOrder() {
    HttpResponse<String> response = cp.send("GET", "/api/v1/users", cp.adminKey, null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = json(response);
    assertThat(answer.get("offset").asInt()).isZero();
    assertThat(answer.get("limit").asInt()).isEqualTo(UsersApi.DEFAULT_PAGE_SIZE);
    List<String> names = new ArrayList<>();
    answer.get("users").forEach(u -> names.add(u.get("username").asText()));
    assertThat(names).startsWith("admin", "creator");
    assertThat(response.body()).doesNotContain("$2a$").doesNotContain("password");
  }

  @Test
  void listUsers_paged() {
    JsonNode page = json(cp.send("GET", "/api/v1/users?offset=1&limit=1", cp.adminKey, null));

    assertThat(page.get("users").size()).isEqualTo(1);
    assertThat(page.get("users").get(0).get("username").asText()).isEqualTo("creator");
  }

  @Test
  void listUsers_badPage_400() {
    for (String query : List.of("limit=0", "limit=1001", "offset=-1", "limit=ten", "offset=1.5")) {
      assertError(
          cp.send("GET", "/api/v1/users?" + query, cp.adminKey, null), 400, "VALIDATION_FAILED");
    }
  }

  @Test
  void listUsers_notAdmin_403() {
    assertError(cp.send("GET", "/api/v1/users", creator.key(), null), 403, "FORBIDDEN");
  }

  // ---- POST /api/v1/users/{id}/keys

  @Test
  void createKey_self_201WithAKeyThatAuthenticates() {
    HttpResponse<String> response =
        cp.send(
            "POST",
            "/api/v1/users/" + creator.user().id() + "/keys",
            creator.key(),
            body("name", "laptop"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode key = json(response);
    assertThat(key.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("id", "userId", "name", "prefix", "createdAt", "key");
    assertThat(key.get("name").asText()).isEqualTo("laptop");
    assertThat(key.get("userId").asLong()).isEqualTo(creator.user().id());
    String plaintext = key.get("key").asText();
    assertThat(plaintext).startsWith(key.get("prefix").asText());
    JsonNode me = json(cp.send("GET", "/api/v1/me", plaintext, null));
    assertThat(me.get("username").asText()).isEqualTo("creator");
  }

  @Test
  void createKey_adminForAnotherUser_201() {
    User grace = cp.user("grace", UserRole.VIEWER);

    HttpResponse<String> response =
        cp.send("POST", "/api/v1/users/" + grace.id() + "/keys", cp.adminKey, body("name", "tv"));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(cp.store().findUserByApiKey(json(response).get("key").asText())).contains(grace);
  }

  @Test
  void createKey_forAnotherUserAsNonAdmin_403() {
    User heidi = cp.user("heidi", UserRole.CREATOR);

    assertError(
        cp.send("POST", "/api/v1/users/" + heidi.id() + "/keys", creator.key(), body("name", "x")),
        403,
        "FORBIDDEN");
    assertThat(cp.store().listApiKeys(heidi.id())).isEmpty();
  }

  @Test
  void createKey_unknownOrMalformedUser_404() {
    for (String id : List.of("999999", "0", "-1", "abc", "01")) {
      assertError(
          cp.send("POST", "/api/v1/users/" + id + "/keys", cp.adminKey, body("name", "x")),
          404,
          "NOT_FOUND");
    }
  }

  @Test
  void createKey_badName_400() {
    String path = "/api/v1/users/" + creator.user().id() + "/keys";
    for (String request :
        List.of("{}", body("name", ""), body("name", "x".repeat(101)), body("name", 1))) {
      assertError(cp.send("POST", path, creator.key(), request), 400, "VALIDATION_FAILED");
    }
  }
}
