package org.reelbox.common.http;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.observe.Health;
import org.reelbox.common.observe.RoleMetrics;

/**
 * Answers {@code /healthz}, {@code /readyz} and {@code /metrics} in front of a role's own handlers,
 * and passes every other request through untouched (headers and body).
 *
 * <p>Readiness checks may block (a database or S3 ping), so they run on {@code blockingExecutor}
 * and the answer is written back from there; Netty hands the write to the event loop.
 */
public final class AdminEndpointsHandler extends ChannelInboundHandlerAdapter {
  private final Health health;
  private final RoleMetrics metrics;
  private final Executor blockingExecutor;

  /** True while the body of a request this handler answered is still arriving: drop it. */
  private boolean swallowing;

  public AdminEndpointsHandler(Health health, RoleMetrics metrics, Executor blockingExecutor) {
    this.health = requireNonNull(health, "health");
    this.metrics = requireNonNull(metrics, "metrics");
    this.blockingExecutor = requireNonNull(blockingExecutor, "blockingExecutor");
  }

  /** Whether {@code path} (without query) is one of the admin endpoints. */
  public static boolean isAdminPath(String path) {
    return path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      String path = new QueryStringDecoder(request.uri()).path();
      if (isAdminPath(path)) {
        swallowing = !(msg instanceof LastHttpContent);
        ReferenceCountUtil.release(msg);
        answer(ctx, request, path);
        return;
      }
      swallowing = false;
    } else if (msg instanceof HttpContent && swallowing) {
      swallowing = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private void answer(ChannelHandlerContext ctx, HttpRequest request, String path) {
    if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
      HttpResponses.sendError(
          ctx, request, ErrorCode.METHOD_NOT_ALLOWED, path + " answers GET and HEAD only");
      return;
    }
    switch (path) {
      case "/healthz" -> {
        Health.Status s = health.liveness();
        HttpResponses.sendJson(
            ctx, request, HttpResponseStatus.valueOf(s.httpStatus()), s.toJsonMap());
      }
      case "/readyz" ->
          CompletableFuture.supplyAsync(health::readiness, blockingExecutor)
              .whenComplete(
                  (s, err) -> {
                    if (err != null) {
                      HttpResponses.sendError(
                          ctx, request, ErrorCode.UNAVAILABLE, "readiness check failed");
                    } else {
                      HttpResponses.sendJson(
                          ctx, request, HttpResponseStatus.valueOf(s.httpStatus()), s.toJsonMap());
                    }
                  });
      default ->
          CompletableFuture.supplyAsync(metrics::scrape, blockingExecutor)
              .whenComplete(
                  (text, err) -> {
                    if (err != null) {
                      HttpResponses.sendError(ctx, request, ErrorCode.INTERNAL, "scrape failed");
                    } else {
                      HttpResponses.sendText(
                          ctx, request, HttpResponseStatus.OK, RoleMetrics.CONTENT_TYPE, text);
                    }
                  });
    }
  }
}
