package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * How many videos are in each state, for the admin's overview: one {@code COUNT … GROUP BY} on the
 * {@code videos} table. Not part of {@link MetadataStore}: nothing but the overview needs it, and
 * it is never cached (the caching store holds single videos).
 */
public final class VideoCounts {
  private final Sql sql;

  public VideoCounts(DataSource dataSource) {
    this.sql = new Sql(requireNonNull(dataSource, "dataSource"));
  }

  /** Every state, in declaration order, with its count (0 when no video is in it). */
  public Map<VideoState, Long> byState() {
    Map<VideoState, Long> counts = new EnumMap<>(VideoState.class);
    for (VideoState state : VideoState.values()) {
      counts.put(state, 0L);
    }
    sql.run(
            "count videos by state",
            c ->
                Sql.queryList(
                    c,
                    "SELECT state, COUNT(*) FROM videos GROUP BY state",
                    s -> {},
                    row -> Map.entry(row.getString(1), row.getLong(2))))
        .forEach(e -> counts.put(VideoState.valueOf(e.getKey()), e.getValue()));
    return counts;
  }
}
