package org.reelbox.launcher;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reelbox.common.config.ConfigException;
import org.reelbox.common.config.DataDir;
import org.reelbox.common.role.Role;
import org.reelbox.common.security.Secrets;
import org.reelbox.control.ControlPlaneRole;
import org.reelbox.control.store.AdminBootstrap;

/**
 * Every role in one JVM on loopback with embedded defaults ({@code reelbox run all --data DIR}):
 * one file blob store at {@code DIR/blobs} shared by all roles, the embedded H2 database and {@code
 * admin-credentials} in {@code DIR}, each other role's scratch space in {@code DIR/ROLE}, and a
 * cluster secret generated once into {@code DIR/cluster-secret} (mode 600).
 *
 * <p>Ports: each role's default (8080–8084) unless a base port is given; base port 0 picks free
 * ports (tests use it). Environment variables still override every key.
 */
final class AllInOne implements AutoCloseable {
  static final String SECRET_FILE = "cluster-secret";

  private final Path dataDir;
  private final Map<String, Role> roles = new LinkedHashMap<>();

  /** Each role's config as built at start, so that {@link #restart} brings back the same role. */
  private final Map<String, Object> configs = new LinkedHashMap<>();

  private AllInOne(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * Starts every role; on any failure closes the ones already started and rethrows.
   *
   * @param basePort empty for each role's default port; 0 for free ports; else base, base+1, …
   */
  static AllInOne start(Path data, Optional<Integer> basePort, Map<String, String> env)
      throws Exception {
    Path dir = DataDir.prepare("--data", requireNonNull(data, "data").toString());
    AllInOne all = new AllInOne(dir);
    try {
      all.startRoles(basePort, env);
    } catch (Exception | Error e) {
      all.close();
      throw e;
    }
    return all;
  }

  private void startRoles(Optional<Integer> basePort, Map<String, String> env) throws Exception {
    String secret = clusterSecret(dataDir);
    Map<String, Integer> ports = ports(basePort);
    String controlPlaneUrl = "http://127.0.0.1:" + ports.get(ControlPlaneRole.NAME);
    for (RoleSpec<?> spec : RoleSpec.ALL) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.putObject("http").put("host", "127.0.0.1").put("port", ports.get(spec.name()));
      o.put(
          "dataDir",
          spec == RoleSpec.CONTROL_PLANE
              ? dataDir.toString()
              : dataDir.resolve(spec.name()).toString());
      o.putObject("cluster").put("secret", secret).put("controlPlaneUrl", controlPlaneUrl);
      if (spec == RoleSpec.CONTROL_PLANE) {
        // Upload URLs handed to clients point at this JVM's ingest.
        o.put("ingestUrl", "http://127.0.0.1:" + ports.get(RoleSpec.INGEST.name()));
        // Playback URLs of ready videos point at this JVM's origin.
        o.put("originUrl", "http://127.0.0.1:" + ports.get(RoleSpec.ORIGIN.name()));
      }
      if (spec == RoleSpec.EDGE) {
        o.putObject("origin")
            .putArray("urls")
            .add("http://127.0.0.1:" + ports.get(RoleSpec.ORIGIN.name()));
      } else {
        ObjectNode storage = o.putObject("storage");
        storage.put("type", "file");
        storage.putObject("file").put("root", dataDir.resolve("blobs").toString());
      }
      Object config = spec.load(env, o);
      configs.put(spec.name(), config);
      Role role = spec.create(config);
      roles.put(spec.name(), role);
      role.start();
    }
  }

  private static Map<String, Integer> ports(Optional<Integer> basePort) throws IOException {
    Map<String, Integer> ports = new LinkedHashMap<>();
    if (basePort.isEmpty()) {
      ports.put("control-plane", 8080);
      ports.put("ingest", 8081);
      ports.put("origin", 8082);
      ports.put("edge", 8083);
      ports.put("encoder", 8084);
      return ports;
    }
    int base = basePort.get();
    if (base < 0 || base > 65535 - 4) {
      throw new ConfigException("--base-port", "must be 0 (free ports) or 1..65531, got " + base);
    }
    List<String> order = List.of("control-plane", "ingest", "origin", "edge", "encoder");
    for (int i = 0; i < order.size(); i++) {
      ports.put(order.get(i), base == 0 ? freePort() : base + i);
    }
    return ports;
  }

