package org.reelbox.control.routing;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.reelbox.control.edges.EdgeRecord;
import org.reelbox.control.edges.EdgeRegistry;
import org.reelbox.control.popularity.Popularity;
import org.reelbox.control.store.VideoId;

/**
 * Picks the host a viewer plays a video from (docs/edges.md, "Routing"): the viewer's region from
 * the CIDR table; if the video's popularity there reaches the threshold, the region's routable
 * boxes (healthy, not draining) in rendezvous order on the video id, the first of them chosen; a
 * long-tail video, or a region with no routable box, goes to the origin.
 *
 * <p>Long-tail videos skip the edge on purpose: a box that fetched every video once would spend its
 * disk on objects nobody asks for twice, and the viewer would pay the miss.
 *
 * <p>Blocking (reads the registry); call from a worker.
 */
public final class PlayRouter {
  private final RegionStore regions;
  private final EdgeRegistry edges;
  private final Popularity popularity;
  private final double popularityThreshold;
  private final String originUrl;
  private final Clock clock;

  public PlayRouter(
      RegionStore regions,
      EdgeRegistry edges,
      Popularity popularity,
      double popularityThreshold,
      String originUrl,
      Clock clock) {
    this.regions = requireNonNull(regions, "regions");
    this.edges = requireNonNull(edges, "edges");
    this.popularity = requireNonNull(popularity, "popularity");
    if (!(popularityThreshold >= 0) || Double.isInfinite(popularityThreshold)) {
      throw new IllegalArgumentException(
          "popularityThreshold must be a finite number >= 0, got " + popularityThreshold);
    }
    this.popularityThreshold = popularityThreshold;
    this.originUrl = requireNonNull(originUrl, "originUrl");
    this.clock = requireNonNull(clock, "clock");
  }

  public PlayRoute route(VideoId video, InetAddress viewer) {
    String region = regions.table().lookup(viewer).region();
    double score = popularity.score(video, region, clock.instant());
    if (score < popularityThreshold) {
      return new PlayRoute(originUrl, Optional.empty(), List.of(), region, "long-tail");
    }
    List<EdgeRecord> ordered =
        Rendezvous.order(video.value(), edges.routableEdges(region), EdgeRecord::edgeId);
    if (ordered.isEmpty()) {
      return new PlayRoute(originUrl, Optional.empty(), List.of(), region, "no-healthy-edge");
    }
    EdgeRecord chosen = ordered.get(0);
    return new PlayRoute(
        stripSlash(chosen.publicUrl()),
        Optional.of(chosen.edgeId()),
        ordered.subList(1, ordered.size()).stream().map(EdgeRecord::edgeId).toList(),
        region,
        "popular");
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
