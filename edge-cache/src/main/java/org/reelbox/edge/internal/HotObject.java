package org.reelbox.edge.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import java.time.Instant;
import org.reelbox.common.playback.Validators;
import org.reelbox.edge.cache.ObjectMetadata;

/**
 * An object ready to be written to sockets: its body in a direct buffer that every response shares
 * (each takes a retained slice, nothing is copied per response), and its response header values
 * computed once.
 *
 * <p>The holder (the memory tier, or the request that read it from disk) owns one reference and
 * releases it with {@link #release()}; a slice taken after that fails softly with null, which
 * callers treat as a miss.
 */
final class HotObject {
  private final ByteBuf body;
  private final int size;
  final ObjectMetadata metadata;
  final String etag;
  final String lastModified;
  final String cacheControl;

  /** When a playlist must be fetched again ({@link System#nanoTime()}); MAX_VALUE: never. */
  final long freshUntilNanos;

  HotObject(ByteBuf body, ObjectMetadata metadata, String cacheControl, long freshUntilNanos) {
    this.body = requireNonNull(body, "body");
    this.size = body.readableBytes();
    this.metadata = requireNonNull(metadata, "metadata");
    this.etag = metadata.etag();
    this.lastModified =
        metadata.lastModified() == null ? null : Validators.httpDate(metadata.lastModified());
    this.cacheControl = cacheControl;
    this.freshUntilNanos = freshUntilNanos;
  }

  int size() {
    return size;
  }

  Instant lastModifiedInstant() {
    return metadata.lastModified();
  }

  boolean isFresh(long nowNanos) {
    return freshUntilNanos == Long.MAX_VALUE || nowNanos - freshUntilNanos < 0;
  }

  /** A retained view of {@code [offset, offset + length)}, or null if the body was released. */
  ByteBuf retainedSlice(int offset, int length) {
    try {
      return body.retainedSlice(body.readerIndex() + offset, length);
    } catch (IllegalReferenceCountException e) {
      return null;
    }
  }

  /** Takes another reference for a second holder; false if the body was released meanwhile. */
  boolean retain() {
    try {
      body.retain();
      return true;
    } catch (IllegalReferenceCountException e) {
      return false;
    }
  }

  void release() {
    body.release();
  }
}
