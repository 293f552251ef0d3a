package org.reelbox.control.popularity;

import java.time.Instant;
import java.util.List;
import org.reelbox.control.store.VideoId;

/**
 * How popular each video is in each region: an exponentially decayed view score (a view counts 1
 * when it happens and half of that one half-life later). Routing asks it whether a video is popular
 * enough in the viewer's region to be worth an edge box; fill lists are its top entries per region.
 *
 * <p>Thread-safe. Scores are comparable across videos and regions at one instant.
 */
public interface Popularity {

  /** Records views of a video in a region (a view beacon, or views an edge box reports). */
  void recordViews(VideoId video, String region, double views, Instant at);

  /** The video's decayed score in the region at {@code at}; 0 when it was never viewed there. */
  double score(VideoId video, String region, Instant at);

  /** The {@code limit} best-scored videos of a region at {@code at}, best first. */
  List<Ranked> top(String region, int limit, Instant at);

  /** A video and its score. */
  record Ranked(VideoId video, double score) {}
}
