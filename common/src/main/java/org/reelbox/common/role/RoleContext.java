package org.reelbox.common.role;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.reelbox.common.config.DataDir;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.http.NettyHttpServer;
import org.reelbox.common.http.Urls;
import org.reelbox.common.observe.Health;
import org.reelbox.common.observe.RoleMetrics;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.storage.BlobStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every role opens first: its checked data dir, metrics, health, and a {@link Closer} for
 * everything after. Closing the context marks the role stopping and closes all in reverse order.
 */
public final class RoleContext implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RoleContext.class);

  private final String role;
  private final Path dataDir;
  private final Closer closer = new Closer();
  private final Health health;
  private final RoleMetrics metrics;

  private RoleContext(String role, Path dataDir) {
    this.role = role;
    this.dataDir = dataDir;
    this.health = new Health(role);
    this.metrics = closer.register(RoleMetrics.create(role));
  }

  /**
   * Prepares the data dir (created and proven writable) and the metrics of {@code role}.
   *
   * @throws org.reelbox.common.config.ConfigException if the data dir is unusable
   */
  public static RoleContext open(String role, String dataDir) {
    return new RoleContext(requireNonNull(role, "role"), DataDir.prepare("dataDir", dataDir));
  }

  /** Opens the configured blob store, closes it with the role, and checks it for readiness. */
  public BlobStore openBlobStore(StorageConfig storage) throws IOException {
    BlobStore store = closer.register(BlobStores.open(storage, dataDir));
    health.addCheck("storage", () -> store.stat("health/probe"));
    return store;
  }

  /**
   * Starts a {@link NettyHttpServer} with the admin endpoints and {@code handlers}, closed with the
   * role; returns its base URL.
   */
  public URI serveNetty(HttpConfig http, List<Supplier<ChannelHandler>> handlers)
      throws InterruptedException {
    NettyHttpServer.Builder builder =
        NettyHttpServer.builder(role).http(http).health(health).metrics(metrics);
    handlers.forEach(builder::handler);
    NettyHttpServer server = closer.register(builder.build());
    return Urls.httpBase(http.host(), server.start());
  }

  /** Marks the role ready and logs the one line that says where it listens. */
  public void ready(URI baseUrl) {
    health.markReady();
    log.info("{} ready at {}", role, baseUrl);
  }

  public String role() {
    return role;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Closer closer() {
    return closer;
  }

  public Health health() {
    return health;
  }

  public RoleMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    health.markStopping();
    closer.close();
  }
}
