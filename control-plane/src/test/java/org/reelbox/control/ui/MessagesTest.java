package org.reelbox.control.ui;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The message bundles are complete: every language has exactly the keys English has, no text is
 * left empty, and every key a page template or a JS module names exists. A missing translation
 * fails the build here instead of showing a raw key to someone.
 */
class MessagesTest {
  private static final Path WEB = Path.of("src", "main", "resources", "web");
  // t('key'…) or t("key"…) in the modules; dynamic keys ('common.state.' + s) are prefixes,
  // skipped.
  private static final Pattern JS_KEY =
      Pattern.compile("\\bt\\(\\s*['\"]([A-Za-z0-9_.-]+)['\"]\\s*[,)]");
  private static final Pattern TEMPLATE_KEY = Pattern.compile("\\{\\{([A-Za-z0-9_.-]+)}}");

  private final Messages messages = Messages.load();

  @Test
  void everyLanguageHasTheSameKeysAsEnglish() {
    Set<String> english = messages.of("en").keySet();
    assertThat(english).hasSizeGreaterThan(40);
    for (String lang : UiLocale.SUPPORTED) {
      Map<String, String> m = messages.of(lang);
      assertThat(new TreeSet<>(m.keySet())).as(lang).isEqualTo(new TreeSet<>(english));
      m.forEach((k, v) -> assertThat(v).as(lang + " " + k).isNotBlank());
    }
  }

  @Test
  void koreanAndJapaneseAreTranslatedNotCopied() {
    // Language names and byte units are the same everywhere; most other strings must differ.
    long same =
        messages.of("en").entrySet().stream()
            .filter(e -> e.getValue().equals(messages.of("ko").get(e.getKey())))
            .count();
    assertThat(same).isLessThan(messages.of("en").size() / 4);
    assertThat(messages.of("ko").get("common.nav.home")).isEqualTo("홈");
    assertThat(messages.of("ja").get("common.nav.home")).isEqualTo("ホーム");
  }

  @Test
  void everyKeyUsedByAModuleOrATemplateExists() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path file : files(WEB.resolve("static").resolve("js"), ".js")) {
      scan(file, JS_KEY, missing);
    }
    for (Path file : files(WEB.resolve("pages"), ".html")) {
      scan(file, TEMPLATE_KEY, missing);
    }
    assertThat(missing).isEmpty();
  }

  private void scan(Path file, Pattern pattern, List<String> missing) throws IOException {
    Matcher m = pattern.matcher(Files.readString(file, UTF_8));
    while (m.find()) {
      if (!messages.of("en").containsKey(m.group(1))) {
        missing.add(file.getFileName() + ": " + m.group(1));
      }
    }
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }
}
