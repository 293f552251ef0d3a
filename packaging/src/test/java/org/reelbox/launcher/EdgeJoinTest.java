package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.role.Role;
import org.reelbox.edge.register.EdgeId;
import org.reelbox.launcher.client.ApiClient;
import org.reelbox.launcher.client.ClientSettings;
import picocli.CommandLine;

/**
 * {@code reelbox edge token} and {@code reelbox edge join} against a real control plane on
 * loopback: the files the box gets, the refusals, and the edge that starts from those files.
 */
class EdgeJoinTest {
  private static final String SECRET = "edge-join-test-secret-edge-join-test-0123";
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir Path tmp;
  private Role controlPlane;
  private String cpUrl;
  private Path cpData;
  private final String originUrl = "http://127.0.0.1:" + freePort();

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void startControlPlane() throws Exception {
    int port = freePort();
    cpData = tmp.resolve("cp");
    cpUrl = "http://127.0.0.1:" + port;
    Map<String, String> env = new HashMap<>();
    env.put("REELBOX_CONTROL_PLANE_HTTP_PORT", String.valueOf(port));
    env.put("REELBOX_CONTROL_PLANE_DATA_DIR", cpData.toString());
    env.put("REELBOX_CONTROL_PLANE_CLUSTER_SECRET", SECRET);
    env.put("REELBOX_CONTROL_PLANE_ORIGIN_URL", originUrl);
    controlPlane = RoleSpec.CONTROL_PLANE.create(env, Optional.empty());
    controlPlane.start();
  }

  @AfterEach
  void stop() {
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Reelbox.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private String token(String region) {
    Run r = cli("edge", "token", "--region", region, "--data", cpData.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("single-use join token for region " + region);
    return r.out().strip();
  }

  private Run join(String token, Path etc, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "edge",
                "join",
                "--control-plane",
                cpUrl,
                "--token",
                token,
                "--config-file",
                etc.resolve("edge.yaml").toString(),
                "--env-file",
                etc.resolve("cluster.env").toString()));
    args.addAll(List.of(extra));
    return cli(args.toArray(String[]::new));
  }

