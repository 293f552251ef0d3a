package org.reelbox.origin.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongConsumer;

/**
 * Copies a blocking {@link InputStream} (an S3 response) to the channel without holding more than
 * one chunk of it in memory.
 *
 * <p>Each chunk is read on the blocking executor, never on the event loop (an S3 read can wait on
 * the network), and the next read is scheduled only once the previous chunk has been written to the
 * socket: the write future completes when the bytes have left Netty's outbound buffer, so a slow
 * client slows the reads down instead of filling the heap. This is the backpressure that a {@code
 * ChunkedStream} would give, without its blocking reads on the event loop.
 *
 * <p>A stream that ends before {@code length} bytes is an error: the connection is closed, since
 * the {@code Content-Length} already sent cannot be honoured.
 */
final class StreamPump implements Runnable {
  /** 64 KiB: a few socket buffers' worth, and S3 clients read in about this size. */
  static final int CHUNK_BYTES = 64 * 1024;

  private final ChannelHandlerContext ctx;
  private final InputStream in;
  private final Executor executor;
  private final LongConsumer onBytesWritten;
  private final Runnable onDone;
  private long remaining;

  /**
   * @param onBytesWritten told the size of each chunk written
   * @param onDone run on the event loop once the last chunk is queued for writing, or after a
   *     failure has closed the channel
   */
  StreamPump(
      ChannelHandlerContext ctx,
      InputStream in,
      long length,
      Executor executor,
      LongConsumer onBytesWritten,
      Runnable onDone) {
    this.ctx = requireNonNull(ctx, "ctx");
    this.in = requireNonNull(in, "in");
    this.executor = requireNonNull(executor, "executor");
    this.onBytesWritten = requireNonNull(onBytesWritten, "onBytesWritten");
    this.onDone = requireNonNull(onDone, "onDone");
    this.remaining = length;
  }

  /** Starts pumping; called on the event loop after the response head is written. */
  void start() {
    if (remaining == 0) {
      closeQuietly();
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      onDone.run();
      return;
    }
    schedule();
  }

  private void schedule() {
    try {
      executor.execute(this);
    } catch (RejectedExecutionException e) {
      fail(); // shutting down
    }
  }

  @Override
  public void run() {
    if (!ctx.channel().isActive()) {
      fail();
      return;
    }
    int want = (int) Math.min(CHUNK_BYTES, remaining);
    ByteBuf buf = ctx.alloc().buffer(want);
    try {
      while (buf.readableBytes() < want) {
        int n = buf.writeBytes(in, want - buf.readableBytes());
        if (n < 0) {
          throw new EOFException("object ended " + (remaining - buf.readableBytes()) + " early");
        }
      }
    } catch (IOException | RuntimeException e) {
      buf.release();
      fail();
      return;
    }
    remaining -= want;
    boolean last = remaining == 0;
    HttpContent content = last ? new DefaultLastHttpContent(buf) : new DefaultHttpContent(buf);
    ctx.writeAndFlush(content)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                fail();
                return;
              }
              onBytesWritten.accept(want);
              if (last) {
                closeQuietly();
                onDone.run();
              } else {
                schedule();
              }
            });
  }

  private void fail() {
    closeQuietly();
    ctx.channel().close();
    ctx.executor().execute(onDone);
  }

  private void closeQuietly() {
    try {
      in.close();
    } catch (IOException e) {
      // the response is over either way
    }
  }
}
