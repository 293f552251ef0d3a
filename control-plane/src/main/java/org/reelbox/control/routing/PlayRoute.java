package org.reelbox.control.routing;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Where one viewer plays one video from.
 *
 * @param baseUrl the chosen host's public base URL, without a trailing slash
 * @param edgeId the chosen box; empty when the origin serves
 * @param fallbacks the other routable boxes of the region, in rendezvous order: where the video
 *     goes if the chosen box leaves
 * @param reason why: {@code popular}, {@code long-tail}, {@code no-healthy-edge}
 */
public record PlayRoute(
    String baseUrl, Optional<String> edgeId, List<String> fallbacks, String region, String reason) {
  public PlayRoute {
    requireNonNull(baseUrl, "baseUrl");
    requireNonNull(edgeId, "edgeId");
    fallbacks = List.copyOf(fallbacks);
    requireNonNull(region, "region");
    requireNonNull(reason, "reason");
  }

  /** {@code edge} or {@code origin}. */
  public String servedBy() {
    return edgeId.isPresent() ? "edge" : "origin";
  }
}
