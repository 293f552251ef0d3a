package org.reelbox.edge;

import java.time.LocalTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reelbox.common.config.ConfigValueException;

/**
 * The off-peak window of fill ({@code fill.window}, {@code HH:MM-HH:MM} local time): when a box may
 * spend its origin link on warming. The start is inside, the end is not; a window whose end is
 * before its start spans midnight, and {@code 00:00-24:00} is the whole day.
 */
public record FillWindow(int startMinute, int endMinute) {
  private static final Pattern FORMAT =
      Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]|24):([0-5][0-9])");

  public FillWindow {
    if (startMinute == endMinute) {
      throw new IllegalArgumentException("an empty window");
    }
  }

  /** Parses {@code HH:MM-HH:MM}; a malformed or empty window fails naming {@code fill.window}. */
  public static FillWindow parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new ConfigValueException(
          "fill.window", "must be HH:MM-HH:MM (local time, e.g. 02:00-06:00), got '" + text + "'");
    }
    int start = Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
    int end = Integer.parseInt(m.group(3)) * 60 + Integer.parseInt(m.group(4));
    if (end > 24 * 60) {
      throw new ConfigValueException("fill.window", "ends after 24:00: '" + text + "'");
    }
    if (start == end % (24 * 60) && end != 24 * 60) {
      throw new ConfigValueException("fill.window", "is empty: '" + text + "'");
    }
    return new FillWindow(start, end);
  }

  /** Whether {@code time} is inside the window. */
  public boolean contains(LocalTime time) {
    int minute = time.getHour() * 60 + time.getMinute();
    if (startMinute < endMinute) {
      return minute >= startMinute && minute < endMinute;
    }
    return minute >= startMinute || minute < endMinute;
  }
}
