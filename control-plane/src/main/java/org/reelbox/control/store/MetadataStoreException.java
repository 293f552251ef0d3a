package org.reelbox.control.store;

/**
 * The database failed: unreachable, out of connections, or an error no caller can act on. The
 * message is for logs, not for API clients (it may name tables); the API answers 500 or 503.
 */
public final class MetadataStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetadataStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
