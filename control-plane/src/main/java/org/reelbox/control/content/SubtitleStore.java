package org.reelbox.control.content;

import static java.util.Objects.requireNonNull;
import static org.reelbox.control.store.Sql.getInstant;
import static org.reelbox.control.store.Sql.queryList;
import static org.reelbox.control.store.Sql.setInstant;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.reelbox.control.store.MetadataStoreException;
import org.reelbox.control.store.Sql;
import org.reelbox.control.store.VideoId;

/**
 * The subtitle tracks of videos, in {@code video_subtitles} (V16; H2 and PostgreSQL). Rows only:
 * the WebVTT files are the caller's to write to the blob store.
 */
public final class SubtitleStore {
  private static final String COLUMNS =
      "video_id, language, name, size_bytes, created_at, updated_at";

  private final Sql sql;
  private final Clock clock;

  public SubtitleStore(DataSource dataSource, Clock clock) {
    this.sql = new Sql(requireNonNull(dataSource, "dataSource"));
    this.clock = requireNonNull(clock, "clock");
  }

  /** What {@link #put} did. */
  public record Put(SubtitleTrack track, boolean created) {}

  /**
   * Adds a track, or replaces the name and size of the one in that language.
   *
   * @return the track as written, and whether it is new
   */
  public Put put(VideoId videoId, String language, String name, long sizeBytes) {
    requireNonNull(videoId, "videoId");
    SubtitleTrack.checkLanguage(language);
    SubtitleTrack.checkName(name);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    // UPDATE first, INSERT when there was nothing to update: portable (no MERGE or ON CONFLICT,
    // which the two databases spell differently). Two first uploads racing: the loser's INSERT
    // hits the primary key, and its second try finds the row to update.
    try {
      return putOnce(videoId, language, name, sizeBytes, now);
    } catch (MetadataStoreException e) {
      if (e.getCause() instanceof SQLException cause
          && Sql.UNIQUE_VIOLATION.equals(cause.getSQLState())) {
        return putOnce(videoId, language, name, sizeBytes, now);
      }
      throw e;
    }
  }

  private Put putOnce(VideoId videoId, String language, String name, long sizeBytes, Instant now) {
    return sql.inTransaction(
        "put subtitle",
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE video_subtitles SET name = ?, size_bytes = ?, updated_at = ?"
                      + " WHERE video_id = ? AND language = ?")) {
            update.setString(1, name);
            update.setLong(2, sizeBytes);
            setInstant(update, 3, now);
            update.setString(4, videoId.value());
            update.setString(5, language);
            if (update.executeUpdate() == 1) {
              return new Put(find(connection, videoId, language), false);
            }
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO video_subtitles (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, videoId.value());
            insert.setString(2, language);
            insert.setString(3, name);
            insert.setLong(4, sizeBytes);
            setInstant(insert, 5, now);
            setInstant(insert, 6, now);
            insert.executeUpdate();
          }
          return new Put(new SubtitleTrack(videoId, language, name, sizeBytes, now, now), true);
        });
  }

  /** The tracks of a video, by language. */
  public List<SubtitleTrack> list(VideoId videoId) {
    requireNonNull(videoId, "videoId");
    return sql.run(
        "list subtitles",
        connection ->
            queryList(
                connection,
                "SELECT " + COLUMNS + " FROM video_subtitles WHERE video_id = ? ORDER BY language",
                statement -> statement.setString(1, videoId.value()),
                SubtitleStore::read));
  }

  /** Deletes a track; false when there was none. */
  public boolean delete(VideoId videoId, String language) {
    requireNonNull(videoId, "videoId");
    requireNonNull(language, "language");
    return sql.run(
        "delete subtitle",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM video_subtitles WHERE video_id = ? AND language = ?")) {
            delete.setString(1, videoId.value());
            delete.setString(2, language);
            return delete.executeUpdate() == 1;
          }
        });
  }

  private static SubtitleTrack find(java.sql.Connection connection, VideoId videoId, String lang)
      throws SQLException {
    return Sql.queryOne(
            connection,
            "SELECT " + COLUMNS + " FROM video_subtitles WHERE video_id = ? AND language = ?",
            statement -> {
              statement.setString(1, videoId.value());
              statement.setString(2, lang);
            },
            SubtitleStore::read)
        .orElseThrow(() -> new SQLException("subtitle row vanished inside its transaction"));
  }

  private static SubtitleTrack read(ResultSet row) throws SQLException {
    return new SubtitleTrack(
        VideoId.of(row.getString("video_id")),
        row.getString("language"),
        row.getString("name"),
        row.getLong("size_bytes"),
        getInstant(row, "created_at"),
        getInstant(row, "updated_at"));
  }
}
