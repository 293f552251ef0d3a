package org.reelbox.edge.internal;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.http.HttpResponses;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.common.security.ClusterAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DELETE /internal/cache/videos/{id}}: removes every stored object of one video from both
 * tiers (a re-encode, a takedown), answering {@code {"videoId": id, "removed": n}} with the number
 * of disk entries removed. Needs the cluster credential ({@link ClusterAuth}): 401 without it, 403
 * with a wrong one. Other requests go on down the pipeline.
 *
 * <p>The purge runs on the disk executor (RocksDB deletes); reading from the connection pauses
 * meanwhile so that answers stay in request order.
 */
public final class PurgeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(PurgeHandler.class);
  static final String PREFIX = "/internal/cache/";
  private static final String VIDEOS = PREFIX + "videos/";

  private final EdgeService service;
  private boolean swallowing;

  public PurgeHandler(EdgeService service) {
    this.service = requireNonNull(service, "service");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && request.uri().startsWith(PREFIX)) {
      swallowing = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      handle(ctx, request);
    } else if (swallowing && !(msg instanceof HttpRequest)) {
      swallowing = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void handle(ChannelHandlerContext ctx, HttpRequest request) {
    String auth = request.headers().get(ClusterAuth.HEADER_NAME);
    if (auth == null) {
      HttpResponses.sendError(
          ctx, request, ErrorCode.UNAUTHORIZED, "the cluster credential is required");
      return;
    }
    if (!service.clusterAuth.isValid(auth)) {
      HttpResponses.sendError(ctx, request, ErrorCode.FORBIDDEN, "wrong cluster credential");
      return;
    }
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query >= 0 ? uri.substring(0, query) : uri;
    if (!path.startsWith(VIDEOS)) {
      HttpResponses.sendError(ctx, request, ErrorCode.NOT_FOUND, "no such resource");
      return;
    }
    String videoId = path.substring(VIDEOS.length());
    if (!PlaybackPath.VIDEO_ID.matcher(videoId).matches()) {
      HttpResponses.sendError(ctx, request, ErrorCode.BAD_REQUEST, "malformed video id");
      return;
    }
    if (!request.method().equals(HttpMethod.DELETE)) {
      HttpResponses.sendError(ctx, request, ErrorCode.METHOD_NOT_ALLOWED, "answers DELETE");
      return;
    }
    ctx.channel().config().setAutoRead(false);
    try {
      service.diskExecutor.execute(
          () -> {
            int removed;
            try {
              removed = service.purgeVideo(videoId);
            } catch (RuntimeException e) {
              log.warn("purge of {} failed: {}", videoId, e.toString());
              ctx.executor()
                  .execute(
                      () -> {
                        HttpResponses.sendError(ctx, request, ErrorCode.INTERNAL, "purge failed");
                        ctx.channel().config().setAutoRead(true);
                      });
              return;
            }
            log.info("purged video {}: {} entries", videoId, removed);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("videoId", videoId);
            body.put("removed", removed);
            ctx.executor()
                .execute(
                    () -> {
                      HttpResponses.sendJson(ctx, request, HttpResponseStatus.OK, body);
                      ctx.channel().config().setAutoRead(true);
                    });
          });
    } catch (RejectedExecutionException e) {
      ctx.channel().config().setAutoRead(true);
      HttpResponses.sendError(ctx, request, ErrorCode.UNAVAILABLE, "shutting down");
    }
  }
}
