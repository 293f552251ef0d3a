package org.reelbox.media.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: the expected output of a test, kept in {@code src/test/resources/golden/} and never
 * edited by hand. Run the tests with {@code -Dreelbox.golden.update=true} to (re)write every golden
 * file from the current output, then review the diff and commit it.
 */
final class GoldenFiles {

  /** The system property that turns comparing into rewriting. */
  static final String UPDATE_PROPERTY = "reelbox.golden.update";

  private GoldenFiles() {}

  /**
   * Asserts that {@code actual} equals the golden file {@code name}, or writes it there when {@link
   * #UPDATE_PROPERTY} is {@code true}.
   */
  static void assertMatchesGolden(String actual, String name) {
    Path path = directory().resolve(name);
    try {
      if (Boolean.getBoolean(UPDATE_PROPERTY)) {
        Files.createDirectories(path.getParent());
        Files.writeString(path, actual, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(path)) {
        fail("no golden file %s; run with -D%s=true to create it", path, UPDATE_PROPERTY);
      }
      assertThat(actual)
          .as("%s (if the change is intended, run with -D%s=true)", path, UPDATE_PROPERTY)
          .isEqualTo(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The content of the golden file {@code name}. */
  static String read(String name) {
    try {
      return Files.readString(directory().resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The source directory, not the copy on the class path, so that an update lands where it is
   * committed. Surefire sets {@code basedir} to the module directory.
   */
  private static Path directory() {
    String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
    return Path.of(basedir, "src", "test", "resources", "golden");
  }
}
