package org.reelbox.common.storage;

import java.io.FileNotFoundException;

/** Thrown when a {@link BlobStore} has no object under the key asked for. */
public final class BlobNotFoundException extends FileNotFoundException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public BlobNotFoundException(String key) {
    super("no object under key " + key);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
