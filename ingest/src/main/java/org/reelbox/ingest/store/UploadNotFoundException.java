package org.reelbox.ingest.store;

import java.io.IOException;

/** Thrown by an {@link UploadStore} asked about an upload it does not have. */
public final class UploadNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  public UploadNotFoundException(String id) {
    super("no upload " + id);
  }
}
