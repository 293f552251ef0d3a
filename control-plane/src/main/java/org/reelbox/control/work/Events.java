package org.reelbox.control.work;

import static org.reelbox.control.store.Sql.setInstant;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.reelbox.control.store.Sql;

/** Writes to the completion queue, always inside the caller's transaction. */
final class Events {
  private Events() {}

  static void insert(
      Connection connection, long jobId, String taskId, CompletionEvent.Kind kind, Instant now)
      throws SQLException {
    Sql.update(
        connection,
        "INSERT INTO completion_events (job_id, task_id, kind, created_at) VALUES (?, ?, ?, ?)",
        s -> {
          s.setLong(1, jobId);
          s.setString(2, taskId);
          s.setString(3, kind.name());
          setInstant(s, 4, now);
        });
  }
}
