package org.reelbox.media.hls;

import static org.reelbox.media.hls.Checks.checkArgument;

/**
 * A sub-range of a segment's resource, written as {@code EXT-X-BYTERANGE:<length>@<offset>} (RFC
 * 8216 §4.3.2.2).
 *
 * <p>The offset is always explicit here: the parser resolves an omitted offset to the byte after
 * the previous segment's sub-range, and the writer always writes it.
 *
 * @param lengthBytes the length of the sub-range, greater than 0
 * @param offsetBytes the offset of its first byte from the start of the resource, 0 or more
 */
public record ByteRange(long lengthBytes, long offsetBytes) {

  public ByteRange {
    checkArgument(lengthBytes > 0, "lengthBytes must be greater than 0: %s", lengthBytes);
    checkArgument(offsetBytes >= 0, "offsetBytes must not be negative: %s", offsetBytes);
    checkArgument(
        offsetBytes <= Long.MAX_VALUE - lengthBytes,
        "byte range %s@%s ends past Long.MAX_VALUE",
        lengthBytes,
        offsetBytes);
  }

  /** The offset of the first byte after this sub-range. */
  public long endOffsetBytes() {
    return offsetBytes + lengthBytes;
  }
}
