package org.reelbox.launcher.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages the build made (target/reelbox_*_all.deb, target/reelbox-*.noarch.rpm), checked with
 * Debian's and RPM's own tools, and the .deb run as installed: unpacked into a throwaway root
 * (always), and installed, upgraded, removed and purged with dpkg on the machine itself (only as
 * root under CI=true, or with -Dreelbox.test.dpkg=true: it changes the machine, then cleans up).
 */
class PackagesIT {
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final String SECRET = "packages-it-secret-packages-it-secret-0123";
  private static final boolean CI = "true".equals(System.getenv("CI"));
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path tmp;

  @Test
  void deb_metadata_dependsOnJava_recommendsFfmpeg_listsConffiles() throws Exception {
    Path deb = deb();
    assertThat(deb.getFileName().toString()).matches("reelbox_[0-9][^_]*_all\\.deb");
    String depends = run(List.of("dpkg-deb", "-f", deb.toString(), "Depends")).ok().out();
    assertThat(depends).contains("java17-runtime-headless").contains("adduser");
    assertThat(run(List.of("dpkg-deb", "-f", deb.toString(), "Recommends")).ok().out())
        .contains("ffmpeg");
    assertThat(run(List.of("dpkg-deb", "-f", deb.toString(), "Architecture")).ok().out().strip())
        .isEqualTo("all");
    String contents = run(List.of("dpkg-deb", "-c", deb.toString())).ok().out();
    for (String path : expectedFiles("/lib/systemd/system")) {
      assertThat(contents).contains("." + path);
    }
    // Nothing in the package is owned by anyone but root: the user does not exist at unpack time.
    for (String line : contents.lines().toList()) {
      assertThat(line.split("\\s+")[1]).as(line).isEqualTo("root/root");
    }
    Path control = tmp.resolve("control");
    run(List.of("dpkg-deb", "-e", deb.toString(), control.toString())).ok();
    assertThat(Files.readAllLines(control.resolve("conffiles")))
        .contains("/etc/reelbox/control-plane.yaml", "/etc/reelbox/edge.yaml");
  }

  @Test
  void deb_lintian_reportsNoErrors() throws Exception {
    requireTool("lintian", "lintian");
    Result r =
        run(List.of("lintian", "--no-tag-display-limit", deb().toString()), Duration.ofMinutes(3));
    List<String> errors = r.out().lines().filter(l -> l.startsWith("E:")).toList();
    assertThat(errors).as(r.out() + r.err()).isEmpty();
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
  }

