package org.reelbox.origin;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.storage.BlobStore;

/** The origin server: serves HLS playlists, segments and thumbnails from transcoded storage. */
public final class OriginRole extends AbstractRole {
  public static final String NAME = "origin";

  private final OriginConfig config;
  private BlobStore blobs;

  public OriginRole(OriginConfig config) {
    super(NAME, requireNonNull(config, "config").dataDir());
    this.config = config;
  }

  @Override
  protected URI startServing(RoleContext context) throws Exception {
    blobs = context.openBlobStore(config.storage());
    return context.serveNetty(config.http(), List.of());
  }

  /** The store the HLS output is served from. */
  BlobStore blobs() {
    return blobs;
  }
}
