package org.reelbox.encoder;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import org.reelbox.common.role.Role;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.storage.BlobStore;

/**
 * The encoder worker. Its HTTP server carries only the admin endpoints: the work itself is pulled
 * from the control plane, so nothing needs to reach a worker but probes and Prometheus.
 */
public final class EncoderRole implements Role {
  public static final String NAME = "encoder";

  private final EncoderConfig config;
  private RoleContext context;
  private BlobStore blobs;
  private URI baseUrl;

  public EncoderRole(EncoderConfig config) {
    this.config = requireNonNull(config, "config");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() throws Exception {
    context = RoleContext.open(NAME, config.dataDir());
    blobs = context.openBlobStore(config.storage());
    baseUrl = context.serveNetty(config.http(), List.of());
    context.ready(baseUrl);
  }

  @Override
  public URI baseUrl() {
    if (baseUrl == null) {
      throw new IllegalStateException(NAME + " not started");
    }
    return baseUrl;
  }

  /** The store that holds originals, temp chunks and HLS output. */
  BlobStore blobs() {
    return blobs;
  }

  @Override
  public void close() {
    if (context != null) {
      context.close();
    }
  }
}