  /**
   * A port that was free a moment ago. Each role needs its peers' URLs before they start, so the
   * ports are chosen up front, seconds before the last role binds. A port from the kernel's
   * ephemeral range (what binding port 0 gives) can be taken meanwhile by any outgoing connection
   * on the machine (a CI run failed so: the edge, bound last, found its port in use), so the port
   * is drawn below that range, where only a listener can take it.
   */
  private static int freePort() throws IOException {
    int ephemeralLow = ephemeralRangeStart();
    if (ephemeralLow > LOW_PORT + 1000) {
      java.util.concurrent.ThreadLocalRandom random =
          java.util.concurrent.ThreadLocalRandom.current();
      for (int attempt = 0; attempt < 200; attempt++) {
        int port = random.nextInt(LOW_PORT, ephemeralLow);
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          return s.getLocalPort();
        } catch (IOException inUse) {
          // Try another.
        }
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static final int LOW_PORT = 10_000;

  /** The first port of the kernel's ephemeral range (Linux), or 0 when it cannot be read. */
  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Reads {@code DIR/cluster-secret}, creating it (mode 600, never logged) on first start. */
  static String clusterSecret(Path dir) {
    Path file = dir.resolve(SECRET_FILE);
    try {
      if (!Files.exists(file)) {
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, Secrets.randomToken(32) + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException raced) {
          // Another launcher created it first; use theirs.
        }
      }
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  Path dataDir() {
    return dataDir;
  }

  /** The started roles in start order. */
  Map<String, Role> roles() {
    return Collections.unmodifiableMap(roles);
  }

  Map<String, URI> urls() {
    Map<String, URI> urls = new LinkedHashMap<>();
    roles.forEach((name, role) -> urls.put(name, role.baseUrl()));
    return urls;
  }

  /** The admin credentials, present only on the first start of this data dir. */
  Optional<AdminBootstrap.Credentials> firstStartCredentials() {
    Role cp = roles.get(ControlPlaneRole.NAME);
    return cp instanceof ControlPlaneRole c ? c.firstStartCredentials() : Optional.empty();
  }

  /**
   * Restarts one role in place, as a crash-and-restart or an upgrade of that role alone would: the
   * running instance is closed, then a new instance is built from the same config (same port, same
   * data dir, same peers) and started. The other roles keep running throughout and see the role go
   * away and come back, which is what the fault tests need (docs/transcoding.md, "Faults").
   *
   * <p>Note {@code stopped}: it runs between the close and the new start, while the role is down (a
   * test does what must happen during the downtime there); pass {@code () -> {}} for nothing.
   *
   * @throws IllegalArgumentException when no role of that name runs here
   * @throws Exception what the new instance's start threw; the role is then down (and no longer in
   *     {@link #roles()}), the others still run
   */
  Role restart(String name, ThrowingRunnable stopped) throws Exception {
    requireNonNull(stopped, "stopped");
    Role old = roles.get(requireNonNull(name, "name"));
    if (old == null) {
      throw new IllegalArgumentException(
          "no role '" + name + "' runs here, only " + roles.keySet());
    }
    RoleSpec<?> spec = RoleSpec.byName(name).orElseThrow();
    old.close();
    Role fresh = spec.create(configs.get(name));
    try {
      stopped.run();
      fresh.start();
    } catch (Exception | Error e) {
      fresh.close();
      roles.remove(name);
      throw e;
    }
    roles.put(name, fresh);
    return fresh;
  }

  /** What {@link #restart} runs while the role is down. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Stops the roles in reverse start order. */
  @Override
  public void close() {
    List<Role> reversed = new ArrayList<>(roles.values());
    Collections.reverse(reversed);
    reversed.forEach(Role::close);
  }
}
