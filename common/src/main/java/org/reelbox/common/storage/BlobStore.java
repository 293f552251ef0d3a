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
 * <p>A key must not also be the directory part of other keys: {@code hls/abc} and {@code
 * hls/abc/1.ts} cannot both be objects. S3 allows it, a directory tree does not, so {@link
 * FileBlobStore} refuses the second one with an {@link IOException}; reelbox's key layout never
 * needs it.
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
   * read to its end, or to exactly {@code length} bytes and not one byte further (what follows is
   * left for the caller), and it is not closed.
   *
   * @param length the number of bytes the stream holds, or {@link #UNKNOWN_LENGTH}. When a length
   *     is given and the stream ends early, nothing is stored (an object already under the key is
   *     left as it was) and an {@link IOException} is thrown.
   * @return what was stored: the key, the number of bytes, and the time the store recorded
   * @throws IllegalArgumentException if the key is invalid or {@code length} is negative but not
   *     {@link #UNKNOWN_LENGTH}; the stream is then not read
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
   * first. An offset equal to the object's size, or a length of 0, gives an empty stream. The
   * caller closes the stream.
   *
   * @throws BlobNotFoundException if there is no object under {@code key}
   * @throws IllegalArgumentException if {@code offset < 0}, {@code length < 0}, or {@code offset}
   *     is past the end of the object
   */
  InputStream getRange(String key, long offset, long length) throws IOException;

  /**
   * The object's size and modification time, or empty if there is no object under the key (a key
   * that is only the directory part of other keys, such as {@code hls/abc}, has no object).
   */
  Optional<BlobInfo> stat(String key) throws IOException;

  /**
   * Every object whose key starts with {@code prefix}, sorted by key. The prefix is a plain string
   * prefix ({@code "hls/ab"} matches {@code hls/abc/...}); an empty prefix lists the whole store.
   * Only objects whose keys are valid are listed, so every listed key can be passed back to {@link
   * #get}.
   *
   * @throws IllegalArgumentException if the prefix is not valid ({@link
   *     BlobKeys#requireValidPrefix})
   */
  List<BlobInfo> list(String prefix) throws IOException;

  /** Deletes the object; returns whether there was one. Deleting a missing key is not an error. */
  boolean delete(String key) throws IOException;

  /**
   * Deletes every object whose key starts with {@code prefix}, the same plain string match as
   * {@link #list}; returns how many were deleted. An empty prefix empties the store.
   */
  int deletePrefix(String prefix) throws IOException;

  /** Releases connections and threads. The default does nothing. */
  @Override
  default void close() throws IOException {}
}
