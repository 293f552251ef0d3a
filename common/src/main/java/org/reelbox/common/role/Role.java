package org.reelbox.common.role;

import java.net.URI;

/**
 * One deployable role (control plane, ingest, encoder, origin, edge) as the launcher sees it:
 * started once, closed once. A role runs alone in its own JVM or beside the others in one JVM
 * ({@code reelbox run all}); it never reaches into another role's objects.
 */
public interface Role extends AutoCloseable {

  /** The role's name, such as {@code ingest}; also its config file's name. */
  String name();

  /**
   * Starts the role: opens storage, binds the HTTP port, marks itself ready. Throws when it cannot
   * start; a {@link org.reelbox.common.config.ConfigException} for a configuration problem.
   */
  void start() throws Exception;

  /** The base URL of the role's HTTP server, such as {@code http://127.0.0.1:8081}; after start. */
  URI baseUrl();

  /** Stops serving and frees every resource. Idempotent; safe to call when start failed. */
  @Override
  void close();
}
