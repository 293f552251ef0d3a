package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs the packaged {@code reelbox.jar} as a user would: a real JVM, real signals. */
class LauncherIT {
  private static final Path JAR = Path.of("target", "reelbox.jar").toAbsolutePath();
  private static final String SECRET = "it-secret-it-secret-it-secret-it-secret";

  @TempDir Path tmp;

  record Result(int exit, String out, String err) {}

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    // Start from a clean REELBOX_* environment so the developer's shell cannot leak in.
    pb.environment().keySet().removeIf(k -> k.startsWith("REELBOX_"));
    pb.environment().putAll(env);
    pb.redirectOutput(tmp.resolve("out.txt").toFile());
    pb.redirectError(tmp.resolve("err.txt").toFile());
    return pb.start();
  }

  private Result run(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, args);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("exits in time").isTrue();
    return new Result(p.exitValue(), read("out.txt"), read("err.txt"));
  }

  private String read(String name) throws IOException {
    return Files.readString(tmp.resolve(name), StandardCharsets.UTF_8);
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void help_listsSubcommands() throws Exception {
    Result r = run(Map.of(), "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("run").contains("demo");
    assertThat(run(Map.of(), "run", "--help").out()).contains("--config").contains("--data");
    assertThat(run(Map.of(), "demo", "--help").out()).contains("--exit");
  }

  @Test
  void demo_exit_allFiveRolesHealthy() throws Exception {
    Result r =
        run(Map.of(), "demo", "--exit", "--base-port", "0", "--data", tmp.resolve("d").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    for (String role : List.of("control-plane", "ingest", "encoder", "origin", "edge")) {
      assertThat(r.out()).containsPattern(role + " +healthy");
    }
    assertThat(r.out()).contains("Admin account created").contains("API key");
    // The credentials are printed once and written to the file, never logged.
    String password =
        Files.readAllLines(tmp.resolve("d/admin-credentials")).stream()
            .filter(l -> l.startsWith("password="))
            .findFirst()
            .orElseThrow()
            .substring("password=".length());
    assertThat(r.err()).doesNotContain(password).doesNotContain(SECRET);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "REELBOX_INGEST_HTTP_PORT    | 70000            | http.port",
        "REELBOX_INGEST_HTTP_PORT    | abc              | http.port",
        "REELBOX_INGEST_NO_SUCH_KEY  | 1                | REELBOX_INGEST_NO_SUCH_KEY",
        "REELBOX_INGEST_DATA_DIR     | /etc/passwd/data | dataDir",
        "REELBOX_INGEST_STORAGE_TYPE | ftp              | storage.type",
        "REELBOX_INGEST_CLUSTER_SECRET | short          | cluster.secret"
      })
  void runRole_badConfig_exit2WithOneLineNamingTheKey(String var, String value, String key)
      throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("REELBOX_INGEST_CLUSTER_SECRET", SECRET);
    env.put("REELBOX_INGEST_HTTP_PORT", "0");
    env.put("REELBOX_INGEST_DATA_DIR", tmp.resolve("ingest").toString());
    env.put(var, value);
    Result r = run(env, "run", "ingest");
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(r.err()).hasSize(1);
    assertThat(lines.get(0)).startsWith("reelbox: config key").contains(key);
  }

  @Test
  void runRole_unknownKeyInConfigFile_exit2() throws Exception {
    Path conf = Files.writeString(tmp.resolve("o.yaml"), "http:\n  portt: 1\n");
    Result r =
        run(
            Map.of("REELBOX_ORIGIN_CLUSTER_SECRET", SECRET),
            "run",
            "origin",
            "--config",
            conf.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).contains("'http.portt'").doesNotContain("\n");
  }

  @Test
  void run_unknownRole_exit2() throws Exception {
    Result r = run(Map.of(), "run", "transmogrifier");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown role");
  }

  @Test
  void runRole_sigterm_stopsCleanly() throws Exception {
    Process p =
        start(
            Map.of(
                "REELBOX_ORIGIN_CLUSTER_SECRET",
                SECRET,
                "REELBOX_ORIGIN_HTTP_PORT",
                "0",
                "REELBOX_ORIGIN_DATA_DIR",
                tmp.resolve("origin").toString()),
            "run",
            "origin");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!read("err.txt").contains("origin ready at http://127.0.0.1:")) {
      assertThat(p.isAlive()).as(read("err.txt")).isTrue();
      assertThat(System.nanoTime()).as("ready in time").isLessThan(deadline);
      Thread.sleep(100);
    }
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
    assertThat(read("err.txt")).contains("origin stopping").contains("origin stopped");
  }
}
