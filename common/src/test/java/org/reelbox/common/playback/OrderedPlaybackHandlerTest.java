package org.reelbox.common.playback;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reelbox.common.error.ErrorCode;

class OrderedPlaybackHandlerTest {
  private static final String MASTER = "/v/dQw4w9WgXcQ/master.m3u8";
  private static final String SEGMENT = "/v/dQw4w9WgXcQ/720p/0.ts";

  /** Answers nothing by itself: the test says when each response is done. */
  private static final class Recording extends OrderedPlaybackHandler {
    final List<String> served = new ArrayList<>();
    ChannelHandlerContext ctx;

    @Override
    protected void serve(ChannelHandlerContext ctx, HttpRequest request) {
      this.ctx = ctx;
      served.add(request.uri());
    }

    void finish() {
      done(ctx);
    }
  }

  private static DefaultFullHttpRequest get(String uri) {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
  }

  @Test
  void pipelinedRequests_areServedOneAtATime_inOrder_andReadingPausesMeanwhile() {
    Recording h = new Recording();
    EmbeddedChannel ch = new EmbeddedChannel(h);
    ch.writeInbound(get(MASTER));
    assertThat(h.served).containsExactly(MASTER);
    assertThat(ch.config().isAutoRead()).isFalse();
    ch.writeInbound(get(SEGMENT));
    DefaultFullHttpRequest api = get("/api/v1/videos");
    ch.writeInbound(api);
    assertThat(h.served).containsExactly(MASTER);
    assertThat((Object) ch.readInbound()).as("waits behind the playback response").isNull();

    h.finish();
    assertThat(h.served).containsExactly(MASTER, SEGMENT);
    assertThat((Object) ch.readInbound()).isNull();
    h.finish();
    assertThat((Object) ch.readInbound()).isSameAs(api);
    assertThat(ch.config().isAutoRead()).isTrue();
    api.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void otherRequests_passOnWithTheirBody_playbackBodiesAreDropped() {
    Recording h = new Recording();
    EmbeddedChannel ch = new EmbeddedChannel(h);
    HttpRequest upload = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/files");
    HttpContent part = new DefaultHttpContent(Unpooled.copiedBuffer("ab", StandardCharsets.UTF_8));
    HttpContent last =
        new DefaultLastHttpContent(Unpooled.copiedBuffer("cd", StandardCharsets.UTF_8));
    ch.writeInbound(upload, part, last);
    assertThat((Object) ch.readInbound()).isSameAs(upload);
    assertThat((Object) ch.readInbound()).isSameAs(part);
    assertThat((Object) ch.readInbound()).isSameAs(last);
    part.release();
    last.release();

    ch.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, SEGMENT));
    h.finish(); // answered before its body arrived
    ByteBuf body = Unpooled.copiedBuffer("xyz", StandardCharsets.UTF_8);
    ch.writeInbound(new DefaultLastHttpContent(body));
    assertThat(body.refCnt()).as("a playback request's body is released").isZero();
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(h.served).containsExactly(SEGMENT);
    ch.finishAndReleaseAll();
  }

  @Test
  void tooManyPipelinedMessages_closeTheConnection_andReleaseWhatWaited() {
    Recording h = new Recording();
    EmbeddedChannel ch = new EmbeddedChannel(h);
    ch.writeInbound(get(MASTER));
    List<DefaultFullHttpRequest> waiting = new ArrayList<>();
    for (int i = 0; i < OrderedPlaybackHandler.MAX_QUEUED; i++) {
      DefaultFullHttpRequest r = get(SEGMENT);
      waiting.add(r);
      ch.writeInbound(r);
    }
    assertThat(ch.isOpen()).isTrue();
    DefaultFullHttpRequest oneTooMany = get(SEGMENT);
    ch.writeInbound(oneTooMany);
    assertThat(ch.isOpen()).isFalse();
    assertThat(waiting).allSatisfy(r -> assertThat(r.refCnt()).isZero());
    assertThat(oneTooMany.refCnt()).isZero();
    assertThat(h.served).containsExactly(MASTER);
  }

  @Test
  void errorAnswer_isJsonNoStoreWithCors_andHeadHasNoBody() {
    FullHttpResponse get =
        PlaybackErrors.response(
            get(SEGMENT),
            ErrorCode.RANGE_NOT_SATISFIABLE,
            "range not satisfiable",
            null,
            "bytes */9");
    assertThat(get.status().code()).isEqualTo(416);
    String json = get.content().toString(StandardCharsets.UTF_8);
    assertThat(json).contains("\"error\"").contains("range not satisfiable");
    assertThat(get.headers().getInt("Content-Length")).isEqualTo(json.length());
    assertThat(get.headers().get("Cache-Control")).isEqualTo("no-store");
    assertThat(get.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(get.headers().get("Content-Range")).isEqualTo("bytes */9");
    assertThat(get.headers().contains("Allow")).isFalse();

    FullHttpResponse head =
        PlaybackErrors.response(
            new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, SEGMENT),
            ErrorCode.METHOD_NOT_ALLOWED,
            "answers GET, HEAD and OPTIONS",
            PlaybackCors.ALLOW,
            null);
    assertThat(head.status().code()).isEqualTo(405);
    assertThat(head.content().readableBytes()).isZero();
    assertThat(head.headers().getInt("Content-Length")).isPositive();
    assertThat(head.headers().get("Allow")).isEqualTo(PlaybackCors.ALLOW);
    get.release();
    head.release();
  }
}
