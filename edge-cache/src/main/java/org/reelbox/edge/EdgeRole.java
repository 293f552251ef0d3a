package org.reelbox.edge;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import org.reelbox.common.role.Role;
import org.reelbox.common.role.RoleContext;

/** The ISP edge box: caches popular segments and falls back to the origin. */
public final class EdgeRole implements Role {
  public static final String NAME = "edge";

  private final EdgeConfig config;
  private RoleContext context;
  private URI baseUrl;

  public EdgeRole(EdgeConfig config) {
    this.config = requireNonNull(config, "config");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() throws Exception {
    context = RoleContext.open(NAME, config.dataDir());
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

  @Override
  public void close() {
    if (context != null) {
      context.close();
    }
  }
}
