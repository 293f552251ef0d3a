package org.reelbox.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reelbox.common.config.ConfigException;
import org.reelbox.launcher.client.ApiClient;
import org.reelbox.launcher.client.ClientSettings;
import org.reelbox.launcher.edge.EdgeJoin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reelbox edge token --region R} (an admin, on any machine with the API key) and {@code
 * reelbox edge join --control-plane URL --token T} (on the ISP's box): docs/deploy.md.
 */
@Command(
    name = "edge",
    mixinStandardHelpOptions = true,
    description = "Adds edge boxes: an admin mints a join token, the box joins with it.",
    subcommands = {EdgeCommand.Token.class, EdgeCommand.Join.class})
final class EdgeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description = "Mints a single-use join token for one edge box of a region (admin API key).")
  static final class Token implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--region",
        required = true,
        paramLabel = "R",
        description = "The region (ISP) the box will serve.")
    String region;

    @Option(
        names = "--ttl-minutes",
        paramLabel = "N",
        description = "How long the token stays valid (1-10080; default 60).")
    Integer ttlMinutes;

    @Option(
        names = "--origin-url",
        paramLabel = "URL",
        description =
            "An origin the box fetches from, as the box reaches it (repeatable; default:"
                + " the control plane's originUrl).")
    List<String> originUrls;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Admin API key.")
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
      ApiClient api =
          new ApiClient(ClientSettings.resolve(apiKey, data, controlPlane, System.getenv()));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("region", region);
      if (ttlMinutes != null) {
        body.put("ttlMinutes", ttlMinutes);
      }
      if (originUrls != null && !originUrls.isEmpty()) {
        body.put("originUrls", originUrls);
      }
      try {
        JsonNode minted = api.post("/api/v1/admin/edges/join-tokens", body);
        PrintWriter out = spec.commandLine().getOut();
        out.println(minted.path("token").asText());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println(
            "single-use join token for region "
                + minted.path("region").asText()
                + ", valid until "
                + minted.path("expiresAt").asText()
                + "; on the box: reelbox edge join --control-plane URL --token TOKEN");
        err.flush();
        return 0;
      } catch (ApiClient.ApiCallException e) {
        spec.commandLine().getErr().println("reelbox edge token: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(
      name = "join",
      mixinStandardHelpOptions = true,
      description = {
        "Joins this box to a cluster with a token from 'reelbox edge token': writes the edge's",
        "config and the cluster secret, then registers the box with the control plane."
      })
  static final class Join implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--control-plane",
        required = true,
        paramLabel = "URL",
        description = "The control plane as this box reaches it (https in production).")
    String controlPlane;

    @Option(names = "--token", required = true, paramLabel = "T", description = "The join token.")
    String token;

    @Option(
        names = "--public-url",
        paramLabel = "URL",
        description = "Where viewers reach this box (default: the address it binds).")
    String publicUrl;

    @Option(
        names = "--listen",
        paramLabel = "HOST",
        defaultValue = "0.0.0.0",
        description = "The address the edge binds (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(
        names = "--config-file",
        paramLabel = "FILE",
        defaultValue = "/etc/reelbox/edge.yaml",
        description = "The edge's config file to write (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(
        names = "--env-file",
        paramLabel = "FILE",
        defaultValue = "/etc/reelbox/cluster.env",
        description = "Where the cluster secret goes, mode 640 (default: ${DEFAULT-VALUE}).")
    Path envFile;

    @Override
    public Integer call() throws Exception {
      URI url = controlPlaneUri(controlPlane);
      PrintWriter out = spec.commandLine().getOut();
      EdgeJoin join = new EdgeJoin();
      EdgeJoin.Grant grant;
      try {
        EdgeJoin.checkWritable(configFile, envFile);
        grant = join.redeem(url, token.strip());
        join.write(grant, url, listen, publicUrl, configFile, envFile);
      } catch (EdgeJoin.JoinException e) {
        spec.commandLine().getErr().println("reelbox edge join: " + e.getMessage());
        return 1;
      } catch (java.io.IOException e) {
        // Not root, a read-only /etc, a full disk: the files are as they were (written beside).
        spec.commandLine()
            .getErr()
            .println("reelbox edge join: cannot write " + configFile + " or " + envFile + ": " + e);
        return 1;
      }
      out.println(
          "joined region "
              + grant.region()
              + " (origins "
              + String.join(", ", grant.originUrls())
              + "); wrote "
              + configFile
              + " and the cluster secret to "
              + envFile);
      out.println("start the edge: systemctl enable --now reelbox-edge");
      out.flush();
      return 0;
    }
  }

  static URI controlPlaneUri(String value) {
    String v = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    try {
      URI uri = URI.create(v);
      if (uri.getHost() != null
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw new ConfigException("--control-plane", "not an http(s) URL: " + value);
  }
}
