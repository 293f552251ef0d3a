package org.reelbox.control.ui;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which language a page is rendered in: the {@value #COOKIE} cookie that the language switcher
 * sets, else the best match of {@code Accept-Language} among {@link #SUPPORTED}, else English.
 */
public final class UiLocale {
  /** The cookie the language switcher sets (one year, {@code SameSite=Lax}, readable by JS). */
  public static final String COOKIE = "reelbox_lang";

  /** The languages with a full set of message bundles; the first is the fallback. */
  public static final List<String> SUPPORTED = List.of("en", "ko", "ja");

  private UiLocale() {}

  /**
   * @param cookie the {@value #COOKIE} cookie's value, if any
   * @param acceptLanguage the request's {@code Accept-Language}, if any
   * @return one of {@link #SUPPORTED}
   */
  public static String resolve(Optional<String> cookie, Optional<String> acceptLanguage) {
    if (cookie.isPresent() && SUPPORTED.contains(cookie.get())) {
      return cookie.get();
    }
    if (acceptLanguage.isPresent()) {
      try {
        // RFC 4647 lookup: "ko-KR, en;q=0.5" → ko; weights and wildcards handled by the JDK.
        List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage.get());
        String best = Locale.lookupTag(ranges, SUPPORTED);
        if (best != null) {
          return best;
        }
      } catch (IllegalArgumentException malformed) {
        // A malformed header is a browser bug or a probe; it gets the default, not an error.
      }
    }
    return SUPPORTED.get(0);
  }

  /** Whether {@code lang} is a language the UI can be switched to. */
  public static boolean isSupported(String lang) {
    return SUPPORTED.contains(lang);
  }
}
