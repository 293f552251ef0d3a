package org.reelbox.launcher;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.reelbox.common.config.ConfigException;
import org.reelbox.common.role.Role;
import org.reelbox.common.role.RoleMain;
import org.reelbox.control.ControlPlaneRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reelbox run ROLE [--config FILE]} and {@code reelbox run all --data DIR}. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one role until SIGTERM or Ctrl-C, or every role in one JVM on loopback.",
      "ROLE: control-plane, ingest, encoder, origin, edge, or all.",
      "Every config key can be overridden by an environment variable REELBOX_<ROLE>_<KEY>."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ROLE",
      description = "control-plane, ingest, encoder, origin, edge or all")
  String role;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML file with the keys to change from conf/ROLE.yaml (not with 'all').")
  Path config;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "With 'all': the data dir (blobs, database, admin-credentials). Default: ./data")
  Path data;

  @Option(
      names = "--base-port",
      paramLabel = "N",
      description = "With 'all': ports N..N+4 instead of 8080..8084; 0 picks free ports.")
  Integer basePort;

  @Override
  public Integer call() throws Exception {
    if (role.equals("all")) {
      if (config != null) {
        throw new ConfigException("--config", "is for a single role; 'run all' takes --data DIR");
      }
      Path dir = data == null ? Path.of("data") : data;
      AllInOne all = AllInOne.start(dir, Optional.ofNullable(basePort), System.getenv());
      Banner.print(spec.commandLine().getOut(), all);
      RoleMain.awaitShutdown("all", all);
      return 0;
    }
    if (data != null || basePort != null) {
      throw new ConfigException("--data", "--data and --base-port are for 'run all'");
    }
    RoleSpec<?> roleSpec =
        RoleSpec.byName(role)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "ROLE",
                        "unknown role '"
                            + role
                            + "', expected one of "
                            + RoleSpec.names()
                            + " or all"));
    Role instance = roleSpec.create(System.getenv(), Optional.ofNullable(config));
    try {
      instance.start();
    } catch (Exception | Error e) {
      instance.close();
      throw e;
    }
    if (instance instanceof ControlPlaneRole cp) {
      cp.firstStartCredentials()
          .ifPresent(c -> Banner.printCredentials(spec.commandLine().getOut(), c));
    }
    RoleMain.awaitShutdown(role, instance);
    return 0;
  }
}
