package org.reelbox.edge;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;

/** The ISP edge box: caches popular segments and falls back to the origin. */
public final class EdgeRole extends AbstractRole {
  public static final String NAME = "edge";

  private final EdgeConfig config;

  public EdgeRole(EdgeConfig config) {
    super(NAME, requireNonNull(config, "config").dataDir());
    this.config = config;
  }

  @Override
  protected URI startServing(RoleContext context) throws Exception {
    return context.serveNetty(config.http(), List.of());
  }
}
