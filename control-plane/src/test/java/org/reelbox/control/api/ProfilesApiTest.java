package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.json.Json;
import org.reelbox.control.store.UserRole;

/** {@code GET /api/v1/profiles}: the shipped profiles, for any signed-in user; none without. */
class ProfilesApiTest {
  @TempDir static Path dataDir;
  private static TestControlPlane cp;

  @BeforeAll
  static void start() throws Exception {
    cp = TestControlPlane.start(dataDir);
  }

  @AfterAll
  static void stop() {
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void listsTheProfilesWithTheirDescriptionsAndTheDefault() throws Exception {
    var viewer = cp.caller("vera", UserRole.VIEWER);
    HttpResponse<String> r = cp.send("GET", "/api/v1/profiles", viewer.key(), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode profiles = Json.mapper().readTree(r.body()).get("profiles");
    List<String> names = new ArrayList<>();
    profiles.forEach(p -> names.add(p.get("name").asText()));
    assertThat(names).contains("default", "fast");
    for (JsonNode p : profiles) {
      assertThat(p.get("description").asText()).as(p.toString()).isNotBlank();
      assertThat(p.get("default").asBoolean()).isEqualTo(p.get("name").asText().equals("default"));
    }
  }

  @Test
  void withoutACredential_401() {
    assertThat(cp.send("GET", "/api/v1/profiles", null, null).statusCode()).isEqualTo(401);
  }
}
