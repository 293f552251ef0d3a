package org.reelbox.launcher.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The systemd units shipped in the packages (src/dist/systemd): each role's unit starts that role
 * with its /etc/reelbox file, as the dedicated user, hardened, restarted on failure; systemd's own
 * checker accepts them.
 */
class SystemdUnitsTest {
  static final Path UNITS = Path.of("src", "dist", "systemd");
  static final List<String> ROLES = List.of("control-plane", "ingest", "encoder", "origin", "edge");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"control-plane", "ingest", "encoder", "origin", "edge"})
  void roleUnit_startsItsRoleHardened(String role) throws IOException {
    UnitFile unit = UnitFile.read(UNITS.resolve("reelbox-" + role + ".service"));

    assertThat(unit.get("Service", "ExecStart"))
        .isEqualTo("/usr/bin/reelbox run " + role + " --config /etc/reelbox/" + role + ".yaml");
    assertThat(unit.get("Service", "User")).isEqualTo("reelbox");
    assertThat(unit.get("Service", "Group")).isEqualTo("reelbox");
    assertThat(unit.get("Service", "Restart")).isEqualTo("on-failure");
    assertThat(unit.get("Service", "NoNewPrivileges")).isEqualTo("true");
    assertThat(unit.get("Service", "ProtectSystem")).isEqualTo("strict");
    assertThat(unit.get("Service", "ProtectHome")).isEqualTo("true");
    assertThat(unit.get("Service", "CapabilityBoundingSet")).isEmpty();
    // Netty and RocksDB hold many descriptors: an edge serves thousands of connections.
    assertThat(Long.parseLong(unit.get("Service", "LimitNOFILE"))).isGreaterThanOrEqualTo(65536);
    // With ProtectSystem=strict the role can write only here: its own state and the logs.
    assertThat(unit.get("Service", "ReadWritePaths").split(" "))
        .containsExactlyInAnyOrder("/var/lib/reelbox/" + role, "/var/log/reelbox");
    assertThat(unit.get("Service", "StandardOutput"))
        .isEqualTo("append:/var/log/reelbox/" + role + ".log");
    assertThat(unit.all("Service", "EnvironmentFile"))
        .containsExactly("-/etc/reelbox/cluster.env", "-/etc/reelbox/reelbox.env");
    assertThat(unit.get("Service", "SuccessExitStatus")).isEqualTo("143");
    assertThat(unit.get("Install", "WantedBy")).isEqualTo("multi-user.target");
    assertThat(unit.get("Unit", "PartOf")).isEqualTo("reelbox.target");
  }

  @Test
  void encoderUnit_seesDevices_othersDoNot() throws IOException {
    for (String role : ROLES) {
      String privateDevices =
          UnitFile.read(UNITS.resolve("reelbox-" + role + ".service"))
              .get("Service", "PrivateDevices");
      // A GPU encoder opens /dev/dri or /dev/nvidia*; nobody else needs a device node.
      assertThat(privateDevices).as(role).isEqualTo(role.equals("encoder") ? null : "true");
    }
  }

  @Test
  void target_wantsEveryRole_andNothingElseShips() throws IOException {
    UnitFile target = UnitFile.read(UNITS.resolve("reelbox.target"));
    assertThat(target.get("Unit", "Wants").split(" "))
        .containsExactlyInAnyOrderElementsOf(
            ROLES.stream().map(r -> "reelbox-" + r + ".service").toList());
    try (Stream<Path> files = Files.list(UNITS)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(
                      ROLES.stream().map(r -> "reelbox-" + r + ".service"),
                      Stream.of("reelbox.target"))
                  .toList());
    }
  }

  @Test
  void conffiles_listEveryShippedConfigFile() throws IOException {
    List<String> conffiles =
        Files.readAllLines(Path.of("src", "deb", "control", "conffiles"), StandardCharsets.UTF_8);
    List<String> expected = new ArrayList<>();
    for (String role : ROLES) {
      expected.add("/etc/reelbox/" + role + ".yaml");
      // The file the unit passes to --config is one the package ships as a conffile.
      assertThat(Files.isRegularFile(Path.of("..", "conf", role + ".yaml"))).as(role).isTrue();
    }
    expected.add("/etc/reelbox/reelbox.env");
    expected.add("/etc/logrotate.d/reelbox");
    assertThat(conffiles).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** systemd's own checker, with ExecStart pointed at a stand-in executable (nothing installed). */
  @Test
  void systemdAnalyzeVerify_acceptsTheUnits() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean present = Files.isExecutable(Path.of("/usr/bin/systemd-analyze"));
    if (ci) {
      assertThat(present).as("systemd-analyze (package systemd) is needed under CI=true").isTrue();
    }
    assumeTrue(present, "systemd-analyze is not installed; skipping systemd's unit checker");
    Path fakeBin = tmp.resolve("reelbox");
    Files.writeString(fakeBin, "#!/bin/sh\nexit 0\n");
    fakeBin.toFile().setExecutable(true);
    List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify"));
    try (Stream<Path> files = Files.list(UNITS)) {
      for (Path unit : files.sorted().toList()) {
        Path copy = tmp.resolve(unit.getFileName());
        Files.writeString(
            copy,
            Files.readString(unit).replace("/usr/bin/reelbox", fakeBin.toString()),
            StandardCharsets.UTF_8);
        cmd.add(copy.toString());
      }
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).as("no complaint at all").isBlank();
  }
}
