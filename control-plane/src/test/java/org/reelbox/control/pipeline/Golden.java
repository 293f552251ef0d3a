package org.reelbox.control.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: {@code src/test/resources/golden/...} next to the test, compared byte for byte. Run
 * with {@code -Dreelbox.golden.update=true} to rewrite them from the code; never edit one by hand,
 * and review the diff of a rewritten one like code.
 */
final class Golden {
  static final String UPDATE_PROPERTY = "reelbox.golden.update";

  /** Tests run in the module directory (Surefire's default working directory). */
  private static final Path ROOT = Path.of("src/test/resources/golden");

  private Golden() {}

  static boolean updating() {
    return Boolean.getBoolean(UPDATE_PROPERTY);
  }

  static void assertMatches(String relativePath, String actual) throws IOException {
    Path file = ROOT.resolve(relativePath);
    if (updating()) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(file)) {
      fail("no golden file " + file + "; run the test with -D" + UPDATE_PROPERTY + "=true");
    }
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(actual)
        .as("%s differs; if the change is intended, rerun with -D%s=true", file, UPDATE_PROPERTY)
        .isEqualTo(expected);
  }
}
