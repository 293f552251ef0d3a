package org.reelbox.common.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorBody;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.json.Json;

/** Small helpers to answer a Netty request with JSON, text or an error body. */
public final class HttpResponses {
  public static final String JSON = "application/json; charset=utf-8";

  private HttpResponses() {}

  /** Writes a full response, honouring keep-alive and HEAD (headers only). */
  public static void send(
      ChannelHandlerContext ctx,
      HttpRequest request,
      HttpResponseStatus status,
      String contentType,
      byte[] body) {
    boolean head = request.method().equals(HttpMethod.HEAD);
    ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    var future = ctx.writeAndFlush(response);
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }

  public static void sendJson(
      ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, Object body) {
    send(ctx, request, status, JSON, Json.writeBytes(body));
  }

  public static void sendText(
      ChannelHandlerContext ctx,
      HttpRequest request,
      HttpResponseStatus status,
      String contentType,
      String body) {
    send(ctx, request, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers {@code {"error": code, "message": message}} with the code's status. */
  public static void sendError(
      ChannelHandlerContext ctx, HttpRequest request, ErrorCode code, String message) {
    send(
        ctx,
        request,
        HttpResponseStatus.valueOf(code.httpStatus()),
        JSON,
        ErrorBody.of(code, message).toJson().getBytes(StandardCharsets.UTF_8));
  }

  public static void sendError(ChannelHandlerContext ctx, HttpRequest request, ApiException e) {
    sendError(ctx, request, e.code(), e.getMessage());
  }
}
