package org.reelbox.common.role;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * The lifecycle every role shares: open a {@link RoleContext} (data dir, metrics, health), let the
 * role start its parts and its server, then mark it ready; on close, mark it stopping and close
 * everything in reverse order. A role implements only {@link #startServing(RoleContext)}.
 */
public abstract class AbstractRole implements Role {
  private final String name;
  private final String dataDir;
  private RoleContext context;
  private volatile URI baseUrl;

  protected AbstractRole(String name, String dataDir) {
    this.name = requireNonNull(name, "name");
    this.dataDir = requireNonNull(dataDir, "dataDir");
  }

  /**
   * Opens what the role needs (registering each with {@code context.closer()}), starts its HTTP
   * server and returns the server's base URL. Readiness is marked by the caller afterwards.
   */
  protected abstract URI startServing(RoleContext context) throws Exception;

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void start() throws Exception {
    if (context != null) {
      throw new IllegalStateException(name + " already started");
    }
    context = RoleContext.open(name, dataDir);
    baseUrl = startServing(context);
    context.ready(baseUrl);
  }

  @Override
  public final URI baseUrl() {
    URI url = baseUrl;
    if (url == null) {
      throw new IllegalStateException(name + " not started");
    }
    return url;
  }

  /** The running role's context; for subclasses and tests. */
  protected final RoleContext context() {
    if (context == null) {
      throw new IllegalStateException(name + " not started");
    }
    return context;
  }

  @Override
  public void close() {
    if (context != null) {
      context.close();
    }
  }
}
