package org.reelbox.launcher.client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.reelbox.common.config.ConfigException;

/**
 * Where a CLI command finds the control plane and its API key: {@code --api-key}, else {@code
 * REELBOX_API_KEY}, else {@code DIR/admin-credentials} of {@code --data DIR}; the URL from {@code
 * --control-plane}, else {@code REELBOX_CONTROL_PLANE_URL}, else the credentials file, else {@code
 * http://127.0.0.1:8080}.
 */
public record ClientSettings(URI controlPlane, String apiKey) {
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  public static ClientSettings resolve(
      String apiKeyOption, Path dataDir, String urlOption, Map<String, String> env) {
    Map<String, String> file = new HashMap<>();
    if (dataDir != null) {
      file = readCredentials(dataDir.resolve("admin-credentials"));
    }
    String key =
        firstNonBlank(apiKeyOption, env.get("REELBOX_API_KEY"), file.get("api_key"))
            .orElseThrow(
                () ->
                    new ConfigException(
                        "--api-key",
                        "no API key: pass --api-key, set REELBOX_API_KEY, or --data DIR with an"
                            + " admin-credentials file"));
    String url =
        firstNonBlank(
                urlOption, env.get("REELBOX_CONTROL_PLANE_URL"), file.get("control_plane_url"))
            .orElse(DEFAULT_URL);
    try {
      URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      if (uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException(url);
      }
      return new ClientSettings(uri, key);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--control-plane", "not an http(s) URL: " + url);
    }
  }

  private static Map<String, String> readCredentials(Path file) {
    Map<String, String> values = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new ConfigException(
          "--data", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    return values;
  }

  private static Optional<String> firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return Optional.of(v.trim());
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "ClientSettings[controlPlane=" + controlPlane + ", apiKey=<redacted>]";
  }
}
