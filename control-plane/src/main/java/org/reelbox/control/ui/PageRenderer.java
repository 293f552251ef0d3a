package org.reelbox.control.ui;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reelbox.common.json.Json;
import org.reelbox.control.auth.SessionUser;

/**
 * Renders pages: a content template put into {@code web/pages/layout.html}, with {@code {{key}}}
 * replaced by the HTML-escaped message of the page's language. That is the whole template language
 * on purpose: pages are shells that their JS module fills from the API, so the server only has to
 * get the static strings and the boot data right. Specials start with {@code @}: {@code {{@lang}}},
 * {@code {{@title}}}, {@code {{@module}}}, {@code {{@content}}}, {@code {{@boot}}}, and {@code
 * {{@adminNav}}}, the admin pages' shared sub-navigation ({@code web/pages/admin-subnav.html}).
 *
 * <p>Templates are read and checked once, at construction: a key that the English bundle lacks
 * fails the start (and {@code PageRendererTest}) instead of showing a raw key to a viewer.
 */
public final class PageRenderer {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(@?[A-Za-z0-9_.-]+)}}");

  private final Messages messages;
  private final String layout;
  private final String adminNav;
  private final Map<String, String> templates = new LinkedHashMap<>();

  public PageRenderer(Messages messages) {
    this.messages = requireNonNull(messages, "messages");
    this.layout = check("layout", read("layout"));
    this.adminNav = check("admin-subnav", read("admin-subnav").strip());
    for (Page page : Page.ALL) {
      templates.put(page.template(), check(page.template(), read(page.template())));
      requireKey(page.titleKey(), page.template());
    }
    templates.put("error", check("error", read("error")));
  }

  /** The page's HTML in {@code lang}, for {@code session} (empty when not signed in). */
  public String render(Page page, String lang, Optional<SessionUser> session) {
    return render(page.template(), page.titleKey(), page.module(), lang, session, Map.of());
  }

  /**
   * An error page (403, 404) in {@code lang}: {@code titleKey} as heading, {@code messageKey} as
   * text.
   */
  public String renderError(
      String titleKey, String messageKey, String lang, Optional<SessionUser> session) {
    return render(
        "error", titleKey, "error.js", lang, session, Map.of("@errorMessage", messageKey));
  }

  private String render(
      String template,
      String titleKey,
      String module,
      String lang,
      Optional<SessionUser> session,
      Map<String, String> extraKeys) {
    Map<String, String> text = messages.of(lang);
    Map<String, String> specials = new LinkedHashMap<>();
    specials.put("@lang", lang);
    specials.put("@title", escape(text.getOrDefault(titleKey, titleKey)));
    specials.put("@module", escape(module));
    specials.put("@adminNav", fill(adminNav, text, specials, Map.of()));
    // The content sees @lang and @title too (an error page's heading is its title); the layout
    // then gets the filled content, which is not scanned again.
    String content = fill(templates.get(template), text, specials, extraKeys);
    specials.put("@boot", boot(lang, text, session));
    specials.put("@content", content);
    return fill(layout, text, specials, Map.of());
  }

  private static String fill(
      String template,
      Map<String, String> text,
      Map<String, String> specials,
      Map<String, String> keys) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 1024);
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (specials.containsKey(name)) {
        value = specials.get(name); // already safe: escaped or our own markup
      } else if (keys.containsKey(name)) {
        value = escape(text.getOrDefault(keys.get(name), keys.get(name)));
      } else if (name.startsWith("@")) {
        value = m.group(); // a special of the other pass ({{@content}} inside the layout)
      } else {
        value = escape(text.getOrDefault(name, name));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The boot data as a JSON script element; {@code <} escaped so no string can close it. */
  private static String boot(String lang, Map<String, String> text, Optional<SessionUser> session) {
    Map<String, Object> boot = new LinkedHashMap<>();
    boot.put("lang", lang);
    boot.put("langs", UiLocale.SUPPORTED);
    boot.put(
        "user",
        session
            .map(
                s -> {
                  Map<String, Object> u = new LinkedHashMap<>();
                  u.put("id", s.user().id());
                  u.put("username", s.user().username());
                  u.put("role", s.user().role().name());
                  return (Object) u;
                })
            .orElse(null));
    boot.put("csrfToken", session.map(SessionUser::csrfToken).orElse(null));
    boot.put("messages", text);
    String json =
        Json.write(boot).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    return "<script id=\"rb-boot\" type=\"application/json\">" + json + "</script>";
  }

  private String check(String name, String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!m.group(1).startsWith("@")) {
        requireKey(m.group(1), name);
      }
    }
    return template;
  }

  private void requireKey(String key, String where) {
    for (String lang : UiLocale.SUPPORTED) {
      if (!messages.of(lang).containsKey(key)) {
        throw new IllegalStateException(
            "page template '" + where + "' uses message key '" + key + "' missing in " + lang);
      }
    }
  }

  private static String read(String template) {
    String resource = "web/pages/" + template + ".html";
    try (InputStream in = PageRenderer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing page template " + resource);
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** HTML text and attribute escaping (both quote kinds), enough for any message. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
