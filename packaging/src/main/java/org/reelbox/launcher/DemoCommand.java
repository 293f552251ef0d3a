package org.reelbox.launcher;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.reelbox.common.role.RoleMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reelbox demo}: every role in one JVM in a fresh data dir, each {@code /healthz} checked,
 * the URLs printed; then it stays up until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole appliance on loopback in a fresh data dir, checks every role's /healthz",
      "and prints the URLs. Stays up until Ctrl-C (or exits at once with --exit)."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", description = "Data dir. Default: a new temp dir.")
  Path data;

  @Option(
      names = "--base-port",
      paramLabel = "N",
      description = "Ports N..N+4 instead of 8080..8084; 0 picks free ports.")
  Integer basePort;

  @Option(names = "--exit", description = "Stop after the checks instead of waiting for Ctrl-C.")
  boolean exit;

  @Option(names = "--no-sample", description = "Do not upload the generated sample video.")
  boolean noSample;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = data != null ? data : Files.createTempDirectory("reelbox-demo-");
    AllInOne all = AllInOne.start(dir, Optional.ofNullable(basePort), System.getenv());
    boolean healthy;
    try {
      Banner.print(out, all);
      healthy = checkHealth(out, all.urls());
    } catch (Exception | Error e) {
      all.close();
      throw e;
    }
    if (!healthy) {
      all.close();
      spec.commandLine().getErr().println("reelbox demo: a role is not healthy");
      return 1;
    }
    if (!noSample) {
      try {
        new DemoUpload(out, spec.commandLine().getErr()).run(all);
      } catch (Exception | Error e) {
        all.close();
        throw e;
      }
    }
    if (exit) {
      all.close();
      out.println("demo: all roles healthy; stopped (--exit)");
      out.flush();
      return 0;
    }
    out.println();
    out.println("Press Ctrl-C to stop.");
    out.flush();
    RoleMain.awaitShutdown("demo", all);
    return 0;
  }

  private static boolean checkHealth(PrintWriter out, Map<String, URI> urls) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    boolean all = true;
    out.println();
    out.println("health:");
    for (Map.Entry<String, URI> e : urls.entrySet()) {
      HttpRequest req =
          HttpRequest.newBuilder(e.getValue().resolve("/healthz"))
              .timeout(Duration.ofSeconds(5))
              .build();
      int status;
      try {
        status = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (java.io.IOException ex) {
        status = -1;
      }
      boolean ok = status == 200;
      all &= ok;
      out.printf("  %-14s %s%n", e.getKey(), ok ? "healthy" : "UNHEALTHY (" + status + ")");
    }
    out.flush();
    return all;
  }
}
