package org.reelbox.edge.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.playback.ObjectKind;
import org.reelbox.common.playback.OrderedPlaybackHandler;
import org.reelbox.common.playback.PlaybackAdmission;
import org.reelbox.common.playback.PlaybackCors;
import org.reelbox.common.playback.PlaybackErrors;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.edge.cache.CachedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers playback requests ({@code /v/…}, {@code /t/{token}/v/…}) on one connection, from the box
 * when it can and through the origin when it must; everything else goes on down the pipeline.
 *
 * <p>Order of work: parse (400/404), method (405, OPTIONS preflight 204), token (403/410), all on
 * the event loop and before any lookup, so a refused request costs no disk read and no origin
 * fetch. Then, for a cache key (the token-free {@link PlaybackPath#relativePath()}):
 *
 * <ol>
 *   <li>memory tier, fresh: written at once from the shared direct buffer (the fast path: no
 *       allocation but the headers, no thread hop);
 *   <li>a fetch in flight for the key: join it (coalescing);
 *   <li>the disk, on the disk executor: a verified copy is moved into a direct buffer, offered to
 *       the memory tier and written;
 *   <li>the origin, through the coalescing {@link Fetcher}; the answer streams to the client as it
 *       arrives.
 * </ol>
 *
 * <p>Playlists past their freshness skip the disk and go to the origin, with the stale copy as the
 * fallback when the origin fails. Keys are always proxied (never cached). Responses go out in
 * request order, as at the origin: reading stops while one is produced.
 */
public final class EdgeHandler extends OrderedPlaybackHandler {
  private static final Logger log = LoggerFactory.getLogger(EdgeHandler.class);

  private final EdgeService service;

  public EdgeHandler(EdgeService service) {
    this.service = requireNonNull(service, "service");
  }

  @Override
  protected void serve(ChannelHandlerContext ctx, HttpRequest request) {
    long start = System.nanoTime();
    PlaybackAdmission admission = PlaybackAdmission.check(request, service::authorize);
    if (admission.refusal() != null) {
      ApiException e = admission.refusal();
      refuse(ctx, request, e.code(), e.getMessage(), admission.allow());
      return;
    }
    if (admission.preflight()) {
      sendPreflight(ctx);
      return;
    }
    PlaybackPath path = admission.path();
    HttpMethod method = request.method();
    if (path.kind() == ObjectKind.KEY) {
      Fetch fetch = service.fetcher.startPrivate(path, start + service.originTimeoutNanos);
      new Responder(ctx, request, path, fetch, start, false, null).begin();
      return;
    }
    if (path.kind() == ObjectKind.SEGMENT && method.equals(HttpMethod.GET)) {
      service.prefetcher.segmentRequested(path);
    } else if (path.kind() == ObjectKind.MASTER_PLAYLIST && method.equals(HttpMethod.GET)) {
      service.views().count(path.videoId());
    }
    lookup(ctx, request, path, start);
  }

  private void lookup(
      ChannelHandlerContext ctx, HttpRequest request, PlaybackPath path, long start) {
    String key = path.relativePath();
    HotObject hot = service.memory.get(key);
    if (hot != null && hot.isFresh(System.nanoTime()) && serveHot(ctx, request, path, hot, start)) {
      return;
    }
    if (hot != null && path.kind().isPlaylist()) {
      // Stale: ask the origin again, keep this copy in case it fails.
      fetchFromOrigin(ctx, request, path, start, hot.retain() ? hot : null);
      return;
    }
    if (service.fetcher.inFlight(key) != null) {
      fetchFromOrigin(ctx, request, path, start, null);
      return;
    }
    try {
      service.diskExecutor.execute(() -> readDisk(ctx, request, path, start));
    } catch (RejectedExecutionException e) {
      refuse(ctx, request, ErrorCode.UNAVAILABLE, "shutting down", null);
    }
  }

  /** On the disk executor. */
  private void readDisk(
      ChannelHandlerContext ctx, HttpRequest request, PlaybackPath path, long start) {
    HotObject found = null;
    try {
      Optional<CachedObject> stored = service.disk.get(path.relativePath());
      if (stored.isPresent()) {
        found = toHot(stored.get(), path.kind());
      }
    } catch (RuntimeException e) {
      log.warn("cache read of {} failed: {}", path.relativePath(), e.toString());
    }
    HotObject h = found;
    try {
      ctx.executor().execute(() -> afterDisk(ctx, request, path, start, h));
    } catch (RejectedExecutionException e) {
      if (h != null) {
        h.release();
      }
    }
  }

  private HotObject toHot(CachedObject object, ObjectKind kind) {
    int size = (int) object.sizeBytes();
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(Math.max(size, 1), Math.max(size, 1));
    buf.writeBytes(object.body());
    // A playlist read back from disk has no known age: serve it only when the origin fails.
    long freshUntil = kind.isPlaylist() ? System.nanoTime() : Long.MAX_VALUE;
    return new HotObject(buf, object.metadata(), null, freshUntil);
  }

  private void afterDisk(
      ChannelHandlerContext ctx, HttpRequest request, PlaybackPath path, long start, HotObject h) {
    if (h == null) {
      fetchFromOrigin(ctx, request, path, start, null);
      return;
    }
    service.memory.offer(path.relativePath(), h);
    if (path.kind().isPlaylist()) {
      fetchFromOrigin(ctx, request, path, start, h); // h is released by the responder
      return;
    }
    try {
      if (!serveHot(ctx, request, path, h, start)) {
        fetchFromOrigin(ctx, request, path, start, null);
      }
    } finally {
      h.release();
    }
  }

  private void fetchFromOrigin(
      ChannelHandlerContext ctx,
      HttpRequest request,
      PlaybackPath path,
      long start,
      HotObject fallback) {
    boolean[] joined = new boolean[1];
    Fetch fetch = service.fetcher.acquire(path, start + service.originTimeoutNanos, joined);
    if (joined[0]) {
      service.countCoalesced();
    }
    new Responder(ctx, request, path, fetch, start, joined[0], fallback).begin();
  }

  /**
   * Writes a whole answer from a hot object. Returns false, having written nothing, if the body was
   * released meanwhile (evicted and freed between the lookup and now).
   */
  private boolean serveHot(
      ChannelHandlerContext ctx,
      HttpRequest request,
      PlaybackPath path,
      HotObject hot,
      long start) {
    ResponsePlan plan =
        ResponsePlan.decide(
            request,
            hot.size(),
            hot.metadata.contentType(),
            hot.etag,
            hot.lastModifiedInstant(),
            hot.lastModified,
            service.cacheControl(path.kind(), hot.cacheControl),
            "HIT");
    if (plan.unsatisfiable()) {
      service.countHit(0, start);
      sendError(
          ctx,
          request,
          ErrorCode.RANGE_NOT_SATISFIABLE,
          "range not satisfiable",
          null,
          "bytes */" + plan.size());
      return true;
    }
    ByteBuf content = Unpooled.EMPTY_BUFFER;
    if (plan.length() > 0) {
      content = hot.retainedSlice((int) plan.offset(), (int) plan.length());
      if (content == null) {
        return false;
      }
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            plan.status(),
            content,
            plan.headers(),
            EmptyHttpHeaders.INSTANCE);
    long bytes = plan.length();
    ctx.writeAndFlush(response);
    service.countHit(bytes, start);
    done(ctx);
    return true;
  }

  private void sendPreflight(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(PlaybackCors.preflight());
    done(ctx);
  }

  /** A request refused before any lookup. */
  private void refuse(
      ChannelHandlerContext ctx,
      HttpRequest request,
      ErrorCode code,
      String message,
      String allow) {
    service.countError();
    sendError(ctx, request, code, message, allow, null);
  }

  private void sendError(
      ChannelHandlerContext ctx,
      HttpRequest request,
      ErrorCode code,
      String message,
      String allow,
      String contentRange) {
    if (code.httpStatus() >= 500) {
      service.countServerError();
    }
    ctx.writeAndFlush(PlaybackErrors.response(request, code, message, allow, contentRange));
    done(ctx);
  }

  /**
   * Streams one origin fetch to one client: waits for the headers (with the lock timeout when it
   * joined another request's fetch), decides the answer, then writes slices of the fetch's buffer
   * as they fill. Runs on the connection's event loop; the fetch's notifications hop onto it.
   */
  private final class Responder implements Fetch.Listener {
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final PlaybackPath path;
    private final long start;
    private final boolean joined;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private Fetch fetch;
    private HotObject fallback;
    private ScheduledFuture<?> lockTimer;
    private boolean headersSent;
    private boolean finished;
    private long cursor;
    private long end;
    private long written;

    Responder(
        ChannelHandlerContext ctx,
        HttpRequest request,
        PlaybackPath path,
        Fetch fetch,
        long start,
        boolean joined,
        HotObject fallback) {
      this.ctx = ctx;
      this.request = request;
      this.path = path;
      this.fetch = fetch;
      this.start = start;
      this.joined = joined;
      this.fallback = fallback;
    }

    void begin() {
      if (joined) {
        lockTimer =
            ctx.executor()
                .schedule(this::lockTimeout, service.lockTimeoutNanos, TimeUnit.NANOSECONDS);
      }
      if (!fetch.attach(this)) {
        // The fetch finished and was stored between our lookup and now: look again.
        finished = true;
        cancelTimer();
        releaseFallback();
        lookup(ctx, request, path, start);
      }
    }

    @Override
    public void onChange() {
      if (scheduled.compareAndSet(false, true)) {
        try {
          ctx.executor()
              .execute(
                  () -> {
                    scheduled.set(false);
                    pump();
                  });
        } catch (RejectedExecutionException e) {
          // The event loop is shutting down: so is the connection.
        }
      }
    }

    /** Past the lock timeout with no headers yet: stop waiting for the shared fetch. */
    private void lockTimeout() {
      if (finished || headersSent) {
        return;
      }
      Fetch.Snapshot s = fetch.snapshot();
      if (s.head() != null || s.failure() != null) {
        return;
      }
      fetch.detach(this);
      fetch = service.fetcher.startOwn(path, start + service.originTimeoutNanos);
      fetch.attach(this);
    }

    private void pump() {
      if (finished) {
        return;
      }
      if (!ctx.channel().isActive()) {
        finish();
        return;
      }
      Fetch.Snapshot s = fetch.snapshot();
      if (!headersSent) {
        if (s.failure() != null) {
          failBeforeHeaders(s.failure());
          return;
        }
        if (s.head() == null) {
          return;
        }
        cancelTimer();
        Fetch.Head head = s.head();
        var metadata = head.metadata();
        ResponsePlan plan =
            ResponsePlan.decide(
                request,
                head.contentLength(),
                path.kind() == ObjectKind.KEY ? path.kind().contentType() : metadata.contentType(),
                metadata.etag(),
                metadata.lastModified(),
                metadata.lastModified() == null
                    ? null
                    : org.reelbox.common.playback.Validators.httpDate(metadata.lastModified()),
                service.cacheControl(path.kind(), head.cacheControl()),
                "MISS");
        if (plan.unsatisfiable()) {
          finished = true;
          detachAll();
          service.countMiss(0, start);
          sendError(
              ctx,
              request,
              ErrorCode.RANGE_NOT_SATISFIABLE,
              "range not satisfiable",
              null,
              "bytes */" + plan.size());
          return;
        }
        ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, plan.status(), plan.headers()));
        headersSent = true;
        cursor = plan.offset();
        end = plan.offset() + plan.length();
      }
      long available = Math.min(s.received(), end);
      if (available > cursor) {
        ByteBuf slice = fetch.retainedSlice(cursor, available - cursor);
        written += available - cursor;
        cursor = available;
        ctx.write(new DefaultHttpContent(slice), ctx.voidPromise());
      }
      if (cursor >= end) {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        finish();
        done(ctx);
        return;
      }
      if (s.failure() != null) {
        // Headers are out: the only honest signal left is to close the connection.
        ctx.flush();
        ctx.close();
        finish();
        return;
      }
      ctx.flush();
    }

    private void failBeforeHeaders(ApiException failure) {
      finished = true;
      cancelTimer();
      fetch.detach(this);
      if (failure.httpStatus() >= 500 && fallback != null) {
        // The origin failed: serve what the box has (a stale playlist).
        HotObject stale = fallback;
        fallback = null;
        try {
          if (serveHot(ctx, request, path, stale, start)) {
            return;
          }
        } finally {
          stale.release();
        }
      }
      releaseFallback();
      service.countMiss(0, start);
      sendError(ctx, request, failure.code(), failure.getMessage(), null, null);
    }

    private void finish() {
      if (finished) {
        return;
      }
      finished = true;
      detachAll();
      service.countMiss(written, start);
    }

    private void detachAll() {
      cancelTimer();
      fetch.detach(this);
      releaseFallback();
    }

    private void cancelTimer() {
      if (lockTimer != null) {
        lockTimer.cancel(false);
        lockTimer = null;
      }
    }

    private void releaseFallback() {
      if (fallback != null) {
        fallback.release();
        fallback = null;
      }
    }
  }
}
