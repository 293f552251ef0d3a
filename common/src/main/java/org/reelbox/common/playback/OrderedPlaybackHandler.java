package org.reelbox.common.playback;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection half of a playback handler (origin and edge): takes playback requests ({@link
 * PlaybackPath#isPlaybackTarget}) off the pipeline and passes every other message on untouched,
 * body included.
 *
 * <p>Responses go out in request order (HTTP/1.1 pipelining): while one playback response is being
 * produced, reading from the socket stops and messages already decoded wait in a small queue; a
 * client that pipelines more than {@value #MAX_QUEUED} messages is disconnected. The subclass
 * answers in {@link #serve} and calls {@link #done} on the event loop once the answer is queued for
 * writing; the next request is then taken.
 */
public abstract class OrderedPlaybackHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(OrderedPlaybackHandler.class);

  public static final int MAX_QUEUED = 64;

  private final ArrayDeque<Object> queued = new ArrayDeque<>();

  /** A playback response is being produced. */
  private boolean busy;

  /** The body of a request that was passed on is passed on too. */
  private boolean forwarding;

  /**
   * Answers one playback request, on the event loop; must lead to exactly one {@link #done} call,
   * on the event loop, whatever happens. The request's reference has already been released.
   */
  protected abstract void serve(ChannelHandlerContext ctx, HttpRequest request);

  @Override
  public final void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (busy) {
      queued.add(msg);
      if (queued.size() > MAX_QUEUED) {
        releaseQueued();
        ctx.close();
      }
      return;
    }
    handle(ctx, msg);
  }

  private void handle(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      forwarding = !PlaybackPath.isPlaybackTarget(request.uri());
      if (forwarding) {
        ctx.fireChannelRead(msg);
        forwarding = !(msg instanceof LastHttpContent);
        return;
      }
      ReferenceCountUtil.release(msg); // a request body is never needed here
      busy = true;
      ctx.channel().config().setAutoRead(false);
      serve(ctx, request);
    } else if (forwarding) {
      forwarding = !(msg instanceof LastHttpContent);
      ctx.fireChannelRead(msg);
    } else {
      ReferenceCountUtil.release(msg); // the body of a playback request
    }
  }

  /** On the event loop, once the current response has been queued for writing. */
  protected final void done(ChannelHandlerContext ctx) {
    busy = false;
    while (!busy && !queued.isEmpty()) {
      handle(ctx, queued.poll());
    }
    if (!busy) {
      ctx.channel().config().setAutoRead(true);
      ctx.read();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseQueued();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseQueued();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing connection after {}", cause.toString());
    ctx.close();
  }

  private void releaseQueued() {
    Object m;
    while ((m = queued.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }
}
