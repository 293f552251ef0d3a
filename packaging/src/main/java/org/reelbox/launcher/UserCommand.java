package org.reelbox.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reelbox.launcher.client.ApiClient;
import org.reelbox.launcher.client.ClientSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reelbox user add NAME}: an admin creates a user and an API key for them. */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description = "Manages users (admin API key required).",
    subcommands = {UserCommand.Add.class})
final class UserCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Creates a user and an API key, and prints both (shown once).")
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Lower-case username.")
    String name;

    @Option(
        names = "--role",
        defaultValue = "creator",
        description = "creator, viewer or admin (default: ${DEFAULT-VALUE}).")
    String role;

    @Option(
        names = "--api-key",
        paramLabel = "KEY",
        description = "Admin API key (else REELBOX_API_KEY, else --data).")
    String apiKey;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "Read the admin API key and URL from DIR/admin-credentials.")
    Path data;

    @Option(names = "--control-plane", paramLabel = "URL", description = "Control plane URL.")
    String controlPlane;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      ApiClient api =
          new ApiClient(ClientSettings.resolve(apiKey, data, controlPlane, System.getenv()));
      try {
        JsonNode user =
            api.post(
                "/api/v1/users", Map.of("username", name, "role", role.toUpperCase(Locale.ROOT)));
        long id = user.path("id").asLong();
        JsonNode key = api.post("/api/v1/users/" + id + "/keys", Map.of("name", "cli"));
        out.println(
            "user "
                + user.path("username").asText()
                + " (id "
                + id
                + ", "
                + user.path("role").asText()
                + ")");
        if (user.hasNonNull("password")) {
          out.println("  password  " + user.get("password").asText());
        }
        out.println("  API key   " + key.path("key").asText());
        out.flush();
        return 0;
      } catch (ApiClient.ApiCallException e) {
        spec.commandLine().getErr().println("reelbox user add: " + e.getMessage());
        return 1;
      }
    }
  }
}
