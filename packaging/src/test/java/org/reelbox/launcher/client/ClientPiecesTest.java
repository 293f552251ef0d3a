package org.reelbox.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.config.ConfigException;

class ClientPiecesTest {
  @TempDir Path tmp;

  @Test
  void render_halfway_showsPercentSpeedAndEta() {
    String line = ProgressBar.render(50_000_000, 100_000_000, 10_000);
    assertThat(line).contains(" 50.0%").contains("5.0 MB/s").contains("ETA 00:10");
  }

  @Test
  void render_nothingSentYet_unknownEta() {
    assertThat(ProgressBar.render(0, 100, 0)).contains("ETA --:--").contains("  0.0%");
  }

  @Test
  void encodeMetadata_base64ValuesCommaSeparated() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("filename", "ça.mp4");
    m.put("filetype", "video/mp4");
    assertThat(TusUploader.encodeMetadata(m))
        .isEqualTo("filename w6dhLm1wNA==,filetype dmlkZW8vbXA0");
  }

  @Test
  void resolve_optionBeatsEnvBeatsFile() throws IOException {
    Files.writeString(
        tmp.resolve("admin-credentials"),
        "username=admin\napi_key=rbx_file\ncontrol_plane_url=http://127.0.0.1:9999\n");
    assertThat(ClientSettings.resolve("rbx_opt", tmp, null, Map.of("REELBOX_API_KEY", "rbx_env")))
        .isEqualTo(new ClientSettings(URI.create("http://127.0.0.1:9999"), "rbx_opt"));
    assertThat(
            ClientSettings.resolve(null, tmp, null, Map.of("REELBOX_API_KEY", "rbx_env")).apiKey())
        .isEqualTo("rbx_env");
    assertThat(ClientSettings.resolve(null, tmp, "http://h:1/", Map.of()))
        .isEqualTo(new ClientSettings(URI.create("http://h:1"), "rbx_file"));
  }

  @Test
  void resolve_noKeyAnywhere_failsNamingTheOptions() {
    assertThatThrownBy(() -> ClientSettings.resolve(null, null, null, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("REELBOX_API_KEY");
  }

  @Test
  void resolve_badUrl_fails() {
    assertThatThrownBy(() -> ClientSettings.resolve("k", null, "ftp://x", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--control-plane");
  }

  @Test
  void toString_redactsKey() {
    assertThat(new ClientSettings(URI.create("http://h"), "rbx_secret").toString())
        .doesNotContain("rbx_secret");
  }
}
