package org.reelbox.origin;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import org.reelbox.common.role.Role;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.storage.BlobStore;

/** The origin server: serves HLS playlists, segments and thumbnails from transcoded storage. */
public final class OriginRole implements Role {
  public static final String NAME = "origin";

  private final OriginConfig config;
  private RoleContext context;
  private BlobStore blobs;
  private URI baseUrl;

  public OriginRole(OriginConfig config) {
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

  /** The store the HLS output is served from. */
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
