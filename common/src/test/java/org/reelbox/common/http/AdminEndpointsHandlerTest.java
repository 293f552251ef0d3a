package org.reelbox.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reelbox.common.observe.Health;
import org.reelbox.common.observe.RoleMetrics;

class AdminEndpointsHandlerTest {
  private RoleMetrics metrics;
  private Health health;
  private EmbeddedChannel channel;

  @BeforeEach
  void setUp() {
    metrics = RoleMetrics.create("test");
    health = new Health("test");
    // Run "blocking" work inline so the embedded channel sees the answer at once.
    channel = new EmbeddedChannel(new AdminEndpointsHandler(health, metrics, Runnable::run));
  }

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
    metrics.close();
  }

  private FullHttpResponse request(HttpMethod method, String uri) {
    channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri));
    channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
    channel.runPendingTasks();
    return channel.readOutbound();
  }

  private static String body(FullHttpResponse r) {
    try {
      return r.content().toString(StandardCharsets.UTF_8);
    } finally {
      r.release();
    }
  }

  @Test
  void healthz_running_200Up() {
    FullHttpResponse r = request(HttpMethod.GET, "/healthz");
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(body(r)).contains("\"status\":\"UP\"");
  }

  @Test
  void readyz_beforeMarkReady_503() {
    FullHttpResponse r = request(HttpMethod.GET, "/readyz?verbose=1");
    assertThat(r.status().code()).isEqualTo(503);
    assertThat(body(r)).contains("starting");
  }

  @Test
  void readyz_failingCheck_503NamesCheck() {
    health.markReady();
    health.addCheck(
        "db",
        () -> {
          throw new IllegalStateException("down");
        });
    FullHttpResponse r = request(HttpMethod.GET, "/readyz");
    assertThat(r.status().code()).isEqualTo(503);
    assertThat(body(r)).contains("\"db\":\"DOWN: IllegalStateException\"");
  }

  @Test
  void healthz_stopping_503() {
    health.markStopping();
    assertThat(request(HttpMethod.GET, "/healthz").status().code()).isEqualTo(503);
    channel.releaseOutbound();
  }

  @Test
  void metrics_get_prometheusText() {
    FullHttpResponse r = request(HttpMethod.GET, "/metrics");
    assertThat(r.headers().get("content-type")).startsWith("text/plain; version=0.0.4");
    assertThat(body(r)).contains("jvm_memory_used_bytes").contains("role=\"test\"");
  }

  @Test
  void head_healthz_noBody() {
    FullHttpResponse r = request(HttpMethod.HEAD, "/healthz");
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.content().readableBytes()).isZero();
    r.release();
  }

  @Test
  void post_metrics_405ErrorBody() {
    FullHttpResponse r = request(HttpMethod.POST, "/metrics");
    assertThat(r.status().code()).isEqualTo(405);
    assertThat(body(r)).contains("\"error\":\"METHOD_NOT_ALLOWED\"");
  }

  @Test
  void postWithBody_toAdminPath_bodyIsSwallowed() {
    channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/healthz"));
    channel.writeInbound(
        new DefaultHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8)));
    channel.writeInbound(
        new DefaultLastHttpContent(Unpooled.copiedBuffer("d", StandardCharsets.UTF_8)));
    assertThat((Object) channel.readInbound()).isNull();
    ((FullHttpResponse) channel.readOutbound()).release();
  }

  @Test
  void otherPath_passesRequestAndBodyThrough() {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/files/x");
    channel.writeInbound(req);
    channel.writeInbound(
        new DefaultLastHttpContent(Unpooled.copiedBuffer("d", StandardCharsets.UTF_8)));
    assertThat((Object) channel.readInbound()).isSameAs(req);
    LastHttpContent content = channel.readInbound();
    assertThat(content.content().toString(StandardCharsets.UTF_8)).isEqualTo("d");
    content.release();
    assertThat((Object) channel.readOutbound()).isNull();
  }
}
