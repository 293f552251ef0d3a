package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a creator may change about a profile for one video. Each option is empty to keep the
 * profile's choice. The {@link Planner} checks them against the profile and throws an {@link
 * OptionsException} when they do not fit.
 *
 * @param renditions a subset of the ladder by name (at least one, no repeats); the plan keeps the
 *     profile's order
 * @param watermark switch the profile's watermark node(s) on or off; on needs the profile to have
 *     one
 * @param thumbnailImage a blob key of the creator's own thumbnail ({@code .jpg}, {@code .jpeg} or
 *     {@code .png}); needs a thumbnail node
 */
public record PlanOptions(
    Optional<List<String>> renditions,
    Optional<Boolean> watermark,
    Optional<String> thumbnailImage) {
  private static final PlanOptions DEFAULTS =
      new PlanOptions(Optional.empty(), Optional.empty(), Optional.empty());

  public PlanOptions {
    requireNonNull(renditions, "renditions");
    requireNonNull(watermark, "watermark");
    requireNonNull(thumbnailImage, "thumbnailImage");
    renditions = renditions.map(List::copyOf);
  }

  /** The profile as it is. */
  public static PlanOptions defaults() {
    return DEFAULTS;
  }

  public PlanOptions withRenditions(List<String> names) {
    return new PlanOptions(Optional.of(names), watermark, thumbnailImage);
  }

  public PlanOptions withWatermark(boolean on) {
    return new PlanOptions(renditions, Optional.of(on), thumbnailImage);
  }

  public PlanOptions withThumbnailImage(String key) {
    return new PlanOptions(renditions, watermark, Optional.of(key));
  }

  /** "renditions=720p,360p watermark=on thumbnail=uploads/x.jpg", or "none". */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    renditions.ifPresent(r -> sb.append(" renditions=").append(String.join(",", r)));
    watermark.ifPresent(w -> sb.append(" watermark=").append(w ? "on" : "off"));
    thumbnailImage.ifPresent(t -> sb.append(" thumbnail=").append(t));
    return sb.length() == 0 ? "none" : sb.substring(1);
  }
}
