package org.reelbox.media.hls;

/**
 * A playlist that {@link PlaylistParser} cannot read: malformed per RFC 8216, or using a feature
 * this model does not support. The message starts with the 1-based line number.
 */
public final class PlaylistParseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int lineNumber;
  private final String reason;

  public PlaylistParseException(int lineNumber, String reason) {
    this(lineNumber, reason, null);
  }

  public PlaylistParseException(int lineNumber, String reason, Throwable cause) {
    super("line " + lineNumber + ": " + reason, cause);
    this.lineNumber = lineNumber;
    this.reason = reason;
  }

  /** The 1-based number of the line at fault. */
  public int lineNumber() {
    return lineNumber;
  }

  /** The message without the line number. */
  public String reason() {
    return reason;
  }
}
