package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.json.Json;
import org.reelbox.common.work.ClaimRequest;
import org.reelbox.common.work.TaskCompletion;
import org.reelbox.common.work.TaskFailure;
import org.reelbox.common.work.WorkProtocol;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.control.work.ResourceManager;
import org.reelbox.control.work.TaskQueue;
import org.reelbox.control.work.WorkerQueue;

/**
 * {@code /internal/work/*}: the work protocol (docs/transcoding.md §2, {@link WorkProtocol}),
 * behind {@link ClusterAuthHandler}. Bodies bind strictly to the {@code common.work} records:
 * malformed JSON is 400 {@code INVALID_JSON}; an unknown field, a missing one, or a value out of
 * range 400 {@code VALIDATION_FAILED}; a lease that is not current 409 {@code LEASE_LOST}.
 *
 * <p>A claim is a long poll: when no task is ready it is held, without a thread, until one becomes
 * ready (a signal from the resource manager, or the once-a-second recheck that catches back-offs
 * running out) or {@code waitSeconds} pass (204).
 */
public final class WorkApi {
  private static final long RECHECK_MILLIS = 1000;

  private final ResourceManager work;

  public WorkApi(ResourceManager work) {
    this.work = requireNonNull(work, "work");
  }

  /** Mounts the routes; the router must already check cluster auth on {@code /internal/*}. */
  public void mount(Router router) {
    router.post(WorkProtocol.CLAIM_PATH).handler(this::claim);
    router.post(WorkProtocol.LEASES_PATH + ":leaseId/renew").handler(this::renew);
    router.post(WorkProtocol.LEASES_PATH + ":leaseId/complete").handler(this::complete);
    router.post(WorkProtocol.LEASES_PATH + ":leaseId/fail").handler(this::fail);
    router.delete(WorkProtocol.WORKERS_PATH + ":workerId").handler(this::leave);
  }

  // ---- claim

  private void claim(RoutingContext ctx) {
    ClaimRequest request = read(ctx, ClaimRequest.class);
    check(request);
    ApiSupport.blocking(
            ctx,
            () -> {
              work.heartbeat(request.worker());
              return work.tryClaim(request.worker(), request.fuseLimit());
            })
        .onFailure(ctx::fail)
        .onSuccess(
            found -> {
              if (found.isPresent()) {
                ApiSupport.sendJson(ctx, 200, found.get());
              } else if (request.waitSeconds() == 0 || request.worker().freeSlots() <= 0) {
                ctx.response().setStatusCode(204).end();
              } else {
                new Waiter(ctx, request).start();
              }
            });
  }

