package org.reelbox.ingest.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.reelbox.common.storage.BlobStore;

/**
 * Where tus uploads live while they are being received: the seam between the protocol handler and
 * storage, in the style of tusd's {@code DataStore}. The handler knows nothing about files or S3;
 * the store knows nothing about HTTP.
 *
 * <p>This core interface is what every store must do. Optional capabilities are separate interfaces
 * ({@link Terminater}, {@link Concater}, {@link LengthDeferrer}, {@link Committer}) that a store
 * implements when it can; the handler advertises a tus extension only when the store has the
 * capability behind it.
 *
 * <p>Contracts common to all methods:
 *
 * <ul>
 *   <li>The store persists everything it reports: after a restart (a new store on the same
 *       directory or bucket) {@link #get} returns the info last returned by any method.
 *   <li>Bytes stream through: no method holds a whole upload, or a whole chunk, in memory.
 *   <li>Methods block; call them off event loops. Calls for one upload must not overlap (the
 *       handler serializes them with a lock per upload); calls for different uploads may.
 *   <li>If no upload has the given id, {@link UploadNotFoundException} is thrown.
 * </ul>
 */
public interface UploadStore extends AutoCloseable {

  /**
   * Whether reading an upload's bytes back is cheap: a local disk, where a just-finished upload is
   * still in the page cache. The service then computes the SHA-256 at commit, in the background,
   * instead of while the bytes arrive, which keeps hashing off the upload's critical path. Stores
   * that must fetch the bytes over the network answer false (the default).
   */
  default boolean rereadIsCheap() {
    return false;
  }

  /**
   * Records a new, empty upload and prepares storage for its bytes.
   *
   * @param info a fresh info ({@link UploadInfo#create}): offset 0
   * @return the stored info
   */
  UploadInfo create(UploadInfo info) throws IOException;

  /** The upload's info, or empty if there is no upload with this id. */
  Optional<UploadInfo> get(String id) throws IOException;

  /** The ids of every upload the store knows, in no particular order. */
  List<String> ids() throws IOException;

  /**
   * Appends bytes from {@code in} at {@code offset}, which must be the upload's offset, until the
   * stream ends or {@code maxBytes} bytes are read.
   *
   * <p>If reading {@code in} throws, the bytes read before are stored and counted, and the
   * exception comes back in {@link WriteResult#inputFailure()}: an interrupted request keeps what
   * it delivered. An {@link IOException} thrown by this method is a storage failure: the bytes of
   * this call that were not yet made durable are lost, and {@link #get} tells the offset.
   *
   * @throws IllegalStateException if {@code offset} is not the upload's offset or the upload does
   *     not hold bytes
   */
  WriteResult write(String id, long offset, InputStream in, long maxBytes) throws IOException;

  /**
   * Called once every byte is in ({@link UploadInfo#fullyReceived()}): makes the bytes one readable
   * whole (an S3 store completes its multipart upload). Idempotent.
   */
  UploadInfo finish(String id) throws IOException;

  /** Opens the bytes of a finished upload (after {@link #finish}). The caller closes the stream. */
  InputStream read(String id) throws IOException;

  /**
   * Changes the handler-owned fields of the info (state, container, SHA-256, consumedBy). The
   * store-owned fields ({@code length, offset, head}) keep the store's values whatever {@code
   * change} returns.
   *
   * @return the stored info
   */
  UploadInfo update(String id, UnaryOperator<UploadInfo> change) throws IOException;

  /** Removes the upload, its bytes and its info. Removing a missing upload does nothing. */
  void delete(String id) throws IOException;

  @Override
  default void close() throws IOException {}

  /** tus termination: release an upload's bytes but keep its info, as a tombstone. */
  interface Terminater {
    /**
     * Releases the upload's bytes (files, multipart uploads, staged objects) and sets its state.
     * Idempotent.
     *
     * @param state the state the tombstone records: one that holds no bytes
     */
    UploadInfo terminate(String id, UploadState state) throws IOException;
  }

  /** tus concatenation: make a final upload out of finished partial uploads. */
  interface Concater {
    /**
     * Fills the final upload {@code finalId} with the bytes of {@code partials} in order, and sets
     * its length and offset to their total. The partials keep their bytes. Idempotent: run again
     * after a crash, it starts over.
     *
     * @param partials finished ({@link #finish}ed) partial uploads
     */
    UploadInfo concat(String finalId, List<UploadInfo> partials) throws IOException;
  }

  /** tus creation-defer-length: uploads created without a length, which is declared later. */
  interface LengthDeferrer {
    /**
     * Sets the length of an upload created with {@link UploadInfo#DEFERRED}.
     *
     * @throws IllegalStateException if the length is already set or smaller than the offset
     */
    UploadInfo declareLength(String id, long length) throws IOException;
  }

  /**
   * Commits a finished upload's bytes to a blob store more cheaply than streaming them: a rename on
   * the same file system, a server-side copy in the same bucket.
   */
  interface Committer {
    /**
     * Makes the upload's bytes the object {@code key} of {@code target}, if this store can do so
     * without streaming them. Afterwards the bytes belong to {@code target} and {@link #read} may
     * fail. Idempotent: when the bytes are gone because an earlier call committed them, it checks
     * that {@code key} holds an object of the upload's length and returns true.
     *
     * @return false if this store cannot commit to {@code target} natively; nothing has changed,
     *     and the caller streams {@link #read} into {@link BlobStore#put} instead
     */
    boolean commitTo(String id, BlobStore target, String key) throws IOException;
  }
}