  @Test
  void rpm_listsTheExpectedFiles_configNoReplace_requiresJava() throws Exception {
    requireTool("rpm", "rpm");
    Path rpm;
    try (Stream<Path> s = Files.list(TARGET)) {
      rpm =
          s.filter(p -> p.getFileName().toString().matches("reelbox-.*\\.noarch\\.rpm"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no reelbox-*.noarch.rpm in " + TARGET));
    }
    List<String> files = run(List.of("rpm", "-qlp", rpm.toString())).ok().out().lines().toList();
    assertThat(files).containsAll(expectedFiles("/usr/lib/systemd/system"));
    List<String> config = run(List.of("rpm", "-qcp", rpm.toString())).ok().out().lines().toList();
    assertThat(config)
        .containsExactlyInAnyOrder(
            "/etc/reelbox/control-plane.yaml",
            "/etc/reelbox/ingest.yaml",
            "/etc/reelbox/encoder.yaml",
            "/etc/reelbox/origin.yaml",
            "/etc/reelbox/edge.yaml",
            "/etc/reelbox/reelbox.env",
            "/etc/logrotate.d/reelbox");
    // %config(noreplace): an upgrade keeps the operator's file (the new one lands as .rpmnew).
    String flags =
        run(List.of("rpm", "-qp", "--qf", "[%{FILENAMES} %{FILEFLAGS:fflags}\\n]", rpm.toString()))
            .ok()
            .out();
    assertThat(flags).contains("/etc/reelbox/edge.yaml cn");
    assertThat(run(List.of("rpm", "-qp", "--requires", rpm.toString())).ok().out())
        .contains("java-headless >= 1:17");
    assertThat(run(List.of("rpm", "-qp", "--qf", "%{ARCH}", rpm.toString())).ok().out())
        .isEqualTo("noarch");
  }

  /**
   * The .deb unpacked into a throwaway root, and every unit's ExecStart run with that root's paths:
   * each role starts from the shipped /etc/reelbox file and answers /healthz.
   */
  @Test
  void deb_unpacked_everyUnitsExecStart_startsItsRole() throws Exception {
    Path root = tmp.resolve("root");
    run(List.of("dpkg-deb", "-x", deb().toString(), root.toString())).ok();
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String role : SystemdUnitsTest.ROLES) {
      ports.put(role, freePort());
    }
    List<Process> started = new ArrayList<>();
    try {
      for (String role : SystemdUnitsTest.ROLES) {
        UnitFile unit =
            UnitFile.read(root.resolve("lib/systemd/system/reelbox-" + role + ".service"));
        String execStart = unit.get("Service", "ExecStart");
        List<String> cmd = new ArrayList<>();
        for (String word : execStart.split(" ")) {
          // The root's /usr/bin/reelbox finds the root's jar; the root's /etc/reelbox file is read.
          cmd.add(word.startsWith("/") ? root + word : word);
        }
        Map<String, String> env = new LinkedHashMap<>();
        String prefix = "REELBOX_" + role.toUpperCase().replace('-', '_') + "_";
        env.put(prefix + "HTTP_PORT", String.valueOf(ports.get(role)));
        env.put(prefix + "DATA_DIR", tmp.resolve("data/" + role).toString());
        env.put(prefix + "CLUSTER_SECRET", SECRET);
        if (!role.equals("origin")) {
          env.put(
              prefix + "CLUSTER_CONTROL_PLANE_URL",
              "http://127.0.0.1:" + ports.get("control-plane"));
        }
        if (role.equals("edge")) {
          env.put(prefix + "ORIGIN_URLS", "http://127.0.0.1:" + ports.get("origin"));
        }
        env.put("REELBOX_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        started.add(start(cmd, env, tmp.resolve(role + ".log")));
      }
      for (String role : SystemdUnitsTest.ROLES) {
        awaitHealthy(role, ports.get(role), started.get(SystemdUnitsTest.ROLES.indexOf(role)));
      }
    } finally {
      stop(started);
    }
  }

  /**
   * dpkg on this machine: install (user, directories, secret), the control plane's unit run as the
   * unit would (its user, its environment files), an upgrade that keeps a changed conffile and the
   * secret, {@code dpkg -r} keeping the conffiles, {@code dpkg --purge} removing them.
   */
  @Test
  void deb_installUpgradeRemovePurge_onThisMachine() throws Exception {
    boolean allowed = (CI || Boolean.getBoolean("reelbox.test.dpkg")) && isRoot();
    assumeTrue(allowed, "dpkg -i runs only as root under CI=true (or -Dreelbox.test.dpkg=true)");
    assumeTrue(
        run(List.of("dpkg-query", "-W", "reelbox")).exit() != 0,
        "a reelbox package is already installed here; not touching it");
    boolean userExisted = run(List.of("getent", "passwd", "reelbox")).exit() == 0;
    boolean stateExisted = Files.exists(Path.of("/var/lib/reelbox"));
    Path deb = deb();
    Process cp = null;
    try {
      run(List.of("dpkg", "-i", deb.toString()), Duration.ofMinutes(3)).ok();
      assertThat(Path.of("/usr/share/reelbox/reelbox.jar")).isRegularFile();
      assertThat(Files.isExecutable(Path.of("/usr/bin/reelbox"))).isTrue();
      assertThat(run(List.of("getent", "passwd", "reelbox")).ok().out()).contains("nologin");
      for (String role : SystemdUnitsTest.ROLES) {
        Path dir = Path.of("/var/lib/reelbox", role);
        assertThat(Files.getOwner(dir).getName()).as(dir.toString()).isEqualTo("reelbox");
      }
      Path clusterEnv = Path.of("/etc/reelbox/cluster.env");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clusterEnv)))
          .isEqualTo("rw-r-----");
      String secretLines = Files.readString(clusterEnv);
      assertThat(secretLines)
          .containsPattern("(?m)^REELBOX_CONTROL_PLANE_CLUSTER_SECRET=[0-9a-f]{64}$");

      // The control plane's unit, run as systemd would: its user, its two environment files.
      int port = freePort();
      UnitFile unit = UnitFile.read(Path.of("/lib/systemd/system/reelbox-control-plane.service"));
      Map<String, String> env = new LinkedHashMap<>(envFile(clusterEnv));
      env.put("REELBOX_CONTROL_PLANE_HTTP_PORT", String.valueOf(port));
      env.put("REELBOX_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "setpriv",
                  "--reuid=" + unit.get("Service", "User"),
                  "--regid=" + unit.get("Service", "Group"),
                  "--init-groups",
                  "--"));
      cmd.addAll(List.of(unit.get("Service", "ExecStart").split(" ")));
      cp = start(cmd, env, tmp.resolve("installed-control-plane.log"));
      awaitHealthy("control-plane (installed)", port, cp);
      // Its state went where the unit lets it write, owned by its user (the credentials file is
      // written just after the port opens).
      Path credentials = Path.of("/var/lib/reelbox/control-plane/admin-credentials");
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!Files.exists(credentials) && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      assertThat(Files.getOwner(credentials).getName()).isEqualTo("reelbox");
      stop(List.of(cp));
      cp = null;

