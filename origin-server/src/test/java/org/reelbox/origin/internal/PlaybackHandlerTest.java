package org.reelbox.origin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.Tokens;
import org.reelbox.common.storage.BlobInfo;

/** The handler alone on an {@link EmbeddedChannel}, with an in-memory streamed object. */
class PlaybackHandlerTest {
  static final String ID = "dQw4w9WgXcQ";
  static final byte[] SEGMENT = "0123456789".getBytes(StandardCharsets.US_ASCII);

  private SimpleMeterRegistry registry;
  private EmbeddedChannel channel;
  private int opens;

  @BeforeEach
  void setUp() {
    registry = new SimpleMeterRegistry();
    StoredObject.Opener opener =
        key -> {
          opens++;
          if (!key.equals("hls/" + ID + "/720p/0.ts")) {
            return Optional.empty();
          }
          BlobInfo info = new BlobInfo(key, SEGMENT.length, Instant.ofEpochSecond(1_700_000_000));
          return Optional.of(
              new StoredObject() {
                @Override
                public BlobInfo info() {
                  return info;
                }

                @Override
                public Body body(long offset, long length) {
                  return new StreamBody(
                      new ByteArrayInputStream(SEGMENT, (int) offset, (int) length), length);
                }

                @Override
                public void close() {}
              });
        };
    OriginService service =
        new OriginService(
            opener,
            new Tokens(KeyRing.derivedFrom("x".repeat(40)), Clock.systemUTC()),
            false,
            60,
            Runnable::run,
            registry,
            /* jit= */ null);
    channel = new EmbeddedChannel(new PlaybackHandler(service));
  }

  @AfterEach
  void tearDown() {
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  private void request(HttpMethod method, String uri, String... headers) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    for (int i = 0; i < headers.length; i += 2) {
      r.headers().set(headers[i], headers[i + 1]);
    }
    channel.writeInbound(r);
    channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
    channel.runPendingTasks();
  }

  /** The response head, and the body bytes that followed it up to the last content. */
  private String readResponse(StringBuilder body) {
    HttpResponse head = channel.readOutbound();
    String status = String.valueOf(head.status().code());
    if (head instanceof FullHttpResponse full) {
      body.append(full.content().toString(StandardCharsets.US_ASCII));
      full.release();
      return status;
    }
    for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
      HttpContent c = (HttpContent) o;
      ByteBuf b = c.content();
      body.append(b.toString(StandardCharsets.US_ASCII));
      c.release();
      if (c instanceof LastHttpContent) {
        break;
      }
    }
    return status;
  }

  @Test
  void get_segment_streamedInFull() {
    request(HttpMethod.GET, "/v/" + ID + "/720p/0.ts");
    StringBuilder body = new StringBuilder();
    assertThat(readResponse(body)).isEqualTo("200");
    assertThat(body).hasToString("0123456789");
    assertThat(registry.get("origin.bytes.sent").counter().count()).isEqualTo(10.0);
  }

  @Test
  void get_range_206Slice() {
    request(HttpMethod.GET, "/v/" + ID + "/720p/0.ts", "Range", "bytes=2-4");
    StringBuilder body = new StringBuilder();
    assertThat(readResponse(body)).isEqualTo("206");
    assertThat(body).hasToString("234");
  }

  @Test
  void traversal_neverOpens() {
    request(HttpMethod.GET, "/v/" + ID + "/..%2f..%2fetc/passwd");
    StringBuilder body = new StringBuilder();
    assertThat(readResponse(body)).isEqualTo("400");
    assertThat(opens).isZero();
  }

  @Test
  void key_withoutToken_403NeverOpens() {
    request(HttpMethod.GET, "/v/" + ID + "/keys/0.key");
    StringBuilder body = new StringBuilder();
    assertThat(readResponse(body)).isEqualTo("403");
    assertThat(opens).isZero();
  }

  @Test
  void otherPath_passedOnUntouched() {
    FullHttpRequest other =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/x", Unpooled.copiedBuffer(SEGMENT));
    channel.writeInbound(other);
    FullHttpRequest passed = channel.readInbound();
    assertThat(passed.uri()).isEqualTo("/api/x");
    passed.release();
  }

  @Test
  void pipelined_whileBusy_queuedAndAnsweredInOrder() {
    // The first request's blocking work is run inline, so queueing shows up only as ordering.
    request(HttpMethod.GET, "/v/" + ID + "/720p/0.ts");
    request(HttpMethod.HEAD, "/v/" + ID + "/720p/9.ts");
    StringBuilder body = new StringBuilder();
    assertThat(readResponse(body)).isEqualTo("200");
    assertThat(readResponse(new StringBuilder())).isEqualTo("404");
  }
}
