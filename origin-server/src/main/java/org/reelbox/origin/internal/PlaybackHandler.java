package org.reelbox.origin.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.playback.ByteRange;
import org.reelbox.common.playback.OrderedPlaybackHandler;
import org.reelbox.common.playback.PlaybackAdmission;
import org.reelbox.common.playback.PlaybackCors;
import org.reelbox.common.playback.PlaybackErrors;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.common.playback.Validators;
import org.reelbox.common.storage.BlobInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers playback requests ({@code /v/…} and {@code /t/{token}/v/…}) on one connection; every
 * other request goes on down the pipeline untouched.
 *
 * <p>Order of work for a request, cheapest and unauthenticated first: parse and validate the path
 * ({@link PlaybackPath}: 400/404), the method (405; {@code OPTIONS} is the CORS preflight, 204),
 * the token ({@link OriginService#authorize}: 403/410). Only then does anything touch storage, on
 * the blocking executor: open (404 when missing), conditionals (304), range (206/416), body.
 *
 * <p>Responses go out in request order (HTTP/1.1 pipelining): while one is being produced, reading
 * from the socket stops and requests already decoded wait in a small queue; a client that pipelines
 * more than {@value OrderedPlaybackHandler#MAX_QUEUED} messages is disconnected.
 *
 * <p>Storage work is always off the event loop, for the file store too: a stat or open on a cold
 * disk can take milliseconds, which would stall every other connection of the loop. The body is
 * then written from the event loop: a {@link io.netty.channel.FileRegion} (zero-copy) for the file
 * store, a {@link StreamPump} for S3, one buffer for what just-in-time packaging made in memory.
 */
public final class PlaybackHandler extends OrderedPlaybackHandler {
  private static final Logger log = LoggerFactory.getLogger(PlaybackHandler.class);

  private final OriginService service;

  public PlaybackHandler(OriginService service) {
    this.service = requireNonNull(service, "service");
  }

  @Override
  protected void serve(ChannelHandlerContext ctx, HttpRequest request) {
    PlaybackAdmission admission = PlaybackAdmission.check(request, service::authorize);
    PlaybackPath path = admission.path();
    String kind = path == null ? "invalid" : path.kind().metricTag();
    if (admission.refusal() != null) {
      ApiException e = admission.refusal();
      sendError(ctx, request, kind, e.code(), e.getMessage(), admission.allow());
      return;
    }
    if (admission.preflight()) {
      sendPreflight(ctx, request, kind);
      return;
    }
    // Counted for the cost ledger unless an edge box is filling its cache.
    boolean viewer = !admission.edgeFetch();
    if (viewer) {
      service.viewerTraffic().countRequest();
    }
    try {
      service.blockingExecutor().execute(() -> prepare(ctx, request, path, viewer));
    } catch (RejectedExecutionException e) {
      sendError(ctx, request, kind, ErrorCode.UNAVAILABLE, "shutting down", null);
    }
  }

  /** On the blocking executor: open, evaluate conditionals and range, take the body. */
  private void prepare(
      ChannelHandlerContext ctx, HttpRequest request, PlaybackPath path, boolean viewer) {
    String kind = path.kind().metricTag();
    Prepared prepared;
    try {
      prepared = prepareFromStorage(request, path);
    } catch (ApiException e) {
      prepared = Prepared.error(e.code(), e.getMessage(), null);
    } catch (Exception e) {
      if (StoredObject.isNotFound(e)) {
        prepared = Prepared.error(ErrorCode.NOT_FOUND, "no such resource", null);
      } else {
        // The key only: never the request target, which may carry a token.
        log.warn("reading {} failed: {}", path.blobKey(), e.toString());
        prepared = Prepared.error(ErrorCode.INTERNAL, "storage read failed", null);
      }
    }
    Prepared p = prepared;
    try {
      ctx.executor().execute(() -> write(ctx, request, kind, p, viewer));
    } catch (RejectedExecutionException e) {
      if (p.body != null) {
        p.body.discard(); // the event loop is gone: so is the connection
      }
    }
  }

  /**
   * The stored object, or else (a master playlist that storage lacks, or the reserved JIT
   * rendition, which storage never has) the just-in-time one.
   */
  private Prepared prepareFromStorage(HttpRequest request, PlaybackPath path) throws Exception {
    JitPackager jit = service.jit();
    if (jit == null || !JitPackager.isJitPath(path)) {
      try (StoredObject object = service.opener().open(path.blobKey()).orElse(null)) {
        if (object != null) {
          return decide(request, path, object, service.cacheControl(path.kind()));
        }
      }
    }
    if (jit != null) {
      Optional<JitPackager.Answer> answer = jit.open(path);
      if (answer.isPresent()) {
        try (StoredObject object = answer.get().object()) {
          return decide(request, path, object, answer.get().cacheControl());
        }
      }
    }
    return Prepared.error(ErrorCode.NOT_FOUND, "no such resource", null);
  }

  private Prepared decide(
      HttpRequest request, PlaybackPath path, StoredObject object, String cacheControl)
      throws Exception {
    BlobInfo info = object.info();
    long size = info.sizeBytes();
    String etag = Validators.etag(info);
    HttpHeaders h = request.headers();
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    HttpHeaders rh = PlaybackCors.addTo(head.headers());
    rh.set(HttpHeaderNames.ETAG, etag);
    rh.set(HttpHeaderNames.LAST_MODIFIED, Validators.httpDate(info.lastModified()));
    rh.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
    rh.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    if (Validators.notModified(
        h.get(HttpHeaderNames.IF_NONE_MATCH),
        h.get(HttpHeaderNames.IF_MODIFIED_SINCE),
        etag,
        info.lastModified())) {
      head.setStatus(HttpResponseStatus.NOT_MODIFIED);
      rh.remove(HttpHeaderNames.ACCEPT_RANGES);
      return new Prepared(head, null, null);
    }
    rh.set(HttpHeaderNames.CONTENT_TYPE, path.kind().contentType());
    // RFC 9110 §14.2: Range applies to GET only.
    boolean get = request.method().equals(HttpMethod.GET);
    String range =
        get && Validators.ifRangeHolds(h.get(HttpHeaderNames.IF_RANGE), etag, info.lastModified())
            ? h.get(HttpHeaderNames.RANGE)
            : null;
    ByteRange.Request wanted = ByteRange.parse(range, size);
    if (wanted instanceof ByteRange.Unsatisfiable) {
      return Prepared.error(
          ErrorCode.RANGE_NOT_SATISFIABLE, "range not satisfiable", "bytes */" + size);
    }
    long offset = 0;
    long length = size;
    if (wanted instanceof ByteRange.Partial partial) {
      head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
      rh.set(HttpHeaderNames.CONTENT_RANGE, partial.range().contentRange(size));
      offset = partial.range().first();
      length = partial.range().length();
    }
    rh.set(HttpHeaderNames.CONTENT_LENGTH, length);
    if (!get || length == 0) {
      return new Prepared(head, null, null);
    }
    return new Prepared(head, object.body(offset, length), null);
  }

  /** On the event loop: write what {@link #prepare} decided. */
  private void write(
      ChannelHandlerContext ctx, HttpRequest request, String kind, Prepared p, boolean viewer) {
    if (p.error != null) {
      ApiException e = p.error;
      sendError(ctx, request, kind, e.code(), e.getMessage(), null, p.contentRange);
      return;
    }
    service.countResponse(kind, p.head.status().code());
    if (!ctx.channel().isActive()) {
      if (p.body != null) {
        p.body.discard();
      }
      done(ctx);
      return;
    }
    if (p.body == null) {
      ctx.write(p.head);
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      done(ctx);
      return;
    }
    ctx.write(p.head);
    if (p.body instanceof StoredObject.RegionBody region) {
      writeWhole(ctx, kind, region.region(), region.length(), viewer);
    } else if (p.body instanceof StoredObject.BytesBody bytes) {
      writeWhole(
          ctx,
          kind,
          Unpooled.wrappedBuffer(bytes.bytes(), bytes.offset(), (int) bytes.length()),
          bytes.length(),
          viewer);
    } else if (p.body instanceof StoredObject.StreamBody stream) {
      ctx.flush();
      new StreamPump(
              ctx,
              stream.in(),
              stream.length(),
              service.blockingExecutor(),
              n -> {
                service.countBytes(kind, n);
                if (viewer) {
                  service.viewerTraffic().countBytes(n);
                }
              },
              () -> done(ctx))
          .start();
    }
  }

  /**
   * Writes a body Netty sends in one piece (a file region or a buffer), counted once it is out; a
   * failed write closes the connection.
   */
  private void writeWhole(
      ChannelHandlerContext ctx, String kind, Object body, long count, boolean viewer) {
    ctx.write(body)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                service.countBytes(kind, count);
                if (viewer) {
                  service.viewerTraffic().countBytes(count);
                }
              } else {
                ctx.close();
              }
            });
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    done(ctx);
  }

  private void sendPreflight(ChannelHandlerContext ctx, HttpRequest request, String kind) {
    service.countResponse(kind, 204);
    ctx.writeAndFlush(PlaybackCors.preflight());
    done(ctx);
  }

  private void sendError(
      ChannelHandlerContext ctx,
      HttpRequest request,
      String kind,
      ErrorCode code,
      String message,
      String allow) {
    sendError(ctx, request, kind, code, message, allow, null);
  }

  private void sendError(
      ChannelHandlerContext ctx,
      HttpRequest request,
      String kind,
      ErrorCode code,
      String message,
      String allow,
      String contentRange) {
    FullHttpResponse r = PlaybackErrors.response(request, code, message, allow, contentRange);
    service.countResponse(kind, code.httpStatus());
    int bytes = r.content().readableBytes(); // none for HEAD
    if (bytes > 0) {
      service.countBytes(kind, bytes);
    }
    ctx.writeAndFlush(r);
    done(ctx);
  }

  /** What the blocking step decided: a head and maybe a body, or an error. */
  private record Prepared(
      HttpResponse head, StoredObject.Body body, ApiException error, String contentRange) {
    Prepared(HttpResponse head, StoredObject.Body body, ApiException error) {
      this(head, body, error, null);
    }

    static Prepared error(ErrorCode code, String message, String contentRange) {
      return new Prepared(null, null, new ApiException(code, message), contentRange);
    }
  }
}
