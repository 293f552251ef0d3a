package org.reelbox.media.mp4;

/**
 * A file whose box structure {@link Mp4Boxes} refuses: a size past the end or inside its header,
 * nesting too deep, too many boxes, a table that claims more entries than it holds, no {@code
 * moov}. The message starts with the offset of the box at fault.
 */
public final class Mp4FormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long offsetBytes;
  private final String reason;

  public Mp4FormatException(long offsetBytes, String reason) {
    super("offset " + offsetBytes + ": " + reason);
    this.offsetBytes = offsetBytes;
    this.reason = reason;
  }

  /** The byte offset, from the start of the file, of the box at fault. */
  public long offsetBytes() {
    return offsetBytes;
  }

  /** The message without the offset. */
  public String reason() {
    return reason;
  }
}
