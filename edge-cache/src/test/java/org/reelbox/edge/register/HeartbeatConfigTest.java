package org.reelbox.edge.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reelbox.common.config.ConfigException;
import org.reelbox.common.config.ConfigLoader;
import org.reelbox.edge.EdgeConfig;
import org.reelbox.edge.EdgeRole;

/** conf/edge.yaml and its environment overrides, for the registrar's key. */
class HeartbeatConfigTest {
  private static EdgeConfig load(Map<String, String> env) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("cluster").put("secret", "x".repeat(32));
    return ConfigLoader.forRole(EdgeRole.NAME, env).load(EdgeConfig.class, o);
  }

  @Test
  void heartbeatSeconds_default10_overridable() {
    assertThat(load(Map.of()).heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(load(Map.of("REELBOX_EDGE_HEARTBEAT_SECONDS", "3")).heartbeatSeconds()).isEqualTo(3);
  }

  @Test
  void heartbeatSeconds_outOfRange_failsNamingTheKey() {
    for (String bad : new String[] {"0", "-1", "3601"}) {
      assertThatThrownBy(() -> load(Map.of("REELBOX_EDGE_HEARTBEAT_SECONDS", bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("heartbeatSeconds");
    }
  }
}
