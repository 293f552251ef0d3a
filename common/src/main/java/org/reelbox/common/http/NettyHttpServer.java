package org.reelbox.common.http;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.observe.Health;
import org.reelbox.common.observe.RoleMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 server of the Netty roles (origin, edge, encoder).
 *
 * <p>Pipeline per connection: {@code HttpServerCodec → HttpServerKeepAliveHandler → idle timeout →
 * AdminEndpointsHandler → the role's handlers → NotFoundHandler}. Bodies are not aggregated: a role
 * that wants whole bodies adds its own aggregator, and one that streams (uploads, segments) sees
 * {@code HttpContent} pieces as they arrive.
 *
 * <p>Defaults: one event loop thread per core (at least 2), 60 s idle timeout, 8 KiB initial line
 * and headers, and a 4-thread pool for blocking admin work (readiness checks, metric scrapes).
 */
public final class NettyHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NettyHttpServer.class);

  private final String role;
  private final HttpConfig http;
  private final Health health;
  private final RoleMetrics metrics;
  private final List<Supplier<ChannelHandler>> handlers;
  private final int idleTimeoutSeconds;
  private final int ioThreads;

  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private ExecutorService blockingExecutor;
  private Channel serverChannel;
  private InetSocketAddress boundAddress;

  private NettyHttpServer(Builder b) {
    this.role = b.role;
    this.http = requireNonNull(b.http, "http");
    this.health = requireNonNull(b.health, "health");
    this.metrics = requireNonNull(b.metrics, "metrics");
    this.handlers = List.copyOf(b.handlers);
    this.idleTimeoutSeconds = b.idleTimeoutSeconds;
    this.ioThreads = b.ioThreads;
  }

  public static Builder builder(String role) {
    return new Builder(role);
  }

  /** Binds the port; returns the bound address (the real port when the config asked for 0). */
  public InetSocketAddress start() throws InterruptedException {
    bossGroup =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory(role + "-accept"), NioIoHandler.newFactory());
    workerGroup =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory(role + "-io"), NioIoHandler.newFactory());
    blockingExecutor =
        Executors.newFixedThreadPool(4, new DefaultThreadFactory(role + "-admin", true));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    p.addLast("codec", new HttpServerCodec());
                    p.addLast("keepAlive", new HttpServerKeepAliveHandler());
                    p.addLast(
                        "idle", new IdleStateHandler(0, 0, idleTimeoutSeconds, TimeUnit.SECONDS));
                    p.addLast("idleClose", new IdleCloseHandler());
                    p.addLast(
                        "admin", new AdminEndpointsHandler(health, metrics, blockingExecutor));
                    int i = 0;
                    for (Supplier<ChannelHandler> h : handlers) {
                      p.addLast("role" + i++, h.get());
                    }
                    p.addLast("notFound", NotFoundHandler.INSTANCE);
                  }
                });
    try {
      serverChannel = bootstrap.bind(http.host(), http.port()).sync().channel();
    } catch (Exception e) {
      close();
      throw e;
    }
    boundAddress = (InetSocketAddress) serverChannel.localAddress();
    return boundAddress;
  }

  public InetSocketAddress address() {
    if (boundAddress == null) {
      throw new IllegalStateException(role + " server not started");
    }
    return boundAddress;
  }

  /** Stops accepting, lets in-flight responses finish for up to 2 s, then frees the threads. */
  @Override
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    if (bossGroup != null) {
      bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (workerGroup != null) {
      workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (blockingExecutor != null) {
      blockingExecutor.shutdownNow();
    }
    log.debug("{} http server closed", role);
  }

  /** Builds a {@link NettyHttpServer}; see the class doc for the defaults. */
  public static final class Builder {
    private final String role;
    private HttpConfig http;
    private Health health;
    private RoleMetrics metrics;
    private final List<Supplier<ChannelHandler>> handlers = new ArrayList<>();
    private int idleTimeoutSeconds = 60;
    private int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

    private Builder(String role) {
      this.role = requireNonNull(role, "role");
    }

    public Builder http(HttpConfig http) {
      this.http = http;
      return this;
    }

    public Builder health(Health health) {
      this.health = health;
      return this;
    }

    public Builder metrics(RoleMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** Adds a role handler; the supplier is called once per connection. */
    public Builder handler(Supplier<ChannelHandler> handler) {
      handlers.add(requireNonNull(handler, "handler"));
      return this;
    }

    public Builder idleTimeoutSeconds(int seconds) {
      if (seconds <= 0) {
        throw new IllegalArgumentException("idleTimeoutSeconds must be > 0, got " + seconds);
      }
      this.idleTimeoutSeconds = seconds;
      return this;
    }

    public Builder ioThreads(int threads) {
      if (threads <= 0) {
        throw new IllegalArgumentException("ioThreads must be > 0, got " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    public NettyHttpServer build() {
      return new NettyHttpServer(this);
    }
  }
}
