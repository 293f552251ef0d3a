package org.reelbox.edge;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Views the box has served since its last acknowledged heartbeat, per video: a master playlist
 * request is one view (a player fetches the master once per playback). The registrar sends the
 * busiest with each heartbeat and subtracts what the control plane took, so a failed heartbeat
 * loses nothing; the control plane feeds them to the region's popularity scores (docs/edges.md,
 * "Popularity"), which is how viewers who reach the box without the routing API's help still make a
 * video popular.
 *
 * <p>Bounded: at most {@value #MAX_VIDEOS} videos are tracked between two heartbeats; views of
 * further videos are dropped (a scan of made-up ids cannot grow the map), and counted in {@link
 * #dropped()}. Thread-safe.
 */
public final class ViewCounts {
  /** The most videos tracked between two acknowledged heartbeats. */
  public static final int MAX_VIDEOS = 10_000;

  private final ConcurrentHashMap<String, LongAdder> views = new ConcurrentHashMap<>();
  private final LongAdder dropped = new LongAdder();

  /** Counts one view of {@code videoId} (already validated by the request's path). */
  public void count(String videoId) {
    LongAdder adder = views.get(videoId);
    if (adder == null) {
      if (views.size() >= MAX_VIDEOS) {
        dropped.increment();
        return;
      }
      adder = views.computeIfAbsent(videoId, k -> new LongAdder());
    }
    adder.increment();
  }

  /** The {@code limit} most-viewed videos and their counts, most viewed first. */
  public Map<String, Long> top(int limit) {
    Map<String, Long> out = new LinkedHashMap<>();
    views.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(limit)
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Takes away views the control plane has acknowledged; videos left at zero are forgotten. */
  public void subtract(Map<String, Long> sent) {
    sent.forEach(
        (id, n) ->
            views.computeIfPresent(
                id,
                (k, adder) -> {
                  adder.add(-n);
                  return adder.sum() <= 0 ? null : adder;
                }));
  }

  /** Views not tracked because {@value #MAX_VIDEOS} videos already were. */
  public long dropped() {
    return dropped.sum();
  }
}
