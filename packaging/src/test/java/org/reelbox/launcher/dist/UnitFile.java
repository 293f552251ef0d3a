package org.reelbox.launcher.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd unit file read the way systemd reads it, enough for the tests: sections of {@code
 * Key=value} lines, a key may repeat (every value is kept, in order), {@code #} and {@code ;} start
 * comments. Line continuations are not used by our units, and are refused.
 */
record UnitFile(Path path, Map<String, Map<String, List<String>>> sections) {
  static UnitFile read(Path path) throws IOException {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    for (String raw : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.endsWith("\\")) {
        throw new IllegalArgumentException(path + ": line continuations are not expected: " + raw);
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current =
            sections.computeIfAbsent(
                line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (current == null || eq <= 0) {
        throw new IllegalArgumentException(path + ": not a Key=value line in a section: " + raw);
      }
      current
          .computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(line.substring(eq + 1).strip());
    }
    return new UnitFile(path, sections);
  }

  /** Every value of {@code key} in {@code section}, in file order; empty when absent. */
  List<String> all(String section, String key) {
    return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
  }

  /** The value systemd uses for a single-valued key: the last one; null when absent. */
  String get(String section, String key) {
    List<String> values = all(section, key);
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }
}
