package org.reelbox.control.pipeline.internal;

import java.util.List;
import java.util.Map;

/**
 * A profile file as Jackson reads it: every field nullable, so that the loader, not Jackson, says
 * what is missing, in the words of the format. Not API; see docs/pipelines.md for the format.
 */
public record ProfileFile(
    String name,
    String description,
    VideoFile video,
    AudioFile audio,
    List<RungFile> ladder,
    List<NodeFile> nodes) {

  /** {@code video:}; {@code maxLevel} is an Object because YAML reads {@code 4.1} as a number. */
  public record VideoFile(String codec, Object maxLevel) {}

  /** {@code audio:}. */
  public record AudioFile(String codec, Long bitrateBps, Integer channels, Integer sampleRateHz) {}

  /** One entry of {@code ladder:}. */
  public record RungFile(String name, Integer height, Long videoBitrateBps) {}

  /** One entry of {@code nodes:}. */
  public record NodeFile(
      String id, String type, List<String> after, Map<String, Object> params, Boolean enabled) {}
}
