package org.reelbox.control.ui;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The UI's message bundles: {@code web/i18n/{area}_{lang}.properties} on the classpath, UTF-8, one
 * file per area of the UI so that people working on different pages do not edit the same file. All
 * areas of a language merge into one map, which pages get whole (they are small: a few hundred
 * strings).
 *
 * <p>A key defined by two areas is refused at load time (one of the two would silently win).
 * Whether every language has every key is checked by {@code MessagesTest}, not here: a missing
 * translation should fail the build, not the start of a running appliance.
 */
public final class Messages {
  /** The areas of the UI, each with one bundle per language. */
  public static final List<String> AREAS = List.of("common", "viewer", "studio", "admin");

  private final Map<String, Map<String, String>> byLanguage;

  private Messages(Map<String, Map<String, String>> byLanguage) {
    this.byLanguage = byLanguage;
  }

  /** Loads every bundle of every {@link UiLocale#SUPPORTED} language from the classpath. */
  public static Messages load() {
    Map<String, Map<String, String>> all = new TreeMap<>();
    for (String lang : UiLocale.SUPPORTED) {
      Map<String, String> merged = new TreeMap<>();
      Map<String, String> origin = new TreeMap<>();
      for (String area : AREAS) {
        String resource = "web/i18n/" + area + "_" + lang + ".properties";
        for (Map.Entry<String, String> e : read(resource).entrySet()) {
          String before = origin.putIfAbsent(e.getKey(), resource);
          if (before != null) {
            throw new IllegalStateException(
                "message key '"
                    + e.getKey()
                    + "' is defined in both "
                    + before
                    + " and "
                    + resource);
          }
          merged.put(e.getKey(), e.getValue());
        }
      }
      all.put(lang, Collections.unmodifiableMap(merged));
    }
    return new Messages(Collections.unmodifiableMap(all));
  }

  private static Map<String, String> read(String resource) {
    Properties p = new Properties();
    try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        // An area may not have strings yet; the bundle-parity test still demands all three files.
        return Map.of();
      }
      try (Reader r = new InputStreamReader(in, UTF_8)) {
        p.load(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    Map<String, String> map = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
    return map;
  }

  /** Every message of {@code lang}, key → text. */
  public Map<String, String> of(String lang) {
    Map<String, String> m = byLanguage.get(lang);
    if (m == null) {
      throw new IllegalArgumentException("unsupported language " + lang);
    }
    return m;
  }
}
