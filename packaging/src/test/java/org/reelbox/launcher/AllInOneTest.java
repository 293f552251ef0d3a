package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
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
        .hasMessageContaining("cacheBytes");
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
