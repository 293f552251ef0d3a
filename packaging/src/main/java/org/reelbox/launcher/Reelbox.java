package org.reelbox.launcher;

import java.io.PrintWriter;
import org.reelbox.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The one command-line entry point, {@code reelbox}: {@code bin/reelbox} or {@code java -jar
 * packaging/target/reelbox.jar}.
 *
 * <p>Exit codes: 0 success, 1 failure, 2 bad usage or configuration (one line naming the key).
 */
@Command(
    name = "reelbox",
    mixinStandardHelpOptions = true,
    versionProvider = Reelbox.Version.class,
    description = "Self-hosted video platform: upload, transcode to HLS, stream from edge boxes.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      UploadCommand.class,
      UserCommand.class,
      EdgeCommand.class,
      PlanCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Reelbox implements Runnable {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this). */
  static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with reelbox's exit codes; tests set its out and err. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Reelbox());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof ConfigException) {
            commandLine.getErr().println("reelbox: " + ex.getMessage());
            commandLine.getErr().flush();
            return 2;
          }
          throw ex;
        });
    return cli;
  }

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    spec.commandLine().usage(out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Reelbox.class.getPackage().getImplementationVersion();
      return new String[] {"reelbox " + (v == null ? "dev" : v)};
    }
  }
}
