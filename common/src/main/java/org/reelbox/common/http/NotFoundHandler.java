package org.reelbox.common.http;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import org.reelbox.common.error.ErrorCode;

/** The last handler of a pipeline: answers 404 with an error body to whatever reaches it. */
@Sharable
public final class NotFoundHandler extends ChannelInboundHandlerAdapter {
  public static final NotFoundHandler INSTANCE = new NotFoundHandler();

  private NotFoundHandler() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest request) {
        HttpResponses.sendError(ctx, request, ErrorCode.NOT_FOUND, "no such resource");
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }
}
