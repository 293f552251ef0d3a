package org.reelbox.encoder;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.storage.BlobStore;

/**
 * The encoder worker. Its HTTP server carries only the admin endpoints: the work itself is pulled
 * from the control plane, so nothing needs to reach a worker but probes and Prometheus.
 */
public final class EncoderRole extends AbstractRole {
  public static final String NAME = "encoder";

  private final EncoderConfig config;
  private BlobStore blobs;

  public EncoderRole(EncoderConfig config) {
    super(NAME, requireNonNull(config, "config").dataDir());
    this.config = config;
  }

  @Override
  protected URI startServing(RoleContext context) throws Exception {
    blobs = context.openBlobStore(config.storage());
    return context.serveNetty(config.http(), List.of());
  }

  /** The store that holds originals, temp chunks and HLS output. */
  BlobStore blobs() {
    return blobs;
  }
}
