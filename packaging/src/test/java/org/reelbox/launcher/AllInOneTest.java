package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.config.ConfigException;
import org.reelbox.common.testing.RoleAssertions;

class AllInOneTest {
  @TempDir Path tmp;

  @Test
  void start_freePorts_everyRoleAnswersItsAdminEndpoints() throws Exception {
    Map<String, URI> urls;
    try (AllInOne all = AllInOne.start(tmp, Optional.of(0), Map.of())) {
      urls = all.urls();
      assertThat(urls.keySet())
          .containsExactly("control-plane", "origin", "ingest", "encoder", "edge");
      for (Map.Entry<String, URI> e : urls.entrySet()) {
        RoleAssertions.assertAdminEndpoints(e.getValue(), e.getKey());
      }
      assertThat(all.firstStartCredentials()).isPresent();
    }
    // Closed: nothing listens any more.
    for (URI url : urls.values()) {
      assertThatThrownBy(() -> RoleAssertions.get(url.resolve("/healthz")))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void start_firstTime_writesSecretsMode600_andSecondStartCreatesNoNewAdmin() throws Exception {
    try (AllInOne all = AllInOne.start(tmp, Optional.of(0), Map.of())) {
      assertThat(all.firstStartCredentials()).isPresent();
    }
    assertThat(mode(tmp.resolve("admin-credentials"))).isEqualTo("rw-------");
    assertThat(mode(tmp.resolve("cluster-secret"))).isEqualTo("rw-------");
    String secret = Files.readString(tmp.resolve("cluster-secret")).trim();
    assertThat(secret.length()).isGreaterThanOrEqualTo(32);

    try (AllInOne again = AllInOne.start(tmp, Optional.of(0), Map.of())) {
      assertThat(again.firstStartCredentials()).isEmpty();
    }
    assertThat(Files.readString(tmp.resolve("cluster-secret")).trim()).isEqualTo(secret);
  }

  @Test
  void start_badEnvOverride_failsNamingKeyAndLeavesNothingRunning() {
    assertThatThrownBy(
            () -> AllInOne.start(tmp, Optional.of(0), Map.of("REELBOX_EDGE_CACHE_BYTES", "-5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cache.bytes");
  }

  @Test
  void start_controlPlaneHandsOutUploadUrlsOnThisIngest() throws Exception {
    try (AllInOne all = AllInOne.start(tmp, Optional.of(0), Map.of())) {
      String apiKey = all.firstStartCredentials().orElseThrow().apiKey();
      HttpRequest request =
          HttpRequest.newBuilder(all.urls().get("control-plane").resolve("/api/v1/videos"))
              .header("Authorization", "Bearer " + apiKey)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"filename\":\"cat.mp4\",\"size\":1000,\"contentType\":\"video/mp4\"}"))
              .build();

      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      assertThat(response.body()).contains("\"uploadUrl\":\"" + all.urls().get("ingest") + "/t/");
    }
  }

  @Test
  void start_edgeServesThroughTheOrigin_missThenHit() throws Exception {
    try (AllInOne all = AllInOne.start(tmp, Optional.of(0), Map.of())) {
      byte[] segment = new byte[100_000];
      new java.util.Random(5).nextBytes(segment);
      Path file = tmp.resolve("blobs/hls/dQw4w9WgXcQ/720p/0.ts");
      Files.createDirectories(file.getParent());
      Files.write(file, segment);
      URI url = all.urls().get("edge").resolve("/v/dQw4w9WgXcQ/720p/0.ts");
      HttpClient client = HttpClient.newHttpClient();
      for (String expected : new String[] {"MISS", "HIT"}) {
        HttpResponse<byte[]> r =
            client.send(
                HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Cache")).hasValue(expected);
        assertThat(r.body()).isEqualTo(segment);
      }
    }
  }

  @Test
  void start_dataDirIsAFile_failsNamingData() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "x");
    assertThatThrownBy(() -> AllInOne.start(file, Optional.of(0), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--data");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
