package org.reelbox.encoder;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;

/**
 * The encoder worker. Its HTTP server carries only the admin endpoints: the work itself is pulled
 * from the control plane, so nothing needs to reach a worker but probes and Prometheus. The blob
 * store is opened now so that readiness reports whether the worker can reach its inputs and
 * outputs; the tasks that use it arrive with the transcoding pipeline.
 */
public final class EncoderRole extends AbstractRole {
  public static final String NAME = "encoder";

  private final EncoderConfig config;

  public EncoderRole(EncoderConfig config) {
    super(NAME, requireNonNull(config, "config").dataDir());
    this.config = config;
  }

  @Override
  protected URI startServing(RoleContext context) throws Exception {
    context.openBlobStore(config.storage());
    return context.serveNetty(config.http(), List.of());
  }
}
