package org.reelbox.media.ts;

import java.util.Locale;

/** Argument checks of this package; every failure names the bad value. */
final class Checks {
  private Checks() {}

  static void checkArgument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
  }
}