      // An upgrade (the same package again) keeps a changed conffile and the generated secret.
      Path edgeYaml = Path.of("/etc/reelbox/edge.yaml");
      Files.writeString(edgeYaml, Files.readString(edgeYaml) + "# changed by the operator\n");
      run(List.of("dpkg", "-i", deb.toString()), Duration.ofMinutes(3)).ok();
      assertThat(Files.readString(edgeYaml)).endsWith("# changed by the operator\n");
      assertThat(Files.readString(clusterEnv)).isEqualTo(secretLines);

      // Remove: the program goes, every conffile stays (Debian policy §10.7.3).
      run(List.of("dpkg", "-r", "reelbox"), Duration.ofMinutes(2)).ok();
      assertThat(Path.of("/usr/share/reelbox/reelbox.jar")).doesNotExist();
      assertThat(Path.of("/lib/systemd/system/reelbox-edge.service")).doesNotExist();
      for (String role : SystemdUnitsTest.ROLES) {
        assertThat(Path.of("/etc/reelbox", role + ".yaml")).isRegularFile();
      }
      assertThat(Files.readString(edgeYaml)).endsWith("# changed by the operator\n");
      assertThat(run(List.of("dpkg-query", "-W", "-f", "${Status}", "reelbox")).ok().out())
          .isEqualTo("deinstall ok config-files");

      // Purge: the conffiles and the generated secret go; the videos in /var/lib/reelbox stay.
      run(List.of("dpkg", "--purge", "reelbox"), Duration.ofMinutes(2)).ok();
      assertThat(Path.of("/etc/reelbox")).doesNotExist();
      assertThat(Path.of("/var/log/reelbox")).doesNotExist();
      assertThat(Path.of("/var/lib/reelbox/control-plane/admin-credentials")).isRegularFile();
    } finally {
      if (cp != null) {
        stop(List.of(cp));
      }
      run(List.of("dpkg", "--purge", "reelbox"), Duration.ofMinutes(2));
      if (!stateExisted) {
        run(List.of("rm", "-rf", "/var/lib/reelbox"));
      }
      if (!userExisted) {
        run(List.of("userdel", "reelbox"));
        run(List.of("groupdel", "reelbox"));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Everything both packages install, with {@code unitDir} where their systemd units go. */
  static List<String> expectedFiles(String unitDir) {
    List<String> files = new ArrayList<>();
    files.add("/usr/share/reelbox/reelbox.jar");
    files.add("/usr/bin/reelbox");
    files.add("/etc/reelbox/reelbox.env");
    files.add("/etc/logrotate.d/reelbox");
    files.add("/usr/share/doc/reelbox/deploy.md");
    files.add(unitDir + "/reelbox.target");
    for (String role : SystemdUnitsTest.ROLES) {
      files.add("/etc/reelbox/" + role + ".yaml");
      files.add(unitDir + "/reelbox-" + role + ".service");
    }
    return files;
  }

  static Path deb() throws IOException {
    try (Stream<Path> s = Files.list(TARGET)) {
      return s.filter(p -> p.getFileName().toString().matches("reelbox_.*_all\\.deb"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no reelbox_*_all.deb in " + TARGET));
    }
  }

  /** Missing tools skip the test on a developer's machine and fail it under CI=true. */
  static void requireTool(String tool, String debianPackage) {
    boolean present =
        Stream.of(System.getenv("PATH").split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    if (CI) {
      assertThat(present)
          .as(tool + " (apt-get install " + debianPackage + ") is needed under CI=true")
          .isTrue();
    }
    assumeTrue(
        present, tool + " is not installed (apt-get install " + debianPackage + "); skipping");
  }

  static boolean isRoot() throws Exception {
    return run(List.of("id", "-u")).ok().out().strip().equals("0");
  }

  /** KEY=value lines of a systemd EnvironmentFile (ours have no quoting). */
  static Map<String, String> envFile(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      env.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return env;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  record Result(int exit, String out, String err) {
    Result ok() {
      if (exit != 0) {
        throw new AssertionError("exit " + exit + "\n" + out + "\n" + err);
      }
      return this;
    }
  }

  static Result run(List<String> cmd) throws Exception {
    return run(cmd, Duration.ofMinutes(1));
  }

  static Result run(List<String> cmd, Duration timeout) throws Exception {
    Path out = Files.createTempFile("pkg-out", ".txt");
    Path err = Files.createTempFile("pkg-err", ".txt");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      // dpkg must never ask about a conffile: keep the operator's (what an unattended upgrade
      // does).
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", cmd));
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Process start(List<String> cmd, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // As systemd would: only what the unit's environment files say, none of the test's REELBOX_*.
    pb.environment().keySet().removeIf(k -> k.startsWith("REELBOX_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  static void awaitHealthy(String role, int port, Process p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError(
            role + " exited with " + p.exitValue() + " before /healthz answered");
      }
      try {
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(role + ": /healthz did not answer 200 within 90 s");
  }

  /** SIGTERM, as systemctl stop does; the JVM's exit is 143 (SuccessExitStatus) or 0. */
  static void stop(List<Process> processes) throws InterruptedException {
    for (Process p : processes) {
      p.toHandle().descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }
}