  @Test
  void join_writesConfigAndSecret_keepsOtherKeysAndLines() throws Exception {
    Path etc = tmp.resolve("etc");
    Files.createDirectories(etc);
    // What the package installed: the shipped edge.yaml, edited by the operator, and a secret file.
    Files.writeString(
        etc.resolve("edge.yaml"),
        Files.readString(Path.of("..", "conf", "edge.yaml"))
            .replace("  bytes: 10737418240", "  bytes: 5000000000"));
    Files.writeString(
        etc.resolve("cluster.env"),
        "# generated\nREELBOX_ORIGIN_CLUSTER_SECRET=other\nREELBOX_EDGE_CLUSTER_SECRET=old\n");

    String token = token("isp-a");
    assertThat(token).startsWith("rbj_");
    Run r = join(token, etc, "--public-url", "http://edge7.isp-a.example:8083");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("joined region isp-a").contains(originUrl);

    JsonNode yaml = YAML.readTree(etc.resolve("edge.yaml").toFile());
    assertThat(yaml.get("region").asText()).isEqualTo("isp-a");
    assertThat(yaml.get("origin").get("urls").toString()).isEqualTo("[\"" + originUrl + "\"]");
    assertThat(yaml.get("cluster").get("controlPlaneUrl").asText()).isEqualTo(cpUrl);
    assertThat(yaml.get("http").get("host").asText()).isEqualTo("0.0.0.0");
    assertThat(yaml.get("publicUrl").asText()).isEqualTo("http://edge7.isp-a.example:8083");
    assertThat(yaml.get("cache").get("bytes").asLong())
        .as("the operator's key is kept")
        .isEqualTo(5000000000L);
    assertThat(Files.readString(etc.resolve("edge.yaml"))).doesNotContain(SECRET);

    Path env = etc.resolve("cluster.env");
    assertThat(Files.readAllLines(env))
        .containsExactly(
            "# generated",
            "REELBOX_ORIGIN_CLUSTER_SECRET=other",
            "REELBOX_EDGE_CLUSTER_SECRET=" + SECRET);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env)))
        .isIn("rw-------", "rw-r-----");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve("edge.yaml"))))
        .isEqualTo("rw-r--r--");
    try (var files = Files.list(etc)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file left behind")
          .containsExactlyInAnyOrder("edge.yaml", "cluster.env");
    }
  }

  @Test
  void join_freshBox_noFilesYet_createsBoth() throws Exception {
    Path etc = tmp.resolve("fresh");
    Run r = join(token("isp-b"), etc, "--listen", "127.0.0.1");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode yaml = YAML.readTree(etc.resolve("edge.yaml").toFile());
    assertThat(yaml.get("region").asText()).isEqualTo("isp-b");
    assertThat(yaml.get("http").get("host").asText()).isEqualTo("127.0.0.1");
    assertThat(yaml.has("publicUrl")).isFalse();
    assertThat(Files.readString(etc.resolve("cluster.env")))
        .endsWith("REELBOX_EDGE_CLUSTER_SECRET=" + SECRET + "\n");
  }

  @Test
  void join_reusedOrBadToken_fails_andChangesNothing() throws Exception {
    Path etc = tmp.resolve("etc");
    String token = token("isp-a");
    assertThat(join(token, etc).exit()).isZero();
    String yamlBefore = Files.readString(etc.resolve("edge.yaml"));
    String envBefore = Files.readString(etc.resolve("cluster.env"));

    Run reused = join(token, etc);
    assertThat(reused.exit()).isEqualTo(1);
    assertThat(reused.err()).contains("HTTP 409").contains("already used");

    Run unknown = join("rbj_" + "Q".repeat(43), etc);
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("HTTP 403").contains("unknown join token");

    Run garbage = join("hello", etc);
    assertThat(garbage.exit()).isEqualTo(1);
    assertThat(garbage.err()).contains("HTTP 403").contains("not a join token");

    assertThat(Files.readString(etc.resolve("edge.yaml"))).isEqualTo(yamlBefore);
    assertThat(Files.readString(etc.resolve("cluster.env"))).isEqualTo(envBefore);
  }

  @Test
  void join_unwritableTarget_failsBeforeSpendingTheToken() throws Exception {
    Path notADirectory = tmp.resolve("plain-file");
    Files.writeString(notADirectory, "x");
    String token = token("isp-a");
    Run r =
        cli(
            "edge",
            "join",
            "--control-plane",
            cpUrl,
            "--token",
            token,
            "--config-file",
            notADirectory.resolve("edge.yaml").toString(),
            "--env-file",
            tmp.resolve("etc/cluster.env").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot create the directory of");
    // The token was not spent: the same box joins with it once the path is right.
    assertThat(join(token, tmp.resolve("etc")).exit()).isZero();
  }

  @Test
  void join_nobodyListening_failsClearly() {
    Path etc = tmp.resolve("etc");
    Run r =
        cli(
            "edge",
            "join",
            "--control-plane",
            "http://127.0.0.1:" + freePort(),
            "--token",
            "rbj_x",
            "--config-file",
            etc.resolve("edge.yaml").toString(),
            "--env-file",
            etc.resolve("cluster.env").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot reach the control plane");
    assertThat(Files.exists(etc.resolve("edge.yaml"))).isFalse();
  }

  @Test
  void joinAndToken_badUsage_exit2() {
    assertThat(cli("edge", "join", "--token", "t").exit()).isEqualTo(2);
    assertThat(cli("edge", "join", "--control-plane", "ftp://x", "--token", "t").exit())
        .isEqualTo(2);
    assertThat(cli("edge", "token").exit()).isEqualTo(2);
    Run badRegion = cli("edge", "token", "--region", "a b", "--data", cpData.toString());
    assertThat(badRegion.exit()).isEqualTo(1);
    assertThat(badRegion.err()).contains("VALIDATION_FAILED").contains("region");
  }

  /**
   * The box joined, then started as its unit would (the written file, the env file): registered.
   */
  @Test
  void join_thenStartTheEdgeFromTheWrittenFiles_registersInTheRegion() throws Exception {
    Path etc = tmp.resolve("etc");
    int edgePort = freePort();
    String publicUrl = "http://127.0.0.1:" + edgePort;
    Run r = join(token("isp-c"), etc, "--listen", "127.0.0.1", "--public-url", publicUrl);
    assertThat(r.exit()).as(r.err()).isZero();

    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(etc.resolve("cluster.env"))) {
      if (!line.startsWith("#") && line.contains("=")) {
        env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    // What /etc/reelbox/reelbox.env would hold on this test box: its port, dir and a quick beat.
    Path edgeData = tmp.resolve("edge-data");
    env.put("REELBOX_EDGE_HTTP_PORT", String.valueOf(edgePort));
    env.put("REELBOX_EDGE_DATA_DIR", edgeData.toString());
    env.put("REELBOX_EDGE_HEARTBEAT_SECONDS", "1");
    env.put("REELBOX_EDGE_CACHE_BYTES", "104857600");
    Role edge = RoleSpec.EDGE.create(env, Optional.of(etc.resolve("edge.yaml")));
    try {
      edge.start();
      String id = Files.readString(edgeData.resolve(EdgeId.FILE_NAME)).trim();
      JsonNode registered =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> find(admin().get("/api/v1/admin/edges"), id), e -> e != null);
      assertThat(registered.path("region").asText()).isEqualTo("isp-c");
      assertThat(registered.path("publicUrl").asText()).isEqualTo(publicUrl);
      assertThat(registered.path("healthy").asBoolean()).isTrue();
      assertThat(registered.path("capacityBytes").asLong()).isEqualTo(104857600L);
    } finally {
      edge.close();
    }
  }

  private static JsonNode find(JsonNode listing, String id) {
    for (JsonNode e : listing.path("edges")) {
      if (e.path("id").asText().equals(id)) {
        return e;
      }
    }
    return null;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The admin's client, for what the CLI does not show. */
  ApiClient admin() {
    return new ApiClient(ClientSettings.resolve(null, cpData, cpUrl, Map.of()));
  }
}
