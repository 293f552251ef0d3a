package org.reelbox.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reelbox.common.config.ConfigException;
import org.reelbox.common.config.ConfigLoader;

/** conf/edge.yaml names every key of {@link EdgeConfig}, and the environment overrides them. */
class EdgeConfigTest {
  private static ObjectNode secret() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("cluster").put("secret", EdgeFixtures.SECRET);
    return o;
  }

  @Test
  void defaults_loadAndMatchTheFactory() {
    EdgeConfig c = ConfigLoader.forRole("edge", Map.of()).load(EdgeConfig.class, secret());
    EdgeConfig of = EdgeConfig.of(c.http(), c.dataDir(), c.cluster(), c.origin().urls());
    assertThat(c).isEqualTo(of);
    assertThat(c.origin().urls()).isEqualTo(List.of("http://127.0.0.1:8082"));
  }

  @Test
  void fill_offByDefault_environmentTurnsItOn_badWindowNamesTheKey() {
    assertThat(ConfigLoader.forRole("edge", Map.of()).load(EdgeConfig.class, secret()).fill())
        .isEqualTo(new EdgeConfig.Fill(false, "02:00-06:00", 10L << 20, 600));
    EdgeConfig c =
        ConfigLoader.forRole(
                "edge",
                Map.of(
                    "REELBOX_EDGE_FILL_ENABLED", "true",
                    "REELBOX_EDGE_FILL_WINDOW", "23:00-05:00",
                    "REELBOX_EDGE_FILL_BYTES_PER_SECOND", "5000000"))
            .load(EdgeConfig.class, secret());
    assertThat(c.fill()).isEqualTo(new EdgeConfig.Fill(true, "23:00-05:00", 5_000_000, 600));
    assertThatThrownBy(
            () ->
                ConfigLoader.forRole("edge", Map.of("REELBOX_EDGE_FILL_WINDOW", "2am-6am"))
                    .load(EdgeConfig.class, secret()))
        .hasMessageContaining("fill.window");
  }

  @Test
  void environment_overridesNewKeys() {
    EdgeConfig c =
        ConfigLoader.forRole(
                "edge",
                Map.of(
                    "REELBOX_EDGE_MEMORY_BYTES", "1048576",
                    "REELBOX_EDGE_ORIGIN_LOCK_TIMEOUT_MS", "250",
                    "REELBOX_EDGE_ORIGIN_URLS", "http://a:1,http://b:2"))
            .load(EdgeConfig.class, secret());
    assertThat(c.memory().bytes()).isEqualTo(1 << 20);
    assertThat(c.origin().lockTimeoutMs()).isEqualTo(250);
    assertThat(c.origin().urls()).containsExactly("http://a:1", "http://b:2");
  }

  @Test
  void badValues_nameTheKey() {
    assertThatThrownBy(
            () ->
                ConfigLoader.forRole("edge", Map.of("REELBOX_EDGE_ORIGIN_TIMEOUT_MS", "0"))
                    .load(EdgeConfig.class, secret()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("origin.timeoutMs");
    assertThatThrownBy(
            () ->
                ConfigLoader.forRole("edge", Map.of("REELBOX_EDGE_MEMORY_BYTES", "-1"))
                    .load(EdgeConfig.class, secret()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("memory.bytes");
    assertThatThrownBy(
            () ->
                ConfigLoader.forRole("edge", Map.of("REELBOX_EDGE_CACHE_MAX_OBJECT_BYTES", "0"))
                    .load(EdgeConfig.class, secret()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cache.maxObjectBytes");
  }

  @Test
  void flatKeysOfBeforeTheGrouping_areRefusedAsUnknown() {
    assertThatThrownBy(
            () ->
                ConfigLoader.forRole("edge", Map.of("REELBOX_EDGE_LOCK_TIMEOUT_MS", "250"))
                    .load(EdgeConfig.class, secret()))
        .isInstanceOf(ConfigException.class);
  }
}