  static void check(ClaimRequest request) {
    int wait = request.waitSeconds();
    if (wait < 0 || wait > WorkProtocol.MAX_CLAIM_WAIT_SECONDS) {
      throw JsonBody.invalid(
          "waitSeconds must be from 0 to " + WorkProtocol.MAX_CLAIM_WAIT_SECONDS + ", got " + wait);
    }
    int fuse = request.fuseLimit();
    if (fuse < 1 || fuse > WorkProtocol.MAX_FUSE_LIMIT) {
      throw JsonBody.invalid(
          "fuseLimit must be from 1 to "
              + WorkProtocol.MAX_FUSE_LIMIT
              + " (the most tasks the worker runs as one process), got "
              + fuse);
    }
    WorkerInfo w = request.worker();
    if (!WorkerQueue.isWorkerId(w.workerId())) {
      throw JsonBody.invalid("worker.workerId must be 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    if (w.host().isBlank() || w.host().length() > 255) {
      throw JsonBody.invalid("worker.host must be 1 to 255 characters");
    }
    if (w.backend().isBlank() || w.backend().length() > 16) {
      throw JsonBody.invalid("worker.backend must be 1 to 16 characters, such as ffmpeg");
    }
    if (w.version().length() > 64) {
      throw JsonBody.invalid("worker.version must be at most 64 characters");
    }
    if (w.cores() < 1 || w.slots() < 1 || w.freeSlots() < 0 || w.freeSlots() > w.slots()) {
      throw JsonBody.invalid(
          "worker: cores and slots must be at least 1, and freeSlots from 0 to slots; got cores "
              + w.cores()
              + ", slots "
              + w.slots()
              + ", freeSlots "
              + w.freeSlots());
    }
    if (w.hwEncoders().size() > 16 || w.hwEncoders().stream().anyMatch(e -> e.length() > 32)) {
      throw JsonBody.invalid("worker.hwEncoders: at most 16 names of at most 32 characters");
    }
  }

  /** A held claim: retried when signalled and once a second, answered by its deadline. */
  private final class Waiter {
    private final RoutingContext ctx;
    private final WorkerInfo worker;
    private final int fuseLimit;
    private final Vertx vertx;
    private final Context context;
    private final Runnable listener;
    private long deadlineTimer;
    private long recheckTimer;
    private boolean busy;
    private boolean again;
    private boolean expired;
    private boolean done;

    Waiter(RoutingContext ctx, ClaimRequest request) {
      this.ctx = ctx;
      this.worker = request.worker();
      this.fuseLimit = request.fuseLimit();
      this.vertx = ctx.vertx();
      this.context = vertx.getOrCreateContext();
      this.listener = () -> context.runOnContext(v -> attempt());
      this.deadlineTimer = vertx.setTimer(request.waitSeconds() * 1000L, id -> expire());
    }

    void start() {
      recheckTimer = vertx.setPeriodic(RECHECK_MILLIS, id -> attempt());
      work.signal().subscribe(listener);
      ctx.response().closeHandler(v -> finish());
    }

    private void attempt() {
      if (done) {
        return;
      }
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      vertx
          .executeBlocking(() -> work.tryClaim(worker, fuseLimit), false)
          .onComplete(
              result -> {
                busy = false;
                if (done) {
                  return;
                }
                if (result.failed()) {
                  finish();
                  ctx.fail(result.cause());
                } else if (result.result().isPresent()) {
                  finish();
                  ApiSupport.sendJson(ctx, 200, result.result().get());
                } else if (expired) {
                  answerNothing();
                } else if (again) {
                  again = false;
                  attempt();
                }
              });
    }

    private void expire() {
      expired = true;
      if (!busy) {
        answerNothing();
      }
    }

    private void answerNothing() {
      if (!done) {
        finish();
        ctx.response().setStatusCode(204).end();
      }
    }

    private void finish() {
      done = true;
      vertx.cancelTimer(deadlineTimer);
      vertx.cancelTimer(recheckTimer);
      work.signal().unsubscribe(listener);
    }
  }

  // ---- leases

  private void renew(RoutingContext ctx) {
    String leaseId = leaseId(ctx);
    ApiSupport.blocking(ctx, () -> work.renew(leaseId))
        .onFailure(ctx::fail)
        .onSuccess(
            renewal -> {
              if (renewal.isPresent()) {
                ApiSupport.sendJson(ctx, 200, renewal.get());
              } else {
                leaseLost(ctx, leaseId);
              }
            });
  }

  private void complete(RoutingContext ctx) {
    String leaseId = leaseId(ctx);
    TaskCompletion completion = read(ctx, TaskCompletion.class);
    ApiSupport.blocking(
            ctx,
            () -> {
              try {
                return work.complete(leaseId, completion.output());
              } catch (IllegalArgumentException e) {
                throw JsonBody.invalid(e.getMessage());
              }
            })
        .onFailure(ctx::fail)
        .onSuccess(
            result -> {
              if (result == TaskQueue.Completion.LEASE_LOST) {
                leaseLost(ctx, leaseId);
              } else {
                ctx.response().setStatusCode(204).end();
              }
            });
  }

  private void fail(RoutingContext ctx) {
    String leaseId = leaseId(ctx);
    TaskFailure failure = read(ctx, TaskFailure.class);
    ApiSupport.blocking(ctx, () -> work.fail(leaseId, failure))
        .onFailure(ctx::fail)
        .onSuccess(
            current -> {
              if (current) {
                ctx.response().setStatusCode(204).end();
              } else {
                leaseLost(ctx, leaseId);
              }
            });
  }

  private void leave(RoutingContext ctx) {
    String workerId = ctx.pathParam("workerId");
    if (!WorkerQueue.isWorkerId(workerId)) {
      throw JsonBody.invalid("a worker id is 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    ApiSupport.blocking(ctx, () -> work.leave(workerId))
        .onFailure(ctx::fail)
        .onSuccess(
            known -> {
              if (known) {
                ctx.response().setStatusCode(204).end();
              } else {
                // 404, not 400: the worker loop (encoder WorkClient.leave) takes 404 as "already
                // gone", which is what a worker dropped for silence sees when it leaves.
                ctx.fail(
                    new ApiException(
                        ErrorCode.NOT_FOUND, "no worker '" + workerId + "' in the worker queue"));
              }
            });
  }

  private static String leaseId(RoutingContext ctx) {
    String leaseId = ctx.pathParam("leaseId");
    if (!TaskQueue.isLeaseId(leaseId)) {
      throw JsonBody.invalid("a lease id is a lower-case UUID as the claim returned it");
    }
    return leaseId;
  }

  private static void leaseLost(RoutingContext ctx, String leaseId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", WorkProtocol.LEASE_LOST);
    body.put(
        "message",
        "lease "
            + leaseId
            + " is not current (it expired, or the task was reassigned or cancelled):"
            + " stop the task and write nothing more");
    ApiSupport.sendJson(ctx, 409, body);
  }

  // ---- bodies

  private static final ObjectReader STRICT =
      Json.mapper()
          .reader()
          .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** The body as a {@code common.work} record: 400 on anything that does not bind. */
  static <T> T read(RoutingContext ctx, Class<T> type) {
    Buffer buffer = ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      throw new ApiException(ErrorCode.INVALID_JSON, "the request body must be a JSON object");
    }
    T value;
    try {
      value = STRICT.forType(type).readValue(buffer.getBytes());
    } catch (JsonParseException e) {
      throw new ApiException(ErrorCode.INVALID_JSON, "the request body is not valid JSON");
    } catch (JsonProcessingException e) {
      throw JsonBody.invalid(
          "the body is not a valid "
              + type.getSimpleName()
              + ": "
              + shorten(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ApiException(ErrorCode.INVALID_JSON, "the request body is not valid JSON");
    }
    if (value == null) {
      throw new ApiException(ErrorCode.INVALID_JSON, "the request body must be a JSON object");
    }
    return value;
  }

  private static String shorten(String message) {
    String m = Optional.ofNullable(message).orElse("");
    return m.length() > 300 ? m.substring(0, 300) + "…" : m;
  }
}
