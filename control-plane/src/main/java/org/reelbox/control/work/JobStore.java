package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;
import static org.reelbox.control.store.Sql.getInstant;
import static org.reelbox.control.store.Sql.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reelbox.common.work.PackageOutput;
import org.reelbox.control.store.Sql;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;

/**
 * Jobs, the tasks of a job as the completion handler grows and advances them, and the completion
 * queue. Every method is one transaction and idempotent where the handler needs it to be
 * (processing an event twice must change nothing).
 */
public final class JobStore {
  private static final String JOB_COLUMNS =
      "id, video_id, owner_id, profile, plan_options, state, priority, error_code, error_message,"
          + " created_at";

  private final Sql sql;

  public JobStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql");
  }

  /** What {@link #createJob} did. */
  public record Created(long jobId, boolean created) {}

  /**
   * Creates the job of a video with its first task and its {@code JOB_CREATED} event, in one
   * transaction; a video that has a job already keeps it (a repeated upload notice).
   */
  public Created createJob(Video video, NewTask first, Instant now) {
    requireNonNull(video, "video");
    requireNonNull(first, "first");
    return sql.inTransaction(
        "create a job",
        connection -> {
          Optional<Long> existing = jobIdOf(connection, video.id());
          if (existing.isPresent()) {
            return new Created(existing.get(), false);
          }
          long jobId;
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO jobs (video_id, owner_id, profile, plan_options, state, priority,"
                      + " created_at, updated_at) VALUES (?, ?, ?, ?, 'RUNNING', 0, ?, ?)",
                  new String[] {"id"})) {
            insert.setString(1, video.id().value());
            insert.setLong(2, video.ownerId());
            insert.setString(3, video.profile());
            insert.setString(4, video.planOptions());
            setInstant(insert, 5, now);
            setInstant(insert, 6, now);
            insert.executeUpdate();
            jobId = Sql.generatedId(insert);
          }
          insertTask(connection, jobId, first, now);
          Events.insert(connection, jobId, null, CompletionEvent.Kind.JOB_CREATED, now);
          return new Created(jobId, true);
        });
  }

  private static Optional<Long> jobIdOf(Connection connection, VideoId videoId)
      throws SQLException {
    return Sql.queryOne(
        connection,
        "SELECT id FROM jobs WHERE video_id = ?",
        s -> s.setString(1, videoId.value()),
        row -> row.getLong(1));
  }

  public Optional<Job> job(long jobId) {
    return sql.run(
        "find a job",
        connection ->
            Sql.queryOne(
                connection,
                "SELECT " + JOB_COLUMNS + " FROM jobs WHERE id = ?",
                s -> s.setLong(1, jobId),
                JobStore::readJob));
  }

  public Optional<Job> jobOfVideo(VideoId videoId) {
    return sql.run(
        "find a video's job",
        connection ->
            Sql.queryOne(
                connection,
                "SELECT " + JOB_COLUMNS + " FROM jobs WHERE video_id = ?",
                s -> s.setString(1, videoId.value()),
                JobStore::readJob));
  }

  /** Videos that are UPLOADED but have no job: a start-up sweep gives them one. */
  public List<VideoId> uploadedWithoutJob() {
    return sql.run(
        "find uploaded videos without a job",
        connection ->
            Sql.queryList(
                connection,
                "SELECT v.id FROM videos v WHERE v.state = 'UPLOADED'"
                    + " AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.video_id = v.id)",
                s -> {},
                row -> new VideoId(row.getString(1).trim())));
  }

  /** Inserts the tasks that are not in the job yet (by id), with their dependencies. */
  public int insertTasks(long jobId, List<NewTask> tasks, Instant now) {
    return sql.inTransaction(
        "insert tasks",
        connection -> {
          int inserted = 0;
          for (NewTask t : tasks) {
            boolean exists =
                Sql.queryOne(
                        connection,
                        "SELECT 1 FROM tasks WHERE job_id = ? AND task_id = ?",
                        s -> {
                          s.setLong(1, jobId);
                          s.setString(2, t.taskId());
                        },
                        row -> true)
                    .isPresent();
            if (!exists) {
              insertTask(connection, jobId, t, now);
              inserted++;
            }
          }
          return inserted;
        });
  }

  private static void insertTask(Connection connection, long jobId, NewTask t, Instant now)
      throws SQLException {
    Sql.update(
        connection,
        "INSERT INTO tasks (job_id, task_id, seq, type, stage, state, input, next_attempt_at,"
            + " created_at, claim_rank, fuse_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s -> {
          s.setLong(1, jobId);
          s.setString(2, t.taskId());
          s.setInt(3, t.seq());
          s.setString(4, t.type().wireName());
          s.setInt(5, t.stage());
          s.setString(6, t.input() != null ? "QUEUED" : "WAITING");
          s.setString(7, t.input());
          setInstant(s, 8, now);
          setInstant(s, 9, now);
          s.setLong(10, t.claimRank());
          s.setString(11, t.fuseKey());
        });
    try (PreparedStatement dep =
        connection.prepareStatement(
            "INSERT INTO task_deps (job_id, task_id, dep_id) VALUES (?, ?, ?)")) {
      for (String d : t.dependsOn()) {
        dep.setLong(1, jobId);
        dep.setString(2, t.taskId());
        dep.setString(3, d);
        dep.addBatch();
      }
      if (!t.dependsOn().isEmpty()) {
        dep.executeBatch();
      }
    }
  }

  /**
   * Inserts an early task (the early package of progressive publishing) that {@code dependentId}
   * must then wait for too, in one transaction: only while {@code dependentId} is still WAITING
   * (once it is queued it no longer needs the early task), and only once (by id).
   *
   * @return whether the task was inserted now
   */
  public boolean insertTaskBefore(long jobId, NewTask task, String dependentId, Instant now) {
    requireNonNull(task, "task");
    requireNonNull(dependentId, "dependentId");
    return sql.inTransaction(
        "insert an early task",
        connection -> {
          boolean exists =
              Sql.queryOne(
                      connection,
                      "SELECT 1 FROM tasks WHERE job_id = ? AND task_id = ?",
                      s -> {
                        s.setLong(1, jobId);
                        s.setString(2, task.taskId());
                      },
                      row -> true)
                  .isPresent();
          if (exists) {
            return false;
          }
          // Lock the dependent's row, so that it cannot be queued between this check and the new
          // dependency (the completion handler is the only writer of WAITING → QUEUED anyway).
          int waiting =
              Sql.update(
                  connection,
                  "UPDATE tasks SET state = 'WAITING' WHERE job_id = ? AND task_id = ?"
                      + " AND state = 'WAITING'",
                  s -> {
                    s.setLong(1, jobId);
                    s.setString(2, dependentId);
                  });
          if (waiting != 1) {
            return false;
          }
          insertTask(connection, jobId, task, now);
          Sql.update(
              connection,
              "INSERT INTO task_deps (job_id, task_id, dep_id) VALUES (?, ?, ?)",
              s -> {
                s.setLong(1, jobId);
                s.setString(2, dependentId);
                s.setString(3, task.taskId());
              });
          return true;
        });
  }

  /** The states of a job's tasks, by id. */
  public Map<String, TaskState> taskStates(long jobId) {
    return sql.run(
        "read task states",
        connection -> {
          Map<String, TaskState> states = new LinkedHashMap<>();
          Sql.queryList(
                  connection,
                  "SELECT task_id, state FROM tasks WHERE job_id = ? ORDER BY seq",
                  s -> s.setLong(1, jobId),
                  row -> new String[] {row.getString(1), row.getString(2)})
              .forEach(r -> states.put(r[0], TaskState.valueOf(r[1])));
          return states;
        });
  }

  /**
   * The WAITING tasks that depend on {@code depId} and whose every dependency has now succeeded:
   * the ones a completion makes ready.
   */
  public List<String> readyDependents(long jobId, String depId) {
    return sql.run(
        "find ready dependents",
        connection ->
            Sql.queryList(
                connection,
                "SELECT t.task_id FROM tasks t JOIN task_deps d"
                    + " ON d.job_id = t.job_id AND d.task_id = t.task_id"
                    + " WHERE d.job_id = ? AND d.dep_id = ? AND t.state = 'WAITING'"
                    + " AND NOT EXISTS (SELECT 1 FROM task_deps d2 JOIN tasks u"
                    + " ON u.job_id = d2.job_id AND u.task_id = d2.dep_id"
                    + " WHERE d2.job_id = t.job_id AND d2.task_id = t.task_id"
                    + " AND u.state <> 'SUCCEEDED')"
                    + " ORDER BY t.seq",
                s -> {
                  s.setLong(1, jobId);
                  s.setString(2, depId);
                },
                row -> row.getString(1)));
  }

  /** The outputs of the tasks {@code taskId} depends on, by task id, in plan order. */
  public Map<String, String> dependencyOutputs(long jobId, String taskId) {
    return sql.run(
        "read dependency outputs",
        connection -> {
          Map<String, String> outputs = new LinkedHashMap<>();
          Sql.queryList(
                  connection,
                  "SELECT u.task_id, u.output FROM task_deps d JOIN tasks u"
                      + " ON u.job_id = d.job_id AND u.task_id = d.dep_id"
                      + " WHERE d.job_id = ? AND d.task_id = ? ORDER BY u.seq",
                  s -> {
                    s.setLong(1, jobId);
                    s.setString(2, taskId);
                  },
                  row -> new String[] {row.getString(1), row.getString(2)})
              .forEach(r -> outputs.put(r[0], r[1]));
          return outputs;
        });
  }

  /** One task's output, when it has succeeded. */
  public Optional<String> output(long jobId, String taskId) {
    return sql.run(
        "read a task output",
        connection ->
            Sql.queryOne(
                connection,
                "SELECT output FROM tasks WHERE job_id = ? AND task_id = ? AND state = 'SUCCEEDED'",
                s -> {
                  s.setLong(1, jobId);
                  s.setString(2, taskId);
                },
                row -> row.getString(1)));
  }

  /** WAITING → QUEUED with its input; false when it was not WAITING (done already). */
  public boolean queue(long jobId, String taskId, String input, Instant now) {
    return sql.run(
        "queue a task",
        connection ->
            Sql.update(
                    connection,
                    "UPDATE tasks SET state = 'QUEUED', input = ?, next_attempt_at = ?"
                        + " WHERE job_id = ? AND task_id = ? AND state = 'WAITING'",
                    s -> {
                      s.setString(1, input);
                      setInstant(s, 2, now);
                      s.setLong(3, jobId);
                      s.setString(4, taskId);
                    })
                == 1);
  }

  /** RUNNING → SUCCEEDED; false when the job was not running. */
  public boolean succeedJob(long jobId, Instant now) {
    return sql.run(
        "finish a job",
        connection ->
            Sql.update(
                    connection,
                    "UPDATE jobs SET state = 'SUCCEEDED', updated_at = ?"
                        + " WHERE id = ? AND state = 'RUNNING'",
                    s -> {
                      setInstant(s, 1, now);
                      s.setLong(2, jobId);
                    })
                == 1);
  }

  /**
   * RUNNING → FAILED with a code and message, and every unfinished task of the job CANCELLED (a
   * running one loses its lease: its worker hears LEASE_LOST). Does nothing to a finished job.
   */
  public boolean failJob(long jobId, String code, String message, Instant now) {
    return sql.inTransaction(
        "fail a job",
        connection -> {
          int updated =
              Sql.update(
                  connection,
                  "UPDATE jobs SET state = 'FAILED', error_code = ?, error_message = ?,"
                      + " updated_at = ? WHERE id = ? AND state = 'RUNNING'",
                  s -> {
                    s.setString(1, code);
                    s.setString(2, Video.clipMessage(message));
                    setInstant(s, 3, now);
                    s.setLong(4, jobId);
                  });
          Sql.update(
              connection,
              "UPDATE tasks SET state = 'CANCELLED', lease_id = NULL, lease_expires_at = NULL,"
                  + " finished_at = ? WHERE job_id = ? AND state IN ('WAITING', 'QUEUED', 'RUNNING')",
              s -> {
                setInstant(s, 1, now);
                s.setLong(2, jobId);
              });
          return updated == 1;
        });
  }

  /** The failed task of a job (the first in plan order), for its code and message. */
  public Optional<TaskRecord> failedTask(long jobId) {
    return tasks(jobId).stream().filter(t -> t.state() == TaskState.FAILED).findFirst();
  }

  /** A job's tasks in plan order. */
  public List<TaskRecord> tasks(long jobId) {
    return sql.run(
        "list a job's tasks",
        connection ->
            Sql.queryList(
                connection,
                "SELECT "
                    + TaskQueue.TASK_COLUMNS
                    + " FROM tasks t JOIN jobs j ON j.id = t.job_id"
                    + " WHERE t.job_id = ? ORDER BY t.seq",
                s -> s.setLong(1, jobId),
                TaskQueue::readTask));
  }

  /** How far a video's job is, or empty when it has none. */
  public Optional<JobProgress> progress(VideoId videoId) {
    return sql.run(
        "read job progress",
        connection -> {
          Optional<Object[]> counts =
              Sql.queryOne(
                  connection,
                  "SELECT j.id, j.state, COUNT(t.task_id),"
                      + " SUM(CASE WHEN t.state = 'SUCCEEDED' THEN 1 ELSE 0 END),"
                      + " SUM(CASE WHEN t.state = 'RUNNING' THEN 1 ELSE 0 END)"
                      + " FROM jobs j LEFT JOIN tasks t ON t.job_id = j.id WHERE j.video_id = ?"
                      + " GROUP BY j.id, j.state",
                  s -> s.setString(1, videoId.value()),
                  row ->
                      new Object[] {
                        row.getLong(1),
                        row.getString(2),
                        row.getInt(3),
                        row.getInt(4),
                        row.getInt(5)
                      });
          if (counts.isEmpty()) {
            return Optional.empty();
          }
          Object[] c = counts.get();
          // The early package's output names what it published (JobFlow, progressive publishing).
          List<String> published =
              Sql.queryOne(
                      connection,
                      "SELECT output FROM tasks WHERE job_id = ? AND type = 'package'"
                          + " AND task_id LIKE ? AND state = 'SUCCEEDED'",
                      s -> {
                        s.setLong(1, (Long) c[0]);
                        s.setString(2, "%" + JobFlow.EARLY_SUFFIX);
                      },
                      row -> row.getString(1))
                  .map(
                      json ->
                          TaskInputs.read(json, PackageOutput.class).renditions().stream()
                              .map(PackageOutput.PackagedRendition::name)
                              .toList())
                  .orElse(List.of());
          return Optional.of(
              new JobProgress(
                  JobState.valueOf((String) c[1]),
                  (Integer) c[3],
                  (Integer) c[4],
                  (Integer) c[2],
                  published));
        });
  }

  /** A job's task counts by plan stage and state: one row per pair that has tasks. */
  public record StageCount(int stage, TaskState state, int count) {}

  /**
   * A job's tasks counted by stage and state, without reading their inputs and outputs (an encode
   * job has thousands of tasks; the progress events read this several times a second).
   */
  public List<StageCount> stageCounts(long jobId) {
    return sql.run(
        "count a job's tasks by stage",
        connection ->
            Sql.queryList(
                connection,
                "SELECT stage, state, COUNT(*) FROM tasks WHERE job_id = ? GROUP BY stage, state",
                s -> s.setLong(1, jobId),
                row ->
                    new StageCount(
                        row.getInt(1), TaskState.valueOf(row.getString(2)), row.getInt(3))));
  }

  /** How many jobs run, split by whether a worker holds one of their tasks now. */
  public record JobCounts(int running, int queued) {}

  /**
   * The RUNNING jobs: {@code running} when a worker holds a lease on one of their tasks now, else
   * {@code queued} (their ready tasks wait for a worker, or for a retry's back-off).
   */
  public JobCounts jobCounts() {
    return sql.run(
        "count running jobs",
        connection ->
            Sql.queryOne(
                    connection,
                    "SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM tasks t"
                        + " WHERE t.job_id = j.id AND t.state = 'RUNNING') THEN 1 ELSE 0 END)"
                        + " FROM jobs j WHERE j.state = 'RUNNING'",
                    s -> {},
                    row -> {
                      int all = row.getInt(1);
                      int leased = row.getInt(2);
                      return new JobCounts(leased, all - leased);
                    })
                .orElse(new JobCounts(0, 0)));
  }

  /**
   * Jobs newest first (then by id, so that pages do not overlap), with the video's title, the
   * owner's name and task counts; only those in {@code state} when it is given.
   */
  public List<JobSummary> list(Optional<JobState> state, int offset, int limit) {
    requireNonNull(state, "state");
    if (offset < 0 || limit < 1) {
      throw new IllegalArgumentException("offset " + offset + ", limit " + limit);
    }
    return sql.run(
        "list jobs",
        connection ->
            Sql.queryList(
                connection,
                "SELECT j.video_id, v.title, u.username, j.profile, j.state, j.created_at,"
                    + " j.updated_at,"
                    + " (SELECT COUNT(*) FROM tasks t WHERE t.job_id = j.id"
                    + " AND t.state = 'SUCCEEDED') AS done,"
                    + " (SELECT COUNT(*) FROM tasks t WHERE t.job_id = j.id) AS total"
                    + " FROM jobs j JOIN videos v ON v.id = j.video_id"
                    + " JOIN users u ON u.id = j.owner_id"
                    + (state.isPresent() ? " WHERE j.state = ?" : "")
                    + " ORDER BY j.created_at DESC, j.id DESC"
                    + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                s -> {
                  int i = 1;
                  if (state.isPresent()) {
                    s.setString(i++, state.get().name());
                  }
                  s.setInt(i++, offset);
                  s.setInt(i, limit);
                },
                row -> {
                  JobState jobState = JobState.valueOf(row.getString(5));
                  return new JobSummary(
                      new VideoId(row.getString(1).trim()),
                      row.getString(2),
                      row.getString(3),
                      row.getString(4),
                      jobState,
                      getInstant(row, 6),
                      // updated_at moves only when the job succeeds or fails.
                      jobState == JobState.RUNNING ? null : getInstant(row, 7),
                      row.getInt(8),
                      row.getInt(9));
                }));
  }

  // ---- the completion queue

  /** The oldest unprocessed events, in queue order. */
  public List<CompletionEvent> pendingEvents(int limit) {
    return sql.run(
        "read completion events",
        connection ->
            Sql.queryList(
                connection,
                "SELECT id, job_id, task_id, kind FROM completion_events"
                    + " WHERE processed_at IS NULL ORDER BY id FETCH FIRST "
                    + limit
                    + " ROWS ONLY",
                s -> {},
                row ->
                    new CompletionEvent(
                        row.getLong(1),
                        row.getLong(2),
                        row.getString(3),
                        CompletionEvent.Kind.valueOf(row.getString(4)))));
  }

  public void markProcessed(long eventId, Instant now) {
    sql.run(
        "mark an event processed",
        connection ->
            Sql.update(
                connection,
                "UPDATE completion_events SET processed_at = ? WHERE id = ?",
                s -> {
                  setInstant(s, 1, now);
                  s.setLong(2, eventId);
                }));
  }

  private static Job readJob(ResultSet row) throws SQLException {
    return new Job(
        row.getLong("id"),
        new VideoId(row.getString("video_id").trim()),
        row.getLong("owner_id"),
        row.getString("profile"),
        row.getString("plan_options"),
        JobState.valueOf(row.getString("state")),
        row.getInt("priority"),
        row.getString("error_code"),
        row.getString("error_message"),
        getInstant(row, "created_at"));
  }
}
