package org.reelbox.launcher.edge;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reelbox.common.json.Json;

/**
 * The box's side of {@code reelbox edge join} (docs/deploy.md): redeems a join token at the control
 * plane, then writes what the answer grants into the edge's config file and the cluster secret into
 * the environment file that systemd hands to the edge's unit.
 *
 * <p>The secret never goes into the YAML file: {@code edge.yaml} is a conffile (readable by all,
 * kept on upgrade), while {@code cluster.env} is readable by root and the {@code reelbox} group
 * only (mode 640; 600 when there is no such group). Both are replaced atomically (written beside,
 * then renamed), so a failed join leaves the old files as they were.
 */
public final class EdgeJoin {
  /** The environment variable that carries the edge's cluster secret (ConfigLoader's naming). */
  public static final String SECRET_VARIABLE = "REELBOX_EDGE_CLUSTER_SECRET";

  private static final YAMLMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();

  /** What the control plane grants a box that presents a valid token. */
  public record Grant(String region, List<String> originUrls, String clusterSecret) {
    public Grant {
      requireNonNull(region, "region");
      originUrls = List.copyOf(originUrls);
      requireNonNull(clusterSecret, "clusterSecret");
    }

    @Override
    public String toString() {
      return "Grant[region="
          + region
          + ", originUrls="
          + originUrls
          + ", clusterSecret=<redacted>]";
    }
  }

  /** The control plane refused the token or could not be asked; the message says which. */
  public static final class JoinException extends IOException {
    private static final long serialVersionUID = 1L;

    JoinException(String message) {
      super(message);
    }
  }

  private final HttpClient http;

  public EdgeJoin() {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
  }

  EdgeJoin(HttpClient http) {
    this.http = requireNonNull(http, "http");
  }

  /**
   * Checks that {@code files} can be written, before the token is spent: a join that fails after
   * the redemption would need a new token.
   */
  public static void checkWritable(Path... files) throws JoinException {
    for (Path file : files) {
      Path dir = file.toAbsolutePath().getParent();
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new JoinException("cannot create the directory of " + file + ": " + e);
      }
      if (!Files.isWritable(dir) || (Files.exists(file) && !Files.isReadable(file))) {
        throw new JoinException(
            "cannot write " + file + " (run as root, or choose the file with its option)");
      }
    }
  }

  /** Redeems {@code token} at {@code controlPlane} ({@code POST /api/v1/edges/join}). */
  public Grant redeem(URI controlPlane, String token) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(controlPlane.resolve("/api/v1/edges/join"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("token", token))))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JoinException("interrupted while asking " + controlPlane);
    } catch (IOException e) {
      throw new JoinException("cannot reach the control plane at " + controlPlane + ": " + e);
    }
    JsonNode body;
    try {
      body = Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new JoinException(
          "the control plane answered HTTP " + response.statusCode() + " without JSON");
    }
    if (response.statusCode() != 200) {
      throw new JoinException(
          "the control plane refused the join: HTTP "
              + response.statusCode()
              + " "
              + body.path("error").asText()
              + ": "
              + body.path("message").asText());
    }
    List<String> origins = new ArrayList<>();
    body.path("originUrls").forEach(n -> origins.add(n.asText()));
    if (!body.path("region").isTextual()
        || origins.isEmpty()
        || !body.path("clusterSecret").isTextual()) {
      throw new JoinException("the control plane's join answer lacks region, originUrls or secret");
    }
    return new Grant(body.get("region").asText(), origins, body.get("clusterSecret").asText());
  }

  /**
   * Writes the grant into {@code configFile} (keeping every other key already there) and the secret
   * into {@code envFile} (keeping every other line).
   *
   * @param listenHost the address the edge binds ({@code http.host}); a box serves viewers, so
   *     usually {@code 0.0.0.0}
   * @param publicUrl where viewers reach the box, or null to leave the file's value
   */
  public void write(
      Grant grant,
      URI controlPlane,
      String listenHost,
      String publicUrl,
      Path configFile,
      Path envFile)
      throws IOException {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    if (Files.exists(configFile)) {
      JsonNode existing = YAML.readTree(configFile.toFile());
      if (existing != null && existing.isObject()) {
        config = (ObjectNode) existing;
      } else if (existing != null && !existing.isMissingNode() && !existing.isNull()) {
        throw new JoinException(configFile + " is not a YAML mapping; not overwriting it");
      }
    }
    config.put("region", grant.region());
    ArrayNode origins = child(config, "origin").putArray("urls");
    grant.originUrls().forEach(origins::add);
    child(config, "cluster").put("controlPlaneUrl", controlPlane.toString());
    // Never a secret in this file: the environment file has it, and it wins over the file anyway.
    child(config, "cluster").put("secret", "");
    child(config, "http").put("host", listenHost);
    if (publicUrl != null) {
      config.put("publicUrl", publicUrl);
    }
    String yaml =
        "# Written by 'reelbox edge join' (docs/deploy.md). The cluster secret is in "
            + envFile.getFileName()
            + ".\n"
            + "# Keys not named here keep the defaults of /usr/share/doc/reelbox (conf/edge.yaml).\n"
            + YAML.writeValueAsString(config);
    replace(
        configFile,
        yaml,
        Set.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ),
        null);

    List<String> lines = new ArrayList<>();
    if (Files.exists(envFile)) {
      for (String line : Files.readAllLines(envFile, StandardCharsets.UTF_8)) {
        if (!line.startsWith(SECRET_VARIABLE + "=")) {
          lines.add(line);
        }
      }
    } else {
      lines.add("# The cluster secret every reelbox node shares. Keep it private.");
    }
    lines.add(SECRET_VARIABLE + "=" + grant.clusterSecret());
    GroupPrincipal group = reelboxGroup();
    Set<PosixFilePermission> mode =
        PosixFilePermissions.fromString(group == null ? "rw-------" : "rw-r-----");
    replace(envFile, String.join("\n", lines) + "\n", mode, group);
  }

  private static ObjectNode child(ObjectNode parent, String name) {
    JsonNode node = parent.get(name);
    return node instanceof ObjectNode o ? o : parent.putObject(name);
  }

  /** The {@code reelbox} group when it exists and this process may give files to it. */
  private static GroupPrincipal reelboxGroup() {
    try {
      if (!"root".equals(System.getProperty("user.name"))) {
        return null;
      }
      return FileSystems.getDefault()
          .getUserPrincipalLookupService()
          .lookupPrincipalByGroupName("reelbox");
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Writes {@code content} beside {@code file} with {@code mode} from the start, then renames. */
  private static void replace(
      Path file, String content, Set<PosixFilePermission> mode, GroupPrincipal group)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp =
        Files.createTempFile(
            dir,
            "." + file.getFileName() + ".",
            ".tmp",
            PosixFilePermissions.asFileAttribute(mode));
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(temp, mode); // the umask may have narrowed the mode
      if (group != null) {
        Files.getFileAttributeView(temp, PosixFileAttributeView.class).setGroup(group);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
