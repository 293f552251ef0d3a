package org.reelbox.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Object storage for originals, temporary chunks and transcoded HLS: the one seam in front of S3
 * (or MinIO) and local files.
 *
 * <p>Keys are relative, slash-separated paths such as {@code hls/abc/720p/3.ts}. Every method
 * validates its key with {@link BlobKeys#requireValid(String)} before touching storage, so no key
 * can escape the store: {@code ..}, {@code .}, empty segments, absolute paths, backslashes and
 * percent-encoded characters are rejected with {@link IllegalArgumentException}.
 *
 * <p>Objects are immutable once written: {@link #put} replaces an object atomically, so a reader
 * sees either the old bytes or the new ones, never a mix or a partial write.
 *
 * <p>Implementations are thread-safe.
 */
public interface BlobStore extends AutoCloseable {

  /** Length to pass to {@link #put} when the stream's length is not known in advance. */
  long UNKNOWN_LENGTH = -1;

  /**
   * Stores the bytes of {@code in} under {@code key}, replacing any object there. The stream is
   * read to its end (or to {@code length} bytes) but not closed.
   *
   * @param length the number of bytes the stream holds, or {@link #UNKNOWN_LENGTH}. When a length
   *     is given and the stream ends early, nothing is stored and an {@link IOException} is thrown.
   * @return what was stored
   */
  BlobInfo put(String key, InputStream in, long length) throws IOException;

  /**
   * Opens the object's bytes. The caller closes the stream.
   *
   * @throws BlobNotFoundException if there is no object under {@code key}
   */
  InputStream get(String key) throws IOException;

  /**
   * Opens {@code length} bytes of the object starting at {@code offset}; fewer when the object ends
   * first. The caller closes the stream.
   *
   * @throws BlobNotFoundException if there is no object under {@code key}
   * @throws IllegalArgumentException if {@code offset < 0}, {@code length < 0}, or {@code offset}
   *     is past the end of the object
   */
  InputStream getRange(String key, long offset, long length) throws IOException;

  /** The object's size and modification time, or empty if there is no object under the key. */
  Optional<BlobInfo> stat(String key) throws IOException;

  /**
   * Every object whose key starts with {@code prefix}, sorted by key. The prefix is a plain string
   * prefix ({@code "hls/ab"} matches {@code hls/abc/...}); an empty prefix lists the whole store.
   */
  List<BlobInfo> list(String prefix) throws IOException;

  /** Deletes the object; returns whether there was one. Deleting a missing key is not an error. */
  boolean delete(String key) throws IOException;

  /** Deletes every object whose key starts with {@code prefix}; returns how many were deleted. */
  int deletePrefix(String prefix) throws IOException;

  /** Releases connections and threads. The default does nothing. */
  @Override
  default void close() throws IOException {}
}
