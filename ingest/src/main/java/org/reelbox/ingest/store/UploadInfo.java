package org.reelbox.ingest.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What is known of one tus upload: the record a {@link UploadStore} keeps beside the bytes.
 *
 * <p>Two kinds of fields. The store owns {@code offset}, {@code length} and {@code head}: they
 * describe the stored bytes, and only {@link UploadStore#write}, {@link
 * UploadStore.LengthDeferrer#declareLength} and {@link UploadStore.Concater#concat} change them.
 * The protocol handler owns the others and changes them with {@link UploadStore#update}.
 *
 * @param id the upload id: {@value #ID_LENGTH} lower-case hex characters
 * @param videoId the video the upload belongs to (the upload token's subject)
 * @param owner the user the token was issued to, or {@code null}
 * @param length the total size in bytes, or {@link #DEFERRED} while the client has not said
 * @param offset how many bytes are stored
 * @param metadata the {@code Upload-Metadata} header as received (validated), or {@code null}
 * @param concat whether this is a partial or final upload
 * @param concatHeader the {@code Upload-Concat} header as received, for HEAD; {@code null} for an
 *     ordinary upload
 * @param partialIds for a final upload, its partial uploads in order; empty otherwise
 * @param createdAt when the upload was created
 * @param expiresAt when it expires if unfinished; never later than its token
 * @param state where the upload is in its life
 * @param head the first {@code min(offset, HEAD_BYTES)} bytes, kept so that the container can be
 *     sniffed without reading the data back (an S3 multipart upload cannot be read before it is
 *     completed)
 * @param container the container the first bytes were recognized as, once they were
 * @param sha256 the lower-case hex SHA-256 of the whole upload, once computed
 * @param consumedBy for a partial upload, the final upload it belongs to, once there is one
 */
public record UploadInfo(
    String id,
    String videoId,
    String owner,
    long length,
    long offset,
    String metadata,
    ConcatKind concat,
    String concatHeader,
    List<String> partialIds,
    Instant createdAt,
    Instant expiresAt,
    UploadState state,
    byte[] head,
    String container,
    String sha256,
    String consumedBy) {

  /** {@link #length()} of an upload whose length the client has not declared yet. */
  public static final long DEFERRED = -1;

  /** How many leading bytes {@link #head()} keeps. */
  public static final int HEAD_BYTES = 256;

  public static final int ID_LENGTH = 32;

  private static final Pattern ID = Pattern.compile("[0-9a-f]{" + ID_LENGTH + "}");

  public UploadInfo {
    requireValidId(id);
    requireNonNull(videoId, "videoId");
    if (length < 0 && length != DEFERRED) {
      throw new IllegalArgumentException("length must be >= 0 or DEFERRED, got " + length);
    }
    if (offset < 0 || (length >= 0 && offset > length)) {
      throw new IllegalArgumentException(
          "offset must be between 0 and the length " + length + ", got " + offset);
    }
    requireNonNull(concat, "concat");
    partialIds = List.copyOf(requireNonNull(partialIds, "partialIds"));
    if ((concat == ConcatKind.FINAL) == partialIds.isEmpty()) {
      throw new IllegalArgumentException(
          "a final upload, and only a final upload, has partial ids; got "
              + concat
              + " with "
              + partialIds.size());
    }
    requireNonNull(createdAt, "createdAt");
    requireNonNull(expiresAt, "expiresAt");
    requireNonNull(state, "state");
    head = head == null ? new byte[0] : head.clone();
    if (head.length != Math.min(offset, HEAD_BYTES)) {
      throw new IllegalArgumentException(
          "head must hold the first "
              + Math.min(offset, HEAD_BYTES)
              + " bytes, got "
              + head.length);
    }
  }

  /** A new, empty upload in state {@link UploadState#UPLOADING}. */
  public static UploadInfo create(
      String id,
      String videoId,
      String owner,
      long length,
      String metadata,
      ConcatKind concat,
      String concatHeader,
      List<String> partialIds,
      Instant createdAt,
      Instant expiresAt) {
    return new UploadInfo(
        id,
        videoId,
        owner,
        length,
        0,
        metadata,
        concat,
        concatHeader,
        partialIds,
        createdAt,
        expiresAt,
        UploadState.UPLOADING,
        null,
        null,
        null,
        null);
  }

  /** Throws unless {@code id} has the format of an upload id. */
  public static String requireValidId(String id) {
    requireNonNull(id, "id");
    if (!isValidId(id)) {
      throw new IllegalArgumentException("not an upload id: '" + id + "'");
    }
    return id;
  }

  /** Whether {@code id} has the format of an upload id; never throws. */
  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  @Override
  public byte[] head() {
    return head.clone();
  }

  public boolean hasDeferredLength() {
    return length == DEFERRED;
  }

  /** Whether every byte is stored: the length is known and reached. */
  public boolean fullyReceived() {
    return length >= 0 && offset == length;
  }

  public UploadInfo withState(UploadState newState) {
    return new UploadInfo(
        id,
        videoId,
        owner,
        length,
        offset,
        metadata,
        concat,
        concatHeader,
        partialIds,
        createdAt,
        expiresAt,
        newState,
        head,
        container,
        sha256,
        consumedBy);
  }

  public UploadInfo withContainer(String newContainer) {
    return new UploadInfo(
        id,
        videoId,
        owner,
        length,
        offset,
        metadata,
        concat,
        concatHeader,
        partialIds,
        createdAt,
        expiresAt,
        state,
        head,
        newContainer,
        sha256,
        consumedBy);
  }

  public UploadInfo withSha256(String newSha256) {
    return new UploadInfo(
        id,
        videoId,
        owner,
        length,
        offset,
        metadata,
        concat,
        concatHeader,
        partialIds,
        createdAt,
        expiresAt,
        state,
        head,
        container,
        newSha256,
        consumedBy);
  }

  public UploadInfo withConsumedBy(String finalId) {
    return new UploadInfo(
        id,
        videoId,
        owner,
        length,
        offset,
        metadata,
        concat,
        concatHeader,
        partialIds,
        createdAt,
        expiresAt,
        state,
        head,
        container,
        sha256,
        finalId);
  }

  /** For stores: the stored bytes changed. */
  public UploadInfo withBytes(long newLength, long newOffset, byte[] newHead) {
    return new UploadInfo(
        id,
        videoId,
        owner,
        newLength,
        newOffset,
        metadata,
        concat,
        concatHeader,
        partialIds,
        createdAt,
        expiresAt,
        state,
        newHead,
        container,
        sha256,
        consumedBy);
  }

  /** This info with the store-owned fields ({@code length, offset, head}) taken from {@code o}. */
  public UploadInfo withStoreFieldsOf(UploadInfo o) {
    return withBytes(o.length, o.offset, o.head);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UploadInfo u
        && id.equals(u.id)
        && videoId.equals(u.videoId)
        && java.util.Objects.equals(owner, u.owner)
        && length == u.length
        && offset == u.offset
        && java.util.Objects.equals(metadata, u.metadata)
        && concat == u.concat
        && java.util.Objects.equals(concatHeader, u.concatHeader)
        && partialIds.equals(u.partialIds)
        && createdAt.equals(u.createdAt)
        && expiresAt.equals(u.expiresAt)
        && state == u.state
        && Arrays.equals(head, u.head)
        && java.util.Objects.equals(container, u.container)
        && java.util.Objects.equals(sha256, u.sha256)
        && java.util.Objects.equals(consumedBy, u.consumedBy);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + Long.hashCode(offset);
  }

  @Override
  public String toString() {
    return "UploadInfo[id="
        + id
        + ", video="
        + videoId
        + ", "
        + concat
        + ", "
        + state
        + ", offset="
        + offset
        + ", length="
        + (length == DEFERRED ? "deferred" : length)
        + "]";
  }
}
