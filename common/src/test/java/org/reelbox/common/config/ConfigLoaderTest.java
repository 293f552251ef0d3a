package org.reelbox.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  /** A role config shaped like the real ones: nested records, a list, a long. */
  record SampleConfig(
      HttpConfig http,
      String dataDir,
      ClusterConfig cluster,
      StorageConfig storage,
      List<String> originUrls,
      long maxUploadBytes) {
    SampleConfig {
      Checks.required("http", http);
      Checks.nonBlank("dataDir", dataDir);
      Checks.positive("maxUploadBytes", maxUploadBytes);
    }
  }

  @TempDir Path tmp;

  private static SampleConfig load(Map<String, String> env) {
    return ConfigLoader.forRole("sample", env).load(SampleConfig.class, Optional.empty());
  }

  private SampleConfig loadFile(String yaml) throws IOException {
    Path file = tmp.resolve("override.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.forRole("sample", Map.of()).load(SampleConfig.class, Optional.of(file));
  }

  @Test
  void load_defaultsOnly_bindsEveryKey() {
    SampleConfig c = load(Map.of());
    assertThat(c.http()).isEqualTo(new HttpConfig("127.0.0.1", 9000));
    assertThat(c.storage().type()).isEqualTo("file");
    assertThat(c.originUrls()).containsExactly("http://127.0.0.1:8082");
    assertThat(c.maxUploadBytes()).isEqualTo(1073741824L);
  }

  @Test
  void load_fileOverridesOnlyItsKeys() throws IOException {
    SampleConfig c = loadFile("http:\n  port: 9100\n");
    assertThat(c.http()).isEqualTo(new HttpConfig("127.0.0.1", 9100));
    assertThat(c.dataDir()).isEqualTo("/tmp/sample");
  }

  @Test
  void load_envOverridesFileAndDefaults() throws IOException {
    Path file = tmp.resolve("o.yaml");
    Files.writeString(file, "http:\n  port: 9100\n");
    SampleConfig c =
        ConfigLoader.forRole(
                "sample",
                Map.of(
                    "REELBOX_SAMPLE_HTTP_PORT", "9200",
                    "REELBOX_SAMPLE_DATA_DIR", "/srv/x",
                    "REELBOX_SAMPLE_ORIGIN_URLS", "http://a:1, http://b:2",
                    "REELBOX_SAMPLE_STORAGE_S3_ACCESS_KEY", "ak",
                    "REELBOX_OTHER_HTTP_PORT", "1"))
            .load(SampleConfig.class, Optional.of(file));
    assertThat(c.http().port()).isEqualTo(9200);
    assertThat(c.dataDir()).isEqualTo("/srv/x");
    assertThat(c.originUrls()).containsExactly("http://a:1", "http://b:2");
    assertThat(c.storage().s3().accessKey()).isEqualTo("ak");
  }

  @Test
  void envName_camelCaseAndDots_upperSnake() {
    ConfigLoader loader = ConfigLoader.forRole("control-plane", Map.of());
    assertThat(loader.envName("http.port")).isEqualTo("REELBOX_CONTROL_PLANE_HTTP_PORT");
    assertThat(loader.envName("cluster.controlPlaneUrl"))
        .isEqualTo("REELBOX_CONTROL_PLANE_CLUSTER_CONTROL_PLANE_URL");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "70000 | http.port | between 0 and 65535",
        "-1    | http.port | between 0 and 65535",
        "abc   | http.port | 'abc' is not a valid int",
        "8.5   | http.port | http.port"
      })
  void load_badPortInEnv_failsNamingTheKey(String value, String key, String problem) {
    assertThatThrownBy(() -> load(Map.of("REELBOX_SAMPLE_HTTP_PORT", value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void load_badPortInFile_namesKeyAndEnvVar() {
    assertThatThrownBy(() -> loadFile("http:\n  port: 99999\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'http.port (REELBOX_SAMPLE_HTTP_PORT)'")
        .hasMessageContaining("got 99999");
  }

  @Test
  void load_unknownKeyInFile_namesIt() {
    assertThatThrownBy(() -> loadFile("http:\n  prot: 1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'http.prot'")
        .hasMessageContaining("unknown key");
  }

  @Test
  void load_unknownTopLevelKeyInFile_namesIt() {
    assertThatThrownBy(() -> loadFile("colour: blue\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'colour'");
  }

  @Test
  void load_unknownEnvKey_namesTheVariable() {
    assertThatThrownBy(() -> load(Map.of("REELBOX_SAMPLE_HTTP_PROT", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("REELBOX_SAMPLE_HTTP_PROT")
        .hasMessageContaining("unknown key");
  }

  @Test
  void load_badEnumLikeValue_listsChoices() {
    assertThatThrownBy(() -> load(Map.of("REELBOX_SAMPLE_STORAGE_TYPE", "ftp")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("storage.type")
        .hasMessageContaining("[file, s3]");
  }

  @Test
  void load_shortClusterSecret_failsWithoutEchoingIt() {
    assertThatThrownBy(() -> load(Map.of("REELBOX_SAMPLE_CLUSTER_SECRET", "hunter2")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.secret")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void load_badUrl_namesKey() {
    assertThatThrownBy(() -> load(Map.of("REELBOX_SAMPLE_CLUSTER_CONTROL_PLANE_URL", "ftp://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.controlPlaneUrl");
  }

  @Test
  void load_invalidYaml_saysWhere() {
    assertThatThrownBy(() -> loadFile("http: [unclosed\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void load_missingFile_namesIt() {
    assertThatThrownBy(
            () ->
                ConfigLoader.forRole("sample", Map.of())
                    .load(SampleConfig.class, Optional.of(tmp.resolve("nope.yaml"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--config")
        .hasMessageContaining("nope.yaml");
  }

  @Test
  void load_nullSection_isRequired() {
    assertThatThrownBy(() -> loadFile("http: null\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http");
  }

  @Test
  void dataDirPrepare_pathUnderAFile_failsNamingKey() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThatThrownBy(() -> DataDir.prepare("dataDir", file.resolve("sub").toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'dataDir'")
        .hasMessageContaining("cannot create directory");
    assertThatThrownBy(() -> DataDir.prepare("dataDir", file.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a directory");
  }

  @Test
  void dataDirPrepare_fresh_createsIt() {
    Path dir = DataDir.prepare("dataDir", tmp.resolve("a/b").toString());
    assertThat(dir).isDirectory();
  }
}
