package org.reelbox.control.ui;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.reelbox.control.work.JobState;
import org.reelbox.control.work.TaskState;

/**
 * The admin console's templates and modules keep the rules that the browser cannot check for us
 * (docs/web-ui.md): nothing the strict CSP would block, text never through HTML parsing, every form
 * field labelled, and every message key a module names (including keys built from a state name or
 * chosen by a condition, which {@link MessagesTest} cannot see) defined in every language.
 */
class AdminPagesTest {
  private static final Path WEB = Path.of("src", "main", "resources", "web");
  // 'admin.…' string literals anywhere in a module: t('a'), t(x ? 'a' : 'b'), 'admin.state.' + s.
  private static final Pattern ADMIN_LITERAL =
      Pattern.compile("['\"](admin\\.[A-Za-z0-9_.-]+)['\"]");
  private static final Pattern FIELD =
      Pattern.compile("<(input|select|textarea)\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
  private static final Pattern ID = Pattern.compile("\\bid=\"([^\"]+)\"");

  private final Messages messages = Messages.load();

  @Test
  void templates_haveNoInlineScriptStyleOrHandlers() throws IOException {
    for (Path page : files(WEB.resolve("pages"), "admin-", ".html")) {
      String html = Files.readString(page, UTF_8);
      assertThat(html).as(page.toString()).doesNotContainPattern("(?i)<script");
      assertThat(html).as(page.toString()).doesNotContainPattern("(?i)\\sstyle=");
      assertThat(html).as(page.toString()).doesNotContainPattern("(?i)\\son[a-z]+=");
    }
  }

  @Test
  void everyAdminPage_rendersTheSharedSubNavigationOnce_inItsLanguage() {
    PageRenderer renderer = new PageRenderer(messages);
    for (Page page : Page.ALL) {
      if (page.access() != Page.Access.ADMIN) {
        continue;
      }
      String html = renderer.render(page, "ko", java.util.Optional.empty());
      assertThat(html.split("class=\"admin-subnav\"", -1)).as(page.path()).hasSize(2);
      assertThat(html)
          .as(page.path())
          .contains("<a href=\"/admin/edges\">" + messages.of("ko").get("page.edges.title"))
          .doesNotContain("{{");
    }
  }

  @Test
  void templates_labelEveryFormField() throws IOException {
    List<String> unlabelled = new ArrayList<>();
    for (Path page : files(WEB.resolve("pages"), "admin-", ".html")) {
      String html = Files.readString(page, UTF_8);
      Matcher m = FIELD.matcher(html);
      while (m.find()) {
        String attrs = m.group(2);
        Matcher id = ID.matcher(attrs);
        boolean labelled =
            attrs.contains("aria-label=")
                || (id.find() && html.contains("<label for=\"" + id.group(1) + "\""));
        if (!labelled) {
          unlabelled.add(page.getFileName() + ": " + m.group());
        }
      }
    }
    assertThat(unlabelled).isEmpty();
  }

  @Test
  void modules_neverParseHtmlNorUseBrowserDialogs() throws IOException {
    for (Path module : adminModules()) {
      String js = Files.readString(module, UTF_8);
      assertThat(js)
          .as(module.toString())
          .doesNotContain("innerHTML")
          .doesNotContain("outerHTML")
          .doesNotContain("insertAdjacentHTML")
          .doesNotContain("document.write")
          .doesNotContainPattern("\\beval\\(")
          .doesNotContainPattern("new Function\\(")
          .doesNotContainPattern("\\b(window\\.)?(alert|confirm|prompt)\\(")
          .doesNotContainPattern("setAttribute\\(\\s*['\"]style");
    }
  }

  @Test
  void modules_nameOnlyKeysThatEveryLanguageHas() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path module : adminModules()) {
      Matcher m = ADMIN_LITERAL.matcher(Files.readString(module, UTF_8));
      while (m.find()) {
        String key = m.group(1);
        if (key.endsWith(".")) {
          continue; // a prefix completed at run time; checked below for the states
        }
        for (String lang : UiLocale.SUPPORTED) {
          if (!messages.of(lang).containsKey(key)) {
            missing.add(module.getFileName() + ": " + key + " (" + lang + ")");
          }
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void stateBadges_coverEveryJobAndTaskStateAndTheNodeStates() {
    List<String> states = new ArrayList<>(List.of("NONE", "PENDING"));
    Stream.of(JobState.values()).map(Enum::name).forEach(states::add);
    Stream.of(TaskState.values()).map(Enum::name).forEach(states::add);
    for (String lang : UiLocale.SUPPORTED) {
      Map<String, String> m = messages.of(lang);
      for (String state : states) {
        assertThat(m).as(lang).containsKey("admin.state." + state);
      }
    }
  }

  private static List<Path> adminModules() throws IOException {
    List<Path> modules =
        new ArrayList<>(files(WEB.resolve("static").resolve("js"), "admin-", ".js"));
    modules.add(WEB.resolve("static").resolve("js").resolve("charts.js"));
    assertThat(modules).hasSizeGreaterThanOrEqualTo(8);
    return modules;
  }

  private static List<Path> files(Path dir, String prefix, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p ->
                  p.getFileName().toString().startsWith(prefix)
                      && p.getFileName().toString().endsWith(suffix))
          .sorted()
          .toList();
    }
  }
}
