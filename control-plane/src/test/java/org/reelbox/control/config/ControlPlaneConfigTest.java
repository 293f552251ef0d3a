package org.reelbox.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reelbox.common.config.ConfigException;
import org.reelbox.common.config.ConfigLoader;

/** conf/control-plane.yaml and its environment overrides, for the keys of the upload API. */
class ControlPlaneConfigTest {
  private static ControlPlaneConfig load(Map<String, String> env) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("cluster").put("secret", "x".repeat(32));
    return ConfigLoader.forRole("control-plane", env).load(ControlPlaneConfig.class, o);
  }

  @Test
  void defaults_ingestOnLoopbackTokensForADayHeartbeatEvery15s() {
    ControlPlaneConfig config = load(Map.of());

    assertThat(config.ingestUrl()).isEqualTo("http://127.0.0.1:8081");
    assertThat(config.uploadTokenTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(config.eventsHeartbeat()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void environment_overridesTheNewKeys() {
    ControlPlaneConfig config =
        load(
            Map.of(
                "REELBOX_CONTROL_PLANE_INGEST_URL", "https://upload.example.com/",
                "REELBOX_CONTROL_PLANE_UPLOAD_TOKEN_TTL_HOURS", "6",
                "REELBOX_CONTROL_PLANE_EVENTS_HEARTBEAT_SECONDS", "30"));

    assertThat(config.ingestUrl()).isEqualTo("https://upload.example.com");
    assertThat(config.uploadTokenTtlHours()).isEqualTo(6);
    assertThat(config.eventsHeartbeatSeconds()).isEqualTo(30);
  }

  @Test
  void badValues_failNamingTheKey() {
    assertThatThrownBy(() -> load(Map.of("REELBOX_CONTROL_PLANE_INGEST_URL", "ftp://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingestUrl");
    assertThatThrownBy(() -> load(Map.of("REELBOX_CONTROL_PLANE_UPLOAD_TOKEN_TTL_HOURS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("uploadTokenTtlHours");
    assertThatThrownBy(() -> load(Map.of("REELBOX_CONTROL_PLANE_UPLOAD_TOKEN_TTL_HOURS", "169")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("uploadTokenTtlHours");
    assertThatThrownBy(() -> load(Map.of("REELBOX_CONTROL_PLANE_EVENTS_HEARTBEAT_SECONDS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("eventsHeartbeatSeconds");
  }

  @Test
  void edges_defaultTimeout30s_overridable_badValueNamesTheKey() {
    assertThat(load(Map.of()).edges().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(
            load(Map.of("REELBOX_CONTROL_PLANE_EDGES_HEARTBEAT_TIMEOUT_SECONDS", "90"))
                .edges()
                .heartbeatTimeoutSeconds())
        .isEqualTo(90);
    assertThatThrownBy(
            () -> load(Map.of("REELBOX_CONTROL_PLANE_EDGES_HEARTBEAT_TIMEOUT_SECONDS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("heartbeatTimeoutSeconds");
  }

  @Test
  void routing_defaults_overridable_badValuesNameTheKey() {
    RoutingConfig r = load(Map.of()).routing();
    assertThat(r.defaultRegion()).isEqualTo("default");
    assertThat(r.popularityThreshold()).isEqualTo(3.0);
    assertThat(r.playTokenTtl()).isEqualTo(Duration.ofHours(6));
    assertThat(r.trustedProxies()).isEmpty();
    assertThat(
            load(Map.of("REELBOX_CONTROL_PLANE_ROUTING_POPULARITY_THRESHOLD", "0.5"))
                .routing()
                .popularityThreshold())
        .isEqualTo(0.5);
    assertThatThrownBy(
            () -> load(Map.of("REELBOX_CONTROL_PLANE_ROUTING_POPULARITY_THRESHOLD", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("popularityThreshold");
    assertThatThrownBy(
            () -> load(Map.of("REELBOX_CONTROL_PLANE_ROUTING_DEFAULT_REGION", "no spaces")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("defaultRegion");
    assertThatThrownBy(
            () -> load(Map.of("REELBOX_CONTROL_PLANE_ROUTING_PLAY_TOKEN_TTL_SECONDS", "10")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("playTokenTtlSeconds");
  }

  @Test
  void routing_badTrustedProxy_namesTheKey() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("cluster").put("secret", "x".repeat(32));
    o.putObject("routing").putArray("trustedProxies").add("10.0.0.1/8");
    assertThatThrownBy(
            () -> ConfigLoader.forRole("control-plane", Map.of()).load(ControlPlaneConfig.class, o))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trustedProxies")
        .hasMessageContaining("host bits");
  }

  @Test
  void popularity_halfLifeADayFillFifty_overridable_badValuesNameTheKey() {
    assertThat(load(Map.of()).edges().popularityHalfLife()).isEqualTo(Duration.ofDays(1));
    assertThat(load(Map.of()).edges().fillVideos()).isEqualTo(50);
    var edges =
        load(Map.of(
                "REELBOX_CONTROL_PLANE_EDGES_POPULARITY_HALF_LIFE_MINUTES", "60",
                "REELBOX_CONTROL_PLANE_EDGES_FILL_VIDEOS", "7"))
            .edges();
    assertThat(edges.popularityHalfLife()).isEqualTo(Duration.ofHours(1));
    assertThat(edges.fillVideos()).isEqualTo(7);
    assertThatThrownBy(
            () -> load(Map.of("REELBOX_CONTROL_PLANE_EDGES_POPULARITY_HALF_LIFE_MINUTES", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("popularityHalfLifeMinutes");
    assertThatThrownBy(() -> load(Map.of("REELBOX_CONTROL_PLANE_EDGES_FILL_VIDEOS", "1001")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fillVideos");
  }

  @Test
  void cost_defaultPrice002_overridable_badValueNamesTheKey() {
    assertThat(load(Map.of()).cost().cdnPricePerGb()).isEqualByComparingTo("0.02");
    assertThat(
            load(Map.of("REELBOX_CONTROL_PLANE_COST_CDN_PRICE_PER_GB", "0.035"))
                .cost()
                .cdnPricePerGb())
        .isEqualByComparingTo("0.035");
    for (String bad : new String[] {"-0.01", "1001", "cheap"}) {
      assertThatThrownBy(() -> load(Map.of("REELBOX_CONTROL_PLANE_COST_CDN_PRICE_PER_GB", bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("cdnPricePerGb");
    }
  }

  @Test
  void admin_historyEveryMinute_overridable_badValuesNameTheKey() {
    assertThat(load(Map.of()).admin().historyInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(
            load(Map.of("REELBOX_CONTROL_PLANE_ADMIN_HISTORY_INTERVAL_SECONDS", "5"))
                .admin()
                .historyIntervalSeconds())
        .isEqualTo(5);
    for (String bad : new String[] {"0", "3601", "often"}) {
      assertThatThrownBy(
              () -> load(Map.of("REELBOX_CONTROL_PLANE_ADMIN_HISTORY_INTERVAL_SECONDS", bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("historyIntervalSeconds");
    }
  }
}
