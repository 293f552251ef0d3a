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
        .containsExactly(
            "id", "username", "role", "disabled", "createdAt", "updatedAt", "password");
    assertThat(user.get("username").asText()).isEqualTo("carol");
    assertThat(user.get("role").asText()).isEqualTo("VIEWER");
    assertThat(user.get("disabled").asBoolean()).isFalse();
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

  // ---- PATCH /api/v1/users/{id}

  @Test
  void patchUser_roleAndDisabled_200TheUser_listShowsDisabled() {
    User ivy = cp.user("ivy", UserRole.VIEWER);

    HttpResponse<String> response =
        cp.send(
            "PATCH",
            "/api/v1/users/" + ivy.id(),
            cp.adminKey,
            body("role", "creator", "disabled", true));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode user = json(response);
    assertThat(user.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("id", "username", "role", "disabled", "createdAt", "updatedAt");
    assertThat(user.get("role").asText()).isEqualTo("CREATOR");
    assertThat(user.get("disabled").asBoolean()).isTrue();
    JsonNode listed = null;
    for (JsonNode u : json(cp.send("GET", "/api/v1/users", cp.adminKey, null)).get("users")) {
      if (u.get("username").asText().equals("ivy")) {
        listed = u;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("disabled").asBoolean()).isTrue();

    JsonNode enabled =
        json(cp.send("PATCH", "/api/v1/users/" + ivy.id(), cp.adminKey, body("disabled", false)));
    assertThat(enabled.get("disabled").asBoolean()).isFalse();
    assertThat(enabled.get("role").asText()).isEqualTo("CREATOR");
  }

  @Test
  void patchUser_password_storesANewHashThatVerifies() {
    User judy = cp.user("judy", UserRole.CREATOR);

    HttpResponse<String> response =
        cp.send(
            "PATCH", "/api/v1/users/" + judy.id(), cp.adminKey, body("password", "a long secret"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("a long secret").doesNotContain("$2a$");
    String hash = cp.store().findPasswordHash(judy.id()).orElseThrow();
    assertThat(new PasswordHasher().verify("a long secret", hash)).isTrue();
  }

  @Test
  void patchUser_disabledUsersKey_401() {
    Caller karl = cp.caller("karl", UserRole.CREATOR);
    assertThat(cp.send("GET", "/api/v1/me", karl.key(), null).statusCode()).isEqualTo(200);

    cp.send("PATCH", "/api/v1/users/" + karl.user().id(), cp.adminKey, body("disabled", true));

    assertError(cp.send("GET", "/api/v1/me", karl.key(), null), 401, "UNAUTHORIZED");
  }

  @Test
  void patchUser_badBodies_400AndNothingChanged() {
    User leo = cp.user("leo", UserRole.VIEWER);
    String path = "/api/v1/users/" + leo.id();
    List<String> invalid =
        List.of(
            "{}",
            body("username", "renamed"),
            body("role", "OWNER"),
            body("role", null),
            body("role", 1),
            body("password", "short"),
            body("password", "é".repeat(40)),
            body("disabled", "yes"),
            body("disabled", null),
            body("role", "ADMIN", "admin", true));
    for (String request : invalid) {
      assertError(cp.send("PATCH", path, cp.adminKey, request), 400, "VALIDATION_FAILED");
    }
    assertError(cp.send("PATCH", path, cp.adminKey, "[1]"), 400, "INVALID_JSON");
    User after = cp.store().findUserById(leo.id()).orElseThrow();
    assertThat(after.role()).isEqualTo(UserRole.VIEWER);
    assertThat(after.disabled()).isFalse();
    assertThat(cp.store().findPasswordHash(leo.id())).contains(TestControlPlane.HASH);
  }

  @Test
  void patchUser_selfDisableOrDemote_409_selfPasswordOk() {
    User admin = cp.store().findUserByUsername("admin").orElseThrow();
    String path = "/api/v1/users/" + admin.id();

    assertError(cp.send("PATCH", path, cp.adminKey, body("disabled", true)), 409, "CONFLICT");
    assertError(cp.send("PATCH", path, cp.adminKey, body("role", "VIEWER")), 409, "CONFLICT");
    assertError(
        cp.send("PATCH", path, cp.adminKey, body("role", "CREATOR", "disabled", false)),
        409,
        "CONFLICT");
    User after = cp.store().findUserById(admin.id()).orElseThrow();
    assertThat(after.role()).isEqualTo(UserRole.ADMIN);
    assertThat(after.disabled()).isFalse();
    // Harmless changes to oneself are allowed.
    assertThat(
            cp.send("PATCH", path, cp.adminKey, body("role", "ADMIN", "disabled", false))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void patchUser_notAdminUnknownOrMalformed_403Or404() {
    User mia = cp.user("mia", UserRole.VIEWER);

    assertError(
        cp.send("PATCH", "/api/v1/users/" + mia.id(), creator.key(), body("role", "ADMIN")),
        403,
        "FORBIDDEN");
    assertError(
        cp.send(
            "PATCH", "/api/v1/users/" + creator.user().id(), creator.key(), body("role", "ADMIN")),
        403,
        "FORBIDDEN");
    for (String id : List.of("999999", "0", "abc", "01")) {
      assertError(
          cp.send("PATCH", "/api/v1/users/" + id, cp.adminKey, body("role", "VIEWER")),
          404,
          "NOT_FOUND");
    }
    assertThat(cp.store().findUserById(mia.id()).orElseThrow().role()).isEqualTo(UserRole.VIEWER);
  }
}
