package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the browser tests need on the machine: node with the test package's npm modules, Debian's
 * Chromium, ffmpeg. CI installs them all (.ci/run), so there a missing one fails the test; on a
 * developer's machine it is skipped, saying what is missing.
 */
final class BrowserTools {
  private BrowserTools() {}

  /**
   * Checks the tools, runs {@code npm ci} in {@code nodeDir} when its modules are missing, and
   * returns Chromium's path ({@code /usr/bin/chromium}, or {@code CHROMIUM}).
   */
  static String assume(String test, Path nodeDir) throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    String path = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    List<String> missing = new ArrayList<>();
    if (!runs("node", "--version")) {
      missing.add("node");
    }
    if (!Files.isExecutable(Path.of(path))) {
      missing.add("chromium (" + path + ")");
    }
    if (!runs("ffmpeg", "-version") || !runs("ffprobe", "-version")) {
      missing.add("ffmpeg");
    }
    if (!missing.isEmpty()) {
      if (ci) {
        throw new AssertionError("CI=true but " + test + " misses " + missing);
      }
      System.err.println("SKIPPED: " + test + " needs " + missing);
      assumeTrue(false, "missing " + missing);
    }
    if (!Files.isDirectory(nodeDir.resolve("node_modules/playwright-core"))
        || !Files.isDirectory(nodeDir.resolve("node_modules/hls.js"))) {
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(nodeDir.toFile())
              .inheritIO()
              .start();
      assertThat(npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0)
          .as("npm ci in " + nodeDir)
          .isTrue();
    }
    return path;
  }

  private static boolean runs(String... command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
