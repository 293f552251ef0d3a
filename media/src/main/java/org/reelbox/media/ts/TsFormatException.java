package org.reelbox.media.ts;

/**
 * A transport stream that {@link TsScanner} cannot read: lost sync, a truncated packet, a field
 * whose value the standard forbids, a PSI section with a bad CRC. The message starts with the
 * offset of the packet at fault.
 */
public final class TsFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long offsetBytes;
  private final String reason;

  public TsFormatException(long offsetBytes, String reason) {
    super("offset " + offsetBytes + ": " + reason);
    this.offsetBytes = offsetBytes;
    this.reason = reason;
  }

  /** The byte offset, from the start of the stream, of the packet at fault. */
  public long offsetBytes() {
    return offsetBytes;
  }

  /** The message without the offset. */
  public String reason() {
    return reason;
  }
}
