package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;
import static org.reelbox.control.store.Sql.getInstant;
import static org.reelbox.control.store.Sql.setInstant;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.reelbox.common.json.Json;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.control.store.MetadataStoreException;
import org.reelbox.control.store.Sql;

/**
 * The worker queue: each worker's capabilities and free slots as its last claim said, and when it
 * was last heard from (a claim or a renewal). A worker silent for longer than {@code
 * workerTimeoutSeconds} is dropped; its leases expire on their own.
 */
public final class WorkerQueue {
  private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final Sql sql;

  /** SQLSTATE of a unique-key violation, the same on H2 and PostgreSQL. */
  public WorkerQueue(Sql sql) {
    this.sql = requireNonNull(sql, "sql");
  }

  /** Whether {@code workerId} has the form WorkerInfo documents: 1–64 of {@code [A-Za-z0-9._-]}. */
  public static boolean isWorkerId(String workerId) {
    return workerId != null && WORKER_ID.matcher(workerId).matches();
  }

  /** Records a claim's worker row: inserted the first time, replaced after. */
  public void heartbeat(WorkerInfo w, Instant now) {
    try {
      record(w, now);
    } catch (MetadataStoreException e) {
      if (!(e.getCause() instanceof SQLException s
          && Sql.UNIQUE_VIOLATION.equals(s.getSQLState()))) {
        throw e;
      }
      // A worker's slots claim at the same time: another of its claims inserted the row between
      // our update (no row yet) and our insert. The row is there now, so this one updates it.
      record(w, now);
    }
  }

  private void record(WorkerInfo w, Instant now) {
    String hw = Json.write(w.hwEncoders());
    sql.inTransaction(
        "record a worker",
        connection -> {
          int updated =
              Sql.update(
                  connection,
                  "UPDATE workers SET host = ?, backend = ?, cores = ?, slots = ?, free_slots = ?,"
                      + " hw_encoders = ?, version = ?, last_seen_at = ? WHERE id = ?",
                  s -> {
                    s.setString(1, w.host());
                    s.setString(2, w.backend());
                    s.setInt(3, w.cores());
                    s.setInt(4, w.slots());
                    s.setInt(5, w.freeSlots());
                    s.setString(6, hw);
                    s.setString(7, w.version());
                    setInstant(s, 8, now);
                    s.setString(9, w.workerId());
                  });
          if (updated == 0) {
            Sql.update(
                connection,
                "INSERT INTO workers (id, host, backend, cores, slots, free_slots, hw_encoders,"
                    + " version, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s -> {
                  s.setString(1, w.workerId());
                  s.setString(2, w.host());
                  s.setString(3, w.backend());
                  s.setInt(4, w.cores());
                  s.setInt(5, w.slots());
                  s.setInt(6, w.freeSlots());
                  s.setString(7, hw);
                  s.setString(8, w.version());
                  setInstant(s, 9, now);
                  setInstant(s, 10, now);
                });
          }
          return null;
        });
  }

  /** Removes a worker; false when it was not in the queue. */
  public boolean remove(String workerId) {
    return sql.run(
        "remove a worker",
        connection ->
            Sql.update(
                    connection, "DELETE FROM workers WHERE id = ?", s -> s.setString(1, workerId))
                == 1);
  }

  /** Drops the workers last heard from before {@code cutoff}; returns how many. */
  public int expire(Instant cutoff) {
    return sql.run(
        "drop silent workers",
        connection ->
            Sql.update(
                connection,
                "DELETE FROM workers WHERE last_seen_at < ?",
                s -> setInstant(s, 1, cutoff)));
  }

  /** Every worker in the queue, by id, with its running task count. */
  public List<WorkerRecord> list() {
    return sql.run(
        "list workers",
        connection ->
            Sql.queryList(
                connection,
                "SELECT w.id, w.host, w.backend, w.cores, w.slots, w.free_slots, w.hw_encoders,"
                    + " w.version, w.first_seen_at, w.last_seen_at,"
                    + " (SELECT COUNT(*) FROM tasks t WHERE t.worker_id = w.id"
                    + " AND t.state = 'RUNNING') AS running FROM workers w ORDER BY w.id",
                s -> {},
                row ->
                    new WorkerRecord(
                        new WorkerInfo(
                            row.getString("id"),
                            row.getString("host"),
                            row.getString("backend"),
                            row.getInt("cores"),
                            row.getInt("slots"),
                            row.getInt("free_slots"),
                            readList(row.getString("hw_encoders")),
                            row.getString("version")),
                        row.getInt("running"),
                        getInstant(row, "first_seen_at"),
                        getInstant(row, "last_seen_at"))));
  }

  private static List<String> readList(String json) throws SQLException {
    try {
      return List.of(Json.mapper().readValue(json, String[].class));
    } catch (JsonProcessingException e) {
      throw new SQLException("workers.hw_encoders is not a JSON array of strings", e);
    }
  }
}
