package org.reelbox.launcher;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.reelbox.common.config.ConfigLoader;
import org.reelbox.common.role.Role;
import org.reelbox.control.ControlPlaneRole;
import org.reelbox.control.config.ControlPlaneConfig;
import org.reelbox.edge.EdgeConfig;
import org.reelbox.edge.EdgeRole;
import org.reelbox.encoder.EncoderConfig;
import org.reelbox.encoder.EncoderRole;
import org.reelbox.ingest.IngestConfig;
import org.reelbox.ingest.IngestRole;
import org.reelbox.origin.OriginConfig;
import org.reelbox.origin.OriginRole;

/**
 * How the launcher builds one role: its name, its config record and its constructor. The order of
 * {@link #ALL} is the start order of {@code run all}: the control plane first, the edge last.
 */
record RoleSpec<C>(String name, Class<C> configType, Function<C, Role> factory) {
  static final RoleSpec<ControlPlaneConfig> CONTROL_PLANE =
      new RoleSpec<>(ControlPlaneRole.NAME, ControlPlaneConfig.class, ControlPlaneRole::new);
  static final RoleSpec<OriginConfig> ORIGIN =
      new RoleSpec<>(OriginRole.NAME, OriginConfig.class, OriginRole::new);
  static final RoleSpec<IngestConfig> INGEST =
      new RoleSpec<>(IngestRole.NAME, IngestConfig.class, IngestRole::new);
  static final RoleSpec<EncoderConfig> ENCODER =
      new RoleSpec<>(EncoderRole.NAME, EncoderConfig.class, EncoderRole::new);
  static final RoleSpec<EdgeConfig> EDGE =
      new RoleSpec<>(EdgeRole.NAME, EdgeConfig.class, EdgeRole::new);

  static final List<RoleSpec<?>> ALL = List.of(CONTROL_PLANE, ORIGIN, INGEST, ENCODER, EDGE);

  RoleSpec {
    requireNonNull(name, "name");
    requireNonNull(configType, "configType");
    requireNonNull(factory, "factory");
  }

  static Optional<RoleSpec<?>> byName(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  static List<String> names() {
    return ALL.stream().map(RoleSpec::name).toList();
  }

  /** Builds the role from defaults, {@code file} and the environment. */
  Role create(Map<String, String> env, Optional<Path> file) {
    return factory.apply(ConfigLoader.forRole(name, env).load(configType, file));
  }

  /** The role's config from defaults, launcher-made {@code overrides} and the environment. */
  C load(Map<String, String> env, ObjectNode overrides) {
    return ConfigLoader.forRole(name, env).load(configType, overrides);
  }

  /** A new, unstarted instance of the role with a config built before ({@link #load}). */
  Role create(Object config) {
    return factory.apply(configType.cast(requireNonNull(config, "config")));
  }
}
