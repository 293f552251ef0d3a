package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;
import static org.reelbox.control.store.Sql.getInstant;
import static org.reelbox.control.store.Sql.setInstant;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.TaskFailure;
import org.reelbox.common.work.TaskType;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.control.config.WorkConfig;
import org.reelbox.control.store.Sql;
import org.reelbox.control.store.VideoId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task priority queue and the running queue, both views of the {@code tasks} table: the
 * scheduler's claim, and everything a lease goes through (renewal, completion, failure, expiry,
 * return).
 *
 * <h2>Ordering</h2>
 *
 * A claim takes the first ready task ({@code QUEUED}, {@code next_attempt_at} passed) in this
 * order:
 *
 * <ol>
 *   <li>job priority, highest first;
 *   <li>the worker's preference: a worker with a hardware encoder takes encode tasks first (they
 *       are the heavy ones, and a GPU does them several times faster); a CPU worker takes every
 *       other type first, leaving encodes to GPUs while there is something else to do;
 *   <li>stage, earliest first: a job that has just started gets its inspect before older jobs get
 *       more encodes, so new uploads show progress at once and fan out early;
 *   <li>fair share: the owner with the fewest running tasks first, so that one creator's fifty
 *       uploads take turns with everyone else's rather than going first because they are older;
 *   <li>age: the oldest job first;
 *   <li>within a job, the claim rank, lowest first: encode tasks are ranked by their rendition's
 *       pixels × frames per second, so every chunk of the cheapest rendition is encoded before the
 *       next rendition starts, and that rendition can be published early (progressive publishing,
 *       {@link JobFlow}); then the plan's order.
 * </ol>
 *
 * <h2>Atomicity</h2>
 *
 * The claim reads a few candidates in that order, then takes one with a compare-and-set, {@code
 * UPDATE tasks SET state = 'RUNNING' … WHERE … AND state = 'QUEUED'}, and checks the row count. Two
 * claimers that pick the same row serialize on its row lock; the second re-evaluates the WHERE
 * against the committed row, matches nothing, and goes on to its next candidate. No {@code SELECT …
 * FOR UPDATE} (whose {@code SKIP LOCKED} H2 lacks), no version column; the same statement is
 * correct on H2 and PostgreSQL.
 *
 * <h2>Fused claims</h2>
 *
 * A claim may ask for up to {@code fuseLimit} tasks (docs/transcoding.md §8). When the task it won
 * has a fuse key ({@link NewTask#fuseKey}: the other renditions of one chunk's encode), the claim
 * then takes the other ready tasks of the same job with the same key, cheapest first, each by the
 * same compare-and-set, each with a lease of its own: a companion is an ordinary RUNNING task that
 * renews, completes, fails and expires on its own. A companion lost to another claimer is skipped.
 * Every statement commits on its own (autocommit, as the single claim): the claim holds no row lock
 * while it takes the next row, so two fusing claimers that reach the same group in different orders
 * cannot deadlock. A companion taken but never handed out (the control plane stopped before
 * answering) is like a claim whose answer was lost: its lease expires and the reaper queues it
 * again.
 *
 * <h2>Leases</h2>
 *
 * Every claim draws a new lease id (a random UUID), the fencing token. Every later call names it,
 * and every state change is conditional on {@code lease_id = ? AND state = 'RUNNING' AND
 * lease_expires_at > now}: once the lease expired (the reaper), the task went back to the queue, or
 * the job was cancelled, the old id matches no row and the caller hears {@code LEASE_LOST}. A
 * completion and its completion event are written in one transaction.
 */
public final class TaskQueue {
  private static final Logger log = LoggerFactory.getLogger(TaskQueue.class);

  private static final Pattern LEASE_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  // How many candidates one claim round reads: enough that a few concurrent claimers each find
  // one they win, few enough to be cheap.
  private static final int CANDIDATES = 8;
  private static final int CLAIM_ROUNDS = 4;

  static final String TASK_COLUMNS =
      "t.job_id, j.video_id, t.task_id, t.seq, t.type, t.stage, t.state, t.attempt,"
          + " t.next_attempt_at, t.lease_id, t.worker_id, t.lease_expires_at, t.started_at,"
          + " t.finished_at, t.error_code, t.error_message, t.input, t.output";

  private static final String CLAIM_SQL =
      "SELECT t.job_id, t.task_id, t.fuse_key FROM tasks t JOIN jobs j ON j.id = t.job_id"
          + " LEFT JOIN (SELECT j2.owner_id AS owner_id, COUNT(*) AS running"
          + " FROM tasks r JOIN jobs j2 ON j2.id = r.job_id WHERE r.state = 'RUNNING'"
          + " GROUP BY j2.owner_id) o ON o.owner_id = j.owner_id"
          + " WHERE t.state = 'QUEUED' AND t.next_attempt_at <= ?"
          + " AND (j.requires_backend IS NULL OR j.requires_backend = ?)"
          + " ORDER BY j.priority DESC, CASE WHEN t.type = 'encode' THEN %d ELSE %d END,"
          + " t.stage, COALESCE(o.running, 0), j.created_at, j.id, t.claim_rank, t.seq"
          + " FETCH FIRST "
          + CANDIDATES
          + " ROWS ONLY";
  private static final String CLAIM_HW = String.format(CLAIM_SQL, 0, 1);
  private static final String CLAIM_CPU = String.format(CLAIM_SQL, 1, 0);

  // A won task's companions: the other ready tasks of its job with its fuse key, cheapest first.
  // The row limit is formatted in (an int from 1 to WorkProtocol.MAX_FUSE_LIMIT − 1).
  private static final String COMPANIONS_SQL =
      "SELECT task_id FROM tasks WHERE job_id = ? AND fuse_key = ? AND task_id <> ?"
          + " AND state = 'QUEUED' AND next_attempt_at <= ?"
          + " ORDER BY claim_rank, seq FETCH FIRST %d ROWS ONLY";

  private static final String TAKE_SQL =
      "UPDATE tasks SET state = 'RUNNING', attempt = attempt + 1, lease_id = ?,"
          + " worker_id = ?, lease_expires_at = ?, started_at = ?"
          + " WHERE job_id = ? AND task_id = ? AND state = 'QUEUED'";

  /**
   * What one claim took.
   *
   * @param task the task the claim won, RUNNING with its new lease
   * @param companions tasks taken with it to run as one process, each RUNNING with a lease of its
   *     own, cheapest first; empty when the task has no fuse key or the claim asked for one task
   */
  public record Claimed(TaskRecord task, List<TaskRecord> companions) {
    public Claimed {
      requireNonNull(task, "task");
      companions = List.copyOf(companions);
    }
  }

  private final Sql sql;
  private final WorkConfig config;

  public TaskQueue(Sql sql, WorkConfig config) {
    this.sql = requireNonNull(sql, "sql");
    this.config = requireNonNull(config, "config");
  }

  /** Whether {@code leaseId} has the form of a lease id (a lower-case UUID). */
  public static boolean isLeaseId(String leaseId) {
    return leaseId != null && LEASE_ID.matcher(leaseId).matches();
  }

  /** The lease length. */
  public Duration leaseLength() {
    return Duration.ofSeconds(config.leaseSeconds());
  }

  /**
   * Takes the best ready task for {@code worker}, leased until {@code now + leaseSeconds}.
   *
   * @return the task as claimed (RUNNING, its new lease and attempt), or empty when none is ready
   */
  public Optional<TaskRecord> claim(WorkerInfo worker, Instant now) {
    return claim(worker, now, 1).map(Claimed::task);
  }

  /**
   * Takes the best ready task for {@code worker} and, when it may be fused, up to {@code fuseLimit
   * − 1} companions (class comment), each leased until {@code now + leaseSeconds}.
   *
   * @param fuseLimit the most tasks to take, at least 1
   * @return what was claimed, or empty when no task is ready
   */
  public Optional<Claimed> claim(WorkerInfo worker, Instant now, int fuseLimit) {
    requireNonNull(worker, "worker");
    if (fuseLimit < 1) {
      throw new IllegalArgumentException("fuseLimit must be at least 1, got " + fuseLimit);
    }
    String query = worker.hasHardwareEncoder() ? CLAIM_HW : CLAIM_CPU;
    Instant expires = now.plus(leaseLength());
    return sql.run(
        "claim a task",
        connection -> {
          for (int round = 0; round < CLAIM_ROUNDS; round++) {
            List<Candidate> candidates =
                Sql.queryList(
                    connection,
                    query,
                    s -> {
                      setInstant(s, 1, now);
                      s.setString(2, worker.backend());
                    },
                    row -> new Candidate(row.getLong(1), row.getString(2), row.getString(3)));
            if (candidates.isEmpty()) {
              return Optional.empty();
            }
            for (Candidate c : candidates) {
              Optional<String> leaseId =
                  take(connection, c.jobId(), c.taskId(), worker, expires, now);
              if (leaseId.isPresent()) {
                TaskRecord won = byLease(connection, leaseId.get()).orElseThrow();
                List<TaskRecord> companions =
                    fuseLimit > 1 && c.fuseKey() != null
                        ? companions(connection, c, fuseLimit - 1, worker, expires, now)
                        : List.of();
                return Optional.of(new Claimed(won, companions));
              }
            }
          }
          return Optional.empty();
        });
  }

  private record Candidate(long jobId, String taskId, String fuseKey) {}

  /** Takes up to {@code max} companions of the won task {@code c}; see the class comment. */
  private static List<TaskRecord> companions(
      Connection connection, Candidate c, int max, WorkerInfo worker, Instant expires, Instant now)
      throws SQLException {
    List<String> ids =
        Sql.queryList(
            connection,
            String.format(COMPANIONS_SQL, max),
            s -> {
              s.setLong(1, c.jobId());
              s.setString(2, c.fuseKey());
              s.setString(3, c.taskId());
              setInstant(s, 4, now);
            },
            row -> row.getString(1));
    List<TaskRecord> taken = new ArrayList<>(ids.size());
    for (String id : ids) {
      Optional<String> leaseId = take(connection, c.jobId(), id, worker, expires, now);
      if (leaseId.isPresent()) {
        taken.add(byLease(connection, leaseId.get()).orElseThrow());
      }
    }
    return taken;
  }

  /**
   * The compare-and-set of a claim (class comment): a new lease on a QUEUED task.
   *
   * @return the new lease id, or empty when another claimer took the task first
   */
  private static Optional<String> take(
      Connection connection,
      long jobId,
      String taskId,
      WorkerInfo worker,
      Instant expires,
      Instant now)
      throws SQLException {
    String leaseId = UUID.randomUUID().toString();
    int won;
    try {
      won =
          Sql.update(
              connection,
              TAKE_SQL,
              s -> {
                s.setString(1, leaseId);
                s.setString(2, worker.workerId());
                setInstant(s, 3, expires);
                setInstant(s, 4, now);
                s.setLong(5, jobId);
                s.setString(6, taskId);
              });
    } catch (SQLException e) {
      if (!isConflict(e)) {
        throw e;
      }
      won = 0;
    }
    return won == 1 ? Optional.of(leaseId) : Optional.empty();
  }

  private static boolean isConflict(SQLException e) {
    // H2 may report a concurrent update of the row instead of re-evaluating the WHERE.
    return "90131".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
  }

  /** The task a lease id names, whatever its state (empty when none). */
  public Optional<TaskRecord> byLease(String leaseId) {
    return sql.run("find a lease", connection -> byLease(connection, leaseId));
  }

  static Optional<TaskRecord> byLease(Connection connection, String leaseId) throws SQLException {
    return Sql.queryOne(
        connection,
        "SELECT "
            + TASK_COLUMNS
            + " FROM tasks t JOIN jobs j ON j.id = t.job_id"
            + " WHERE t.lease_id = ?",
        s -> s.setString(1, leaseId),
        TaskQueue::readTask);
  }

  /**
   * Extends a current lease to {@code now + leaseSeconds}.
   *
   * @return false when the lease is not current (LEASE_LOST)
   */
  public boolean renew(String leaseId, Instant now) {
    Instant expires = now.plus(leaseLength());
    return sql.run(
        "renew a lease",
        connection -> {
          int updated =
              Sql.update(
                  connection,
                  "UPDATE tasks SET lease_expires_at = ? WHERE lease_id = ? AND state = 'RUNNING'"
                      + " AND lease_expires_at > ?",
                  s -> {
                    setInstant(s, 1, expires);
                    s.setString(2, leaseId);
                    setInstant(s, 3, now);
                  });
          if (updated == 1) {
            // A renewal is a heartbeat too: a busy worker with no free slot does not claim.
            Sql.update(
                connection,
                "UPDATE workers SET last_seen_at = ? WHERE id ="
                    + " (SELECT worker_id FROM tasks WHERE lease_id = ?)",
                s -> {
                  setInstant(s, 1, now);
                  s.setString(2, leaseId);
                });
          }
          return updated == 1;
        });
  }

  /** What {@link #complete} did. */
  public enum Completion {
    /** Recorded now, with its completion event. */
    COMPLETED,
    /** This lease had completed the task already: a repeated report, acknowledged. */
    ALREADY_COMPLETED,
    /** The lease is not current. */
    LEASE_LOST
  }

  /** Records a task's output and queues its completion event, in one transaction. */
  public Completion complete(String leaseId, String outputJson, Instant now) {
    requireNonNull(outputJson, "outputJson");
    return sql.inTransaction(
        "complete a task",
        connection -> {
          Optional<TaskRecord> task = byLease(connection, leaseId);
          if (task.isEmpty()) {
            return Completion.LEASE_LOST;
          }
          if (task.get().state() == TaskState.SUCCEEDED) {
            return Completion.ALREADY_COMPLETED;
          }
          int updated =
              Sql.update(
                  connection,
                  "UPDATE tasks SET state = 'SUCCEEDED', output = ?, finished_at = ?,"
                      + " lease_expires_at = NULL WHERE lease_id = ? AND state = 'RUNNING'"
                      + " AND lease_expires_at > ?",
                  s -> {
                    s.setString(1, outputJson);
                    setInstant(s, 2, now);
                    s.setString(3, leaseId);
                    setInstant(s, 4, now);
                  });
          if (updated != 1) {
            return Completion.LEASE_LOST;
          }
          Events.insert(
              connection,
              task.get().jobId(),
              task.get().taskId(),
              CompletionEvent.Kind.TASK_SUCCEEDED,
              now);
          return Completion.COMPLETED;
        });
  }

  /** What {@link #fail} did. */
  public enum Failure {
    /** Queued again, after a back-off. */
    RETRYING,
    /** Failed for good: its completion event will fail the job. */
    FAILED,
    /**
     * Given back by a worker that is shutting down ({@code WORKER_SHUTDOWN}): queued again at once,
     * the attempt not counted, as when the worker leaves.
     */
    RELEASED,
    /**
     * A jcodec worker could not read the source (codec or container) while an ffmpeg worker is
     * alive: the job is pinned to ffmpeg workers and the task queued again at once, the attempt not
     * counted.
     */
    REROUTED,
    /** The lease is not current. */
    LEASE_LOST
  }

  /** The codes a jcodec worker reports for sources that an ffmpeg worker may still read. */
  private static final java.util.Set<FailureCode> FFMPEG_MAY_READ =
      java.util.EnumSet.of(FailureCode.UNSUPPORTED_CODEC, FailureCode.UNSUPPORTED_CONTAINER);

  /**
   * Records a worker's failure report: a recoverable failure before the attempt limit queues the
   * task again after an exponential back-off; anything else fails it (and, through its completion
   * event, the job).
   */
  public Failure fail(String leaseId, TaskFailure failure, Instant now) {
    requireNonNull(failure, "failure");
    return sql.inTransaction(
        "fail a task",
        connection -> {
          Optional<TaskRecord> task = byLease(connection, leaseId);
          if (task.isEmpty() || task.get().state() != TaskState.RUNNING) {
            return Failure.LEASE_LOST;
          }
          TaskRecord t = task.get();
          if (failure.recoverable() && failure.code() == FailureCode.WORKER_SHUTDOWN) {
            // The task did not fail, its worker stopped: like a worker leaving (releaseWorker),
            // the task is queued at once and the attempt is not counted. Counting it would let a
            // rolling restart of the fleet fail a job whose last attempt was running.
            if (!release(connection, leaseId, failure, now)) {
              return Failure.LEASE_LOST;
            }
            log.info(
                "task {} of job {} given back by its worker on attempt {}: {}",
                t.taskId(),
                t.jobId(),
                t.attempt(),
                failure.message());
            return Failure.RELEASED;
          }
          if (FFMPEG_MAY_READ.contains(failure.code())
              && reroutable(connection, t, now)
              && release(connection, leaseId, failure, now)) {
            Sql.update(
                connection,
                "UPDATE jobs SET requires_backend = ? WHERE id = ?",
                s -> {
                  s.setString(1, WorkerInfo.FFMPEG);
                  s.setLong(2, t.jobId());
                });
            log.info(
                "task {} of job {}: a jcodec worker cannot read the source ({}); the job now runs"
                    + " on ffmpeg workers only",
                t.taskId(),
                t.jobId(),
                failure.code());
            return Failure.REROUTED;
          }
          boolean retry = failure.recoverable() && t.attempt() < config.maxAttempts();
          Instant next = retry ? now.plus(backoff(t.attempt())) : now;
          boolean done =
              endAttempt(
                  connection,
                  t,
                  retry,
                  failure.code().name(),
                  failure.message(),
                  next,
                  now,
                  "lease_id = ? AND state = 'RUNNING' AND lease_expires_at > ?",
                  leaseId);
          if (!done) {
            return Failure.LEASE_LOST;
          }
          log.info(
              "task {} of job {} attempt {} failed with {} ({}): {}",
              t.taskId(),
              t.jobId(),
              t.attempt(),
              failure.code(),
              retry ? "retrying at " + next : "giving up",
              failure.message());
          return retry ? Failure.RETRYING : Failure.FAILED;
        });
  }

  /** Queues a running task again at once, its attempt not counted; false when the lease is gone. */
  private static boolean release(
      Connection connection, String leaseId, TaskFailure failure, Instant now) throws SQLException {
    return Sql.update(
            connection,
            "UPDATE tasks SET state = 'QUEUED', lease_id = NULL, lease_expires_at = NULL,"
                + " attempt = attempt - 1, next_attempt_at = ?, error_code = ?,"
                + " error_message = ?"
                + " WHERE lease_id = ? AND state = 'RUNNING' AND lease_expires_at > ?",
            s -> {
              setInstant(s, 1, now);
              s.setString(2, failure.code().name());
              s.setString(3, clip(failure.message()));
              s.setString(4, leaseId);
              setInstant(s, 5, now);
            })
        == 1;
  }

  /**
   * Whether a failure of {@code t} is worth another try on ffmpeg: it ran on a jcodec worker, its
   * job is not pinned yet, and an ffmpeg worker has been seen within the worker timeout (without
   * one the job would wait for a worker that may never come, so it fails as usual).
   */
  private boolean reroutable(Connection connection, TaskRecord t, Instant now) throws SQLException {
    Optional<String> backend =
        Sql.queryOne(
            connection,
            "SELECT backend FROM workers WHERE id = ?",
            s -> s.setString(1, t.workerId()),
            row -> row.getString(1));
    if (!backend.equals(Optional.of(WorkerInfo.JCODEC))) {
      return false;
    }
    boolean pinned =
        Sql.queryOne(
                connection,
                "SELECT requires_backend FROM jobs WHERE id = ?",
                s -> s.setLong(1, t.jobId()),
                row -> row.getString(1) != null)
            .orElse(true);
    if (pinned) {
      return false;
    }
    return Sql.queryOne(
                connection,
                "SELECT COUNT(*) FROM workers WHERE backend = ? AND last_seen_at > ?",
                s -> {
                  s.setString(1, WorkerInfo.FFMPEG);
                  setInstant(s, 2, now.minusSeconds(config.workerTimeoutSeconds()));
                },
                row -> row.getLong(1))
            .orElse(0L)
        > 0;
  }

  /** The delay before attempt {@code attempt + 1}: base × 2^(attempt − 1), capped. */
  public Duration backoff(int attempt) {
    long base = config.retryBackoffSeconds();
    long delay = base << Math.min(Math.max(attempt - 1, 0), 20);
    return Duration.ofSeconds(Math.min(delay, config.retryBackoffMaxSeconds()));
  }

  /**
   * Ends a running attempt: back to QUEUED (lease dropped) or FAILED (with its completion event).
   * The condition (with {@code leaseId} and {@code now} as its parameters) fences the update.
   */
  private static boolean endAttempt(
      Connection connection,
      TaskRecord t,
      boolean retry,
      String code,
      String message,
      Instant next,
      Instant now,
      String condition,
      String leaseId)
      throws SQLException {
    String clipped = clip(message);
    int updated =
        Sql.update(
            connection,
            "UPDATE tasks SET state = ?, lease_id = NULL, lease_expires_at = NULL,"
                + " next_attempt_at = ?, finished_at = ?, error_code = ?, error_message = ?"
                + " WHERE "
                + condition,
            s -> {
              s.setString(1, retry ? "QUEUED" : "FAILED");
              setInstant(s, 2, next);
              setInstant(s, 3, retry ? null : now);
              s.setString(4, code);
              s.setString(5, clipped);
              s.setString(6, leaseId);
              setInstant(s, 7, now);
            });
    if (updated == 1 && !retry) {
      Events.insert(connection, t.jobId(), t.taskId(), CompletionEvent.Kind.TASK_FAILED, now);
    }
    return updated == 1;
  }

  private static String clip(String message) {
    return message.length() > 1000 ? message.substring(0, 999) + "…" : message;
  }

  /**
   * The reaper's sweep: every lease past its expiry goes back to the queue at once (the next claim
   * makes a new attempt with a new lease id), or fails the task with {@code TIMEOUT} when it was
   * the last allowed attempt.
   *
   * @return the video of each lease that expired, one entry per lease
   */
  public List<VideoId> expireLeases(Instant now) {
    List<TaskRecord> expired =
        sql.run(
            "find expired leases",
            connection ->
                Sql.queryList(
                    connection,
                    "SELECT "
                        + TASK_COLUMNS
                        + " FROM tasks t JOIN jobs j ON j.id = t.job_id"
                        + " WHERE t.state = 'RUNNING' AND t.lease_expires_at <= ?",
                    s -> setInstant(s, 1, now),
                    TaskQueue::readTask));
    List<VideoId> videos = new java.util.ArrayList<>();
    for (TaskRecord t : expired) {
      boolean retry = t.attempt() < config.maxAttempts();
      boolean done =
          sql.inTransaction(
              "expire a lease",
              connection ->
                  endAttempt(
                      connection,
                      t,
                      retry,
                      "TIMEOUT",
                      "the lease of worker " + t.workerId() + " expired",
                      now,
                      now,
                      "lease_id = ? AND state = 'RUNNING' AND lease_expires_at <= ?",
                      t.leaseId()));
      if (done) {
        videos.add(t.videoId());
        log.warn(
            "task {} of job {}: lease of worker {} expired on attempt {}; {}",
            t.taskId(),
            t.jobId(),
            t.workerId(),
            t.attempt(),
            retry ? "queued again" : "failed (attempt limit)");
      }
    }
    return videos;
  }

  /** The videos whose tasks {@code workerId} holds leases on now, each once. */
  public List<VideoId> runningVideosOf(String workerId) {
    return sql.run(
        "find a worker's videos",
        connection ->
            Sql.queryList(
                connection,
                "SELECT DISTINCT j.video_id FROM tasks t JOIN jobs j ON j.id = t.job_id"
                    + " WHERE t.worker_id = ? AND t.state = 'RUNNING'",
                s -> s.setString(1, workerId),
                row -> new VideoId(row.getString(1).trim())));
  }

  /**
   * Gives a leaving worker's running tasks back to the queue at once. The attempt is not counted
   * against the retry limit: the worker gave up the task, the task did not fail.
   *
   * @return how many tasks went back
   */
  public int releaseWorker(String workerId, Instant now) {
    return sql.run(
        "release a worker's tasks",
        connection ->
            Sql.update(
                connection,
                "UPDATE tasks SET state = 'QUEUED', lease_id = NULL, lease_expires_at = NULL,"
                    + " attempt = attempt - 1, next_attempt_at = ?"
                    + " WHERE worker_id = ? AND state = 'RUNNING'",
                s -> {
                  setInstant(s, 1, now);
                  s.setString(2, workerId);
                }));
  }

  /** Tasks in {@code state}, for metrics. */
  public int count(TaskState state) {
    return sql.run(
        "count tasks",
        connection ->
            Sql.queryOne(
                    connection,
                    "SELECT COUNT(*) FROM tasks WHERE state = ?",
                    s -> s.setString(1, state.name()),
                    row -> row.getInt(1))
                .orElse(0));
  }

  static TaskRecord readTask(ResultSet row) throws SQLException {
    return new TaskRecord(
        row.getLong("job_id"),
        new VideoId(row.getString("video_id").trim()),
        row.getString("task_id"),
        row.getInt("seq"),
        TaskType.valueOf(row.getString("type").toUpperCase(java.util.Locale.ROOT)),
        row.getInt("stage"),
        TaskState.valueOf(row.getString("state")),
        row.getInt("attempt"),
        getInstant(row, "next_attempt_at"),
        row.getString("lease_id"),
        row.getString("worker_id"),
        getInstant(row, "lease_expires_at"),
        getInstant(row, "started_at"),
        getInstant(row, "finished_at"),
        row.getString("error_code"),
        row.getString("error_message"),
        row.getString("input"),
        row.getString("output"));
  }
}
