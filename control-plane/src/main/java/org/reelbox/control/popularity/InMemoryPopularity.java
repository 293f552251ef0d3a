package org.reelbox.control.popularity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reelbox.control.store.VideoId;

/**
 * A {@link Popularity} held in memory only, lost on restart: a stand-in until the beacon-backed
 * implementation lands, and what routing tests use. Each (video, region) keeps one score and the
 * instant it was last brought up to date; reading decays it by {@code 2^(-elapsed/halfLife)}.
 */
public final class InMemoryPopularity implements Popularity {
  private record Key(VideoId video, String region) {}

  private record Score(double value, Instant at) {
    double at(Instant when, double halfLifeSeconds) {
      double elapsed = Math.max(0, Duration.between(at, when).toMillis() / 1000.0);
      return value * Math.pow(0.5, elapsed / halfLifeSeconds);
    }
  }

  private final Map<Key, Score> scores = new ConcurrentHashMap<>();
  private final double halfLifeSeconds;

  public InMemoryPopularity(Duration halfLife) {
    requireNonNull(halfLife, "halfLife");
    if (halfLife.isNegative() || halfLife.isZero()) {
      throw new IllegalArgumentException("halfLife must be positive: " + halfLife);
    }
    this.halfLifeSeconds = halfLife.toMillis() / 1000.0;
  }

  @Override
  public void recordViews(VideoId video, String region, double views, Instant at) {
    requireNonNull(at, "at");
    if (!(views >= 0) || Double.isInfinite(views)) {
      throw new IllegalArgumentException("views must be finite and >= 0, got " + views);
    }
    scores.merge(
        new Key(requireNonNull(video, "video"), requireNonNull(region, "region")),
        new Score(views, at),
        (old, add) -> {
          Instant later = old.at().isAfter(at) ? old.at() : at;
          return new Score(old.at(later, halfLifeSeconds) + add.at(later, halfLifeSeconds), later);
        });
  }

  @Override
  public double score(VideoId video, String region, Instant at) {
    Score s = scores.get(new Key(video, region));
    return s == null ? 0 : s.at(at, halfLifeSeconds);
  }

  @Override
  public List<Ranked> top(String region, int limit, Instant at) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    return scores.entrySet().stream()
        .filter(e -> e.getKey().region().equals(region))
        .map(e -> new Ranked(e.getKey().video(), e.getValue().at(at, halfLifeSeconds)))
        .sorted(Comparator.comparingDouble(Ranked::score).reversed())
        .limit(limit)
        .toList();
  }
}
