package org.reelbox.ingest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import org.reelbox.ingest.store.UploadInfo;
import org.reelbox.ingest.tus.ContainerSniffer;

/**
 * Passes an upload's leading bytes through {@link ContainerSniffer} as they arrive, and fails the
 * read as soon as they are known not to be a video: the rest of the body is never read. Reads into
 * a {@link ByteBuffer} pass through without a copy when the wrapped stream is a channel ({@link
 * RequestBodyStream}).
 */
final class SniffingInputStream extends FilterInputStream implements ReadableByteChannel {
  /** Thrown by {@link #read} when the bytes are not a supported container. */
  static final class RejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    RejectedException() {
      super("not a supported video container");
    }
  }

  private byte[] head;
  private boolean decided;

  /**
   * @param storedHead the upload's first bytes stored so far ({@link UploadInfo#head()}), which
   *     this stream's bytes continue
   */
  SniffingInputStream(InputStream in, byte[] storedHead) {
    super(in);
    this.head = storedHead.clone();
    this.decided = head.length >= UploadInfo.HEAD_BYTES;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0 && !decided) {
      sniff(ByteBuffer.wrap(b, off, n));
    }
    return n;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int start = dst.position();
    int n = Streams.read(in, dst);
    if (n > 0 && !decided) {
      sniff(dst.duplicate().position(start).limit(start + n));
    }
    return n;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  /** Looks at bytes just read: the continuation of {@link #head}. */
  private void sniff(ByteBuffer bytes) throws RejectedException {
    int take = Math.min(bytes.remaining(), UploadInfo.HEAD_BYTES - head.length);
    int from = head.length;
    head = Arrays.copyOf(head, from + take);
    bytes.get(head, from, take);
    ContainerSniffer.Verdict verdict =
        ContainerSniffer.sniff(head, head.length, /* complete= */ false);
    switch (verdict.outcome()) {
      case ACCEPT -> decided = true;
      case REJECT -> throw new RejectedException();
      case NEED_MORE -> decided = head.length >= UploadInfo.HEAD_BYTES;
    }
  }
}
