package org.reelbox.control.pipeline;

import java.nio.file.Path;

/** The shipped profiles, read from the top-level conf/ folder so that they are always tested. */
final class Profiles {
  /** Relative to the module directory, where Surefire runs tests. */
  static final Path DIR = Path.of("../conf/pipelines");

  private Profiles() {}

  static Profile shipped(String name) {
    return ProfileLoader.builtin().load(DIR.resolve(name + ".yaml"));
  }

  /**
   * A small valid profile; {@code nodes} replace the default DAG when given, one YAML flow mapping
   * per line.
   */
  static String withLadder(String ladder, String... nodes) {
    StringBuilder sb = new StringBuilder();
    sb.append("name: t\n");
    sb.append("video: {codec: h264, maxLevel: \"4.1\"}\n");
    sb.append("audio: {codec: aac, bitrateBps: 128000, channels: 2, sampleRateHz: 48000}\n");
    sb.append("ladder:\n").append(ladder);
    sb.append("nodes:\n");
    String[] dag = nodes.length > 0 ? nodes : DAG;
    for (String n : dag) {
      sb.append("  - ").append(n).append('\n');
    }
    return sb.toString();
  }

  static final String LADDER =
      "  - {name: 720p, height: 720, videoBitrateBps: 3000000}\n"
          + "  - {name: 360p, height: 360, videoBitrateBps: 800000}\n";

  static final String[] DAG = {
    "{id: inspect, type: inspect}",
    "{id: split, type: split, after: [inspect]}",
    "{id: encode, type: encode, after: [split]}",
    "{id: package, type: package, after: [encode]}"
  };

  static String yaml(String... nodes) {
    return withLadder(LADDER, nodes);
  }
}
