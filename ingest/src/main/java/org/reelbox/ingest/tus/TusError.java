package org.reelbox.ingest.tus;

import static java.util.Objects.requireNonNull;

import org.reelbox.common.error.ErrorCode;

/**
 * Every way a tus request can fail: the error table of the protocol, in the style of tusd's. Each
 * entry has the API {@link ErrorCode} it is answered with (and so its HTTP status, from the one
 * table in {@link ErrorCode}) and a fixed message. Messages never quote request headers.
 */
public enum TusError {
  // tus 1.0.0 §Tus-Resumable: 412 with Tus-Version, and the request is not processed.
  UNSUPPORTED_VERSION(ErrorCode.PRECONDITION_FAILED, "Tus-Resumable: 1.0.0 is required"),
  TOKEN_MISSING(ErrorCode.TOKEN_INVALID, "an upload token is required: use the upload URL"),
  METHOD_NOT_ALLOWED(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed here"),
  // §PATCH: "All PATCH requests MUST use Content-Type: application/offset+octet-stream".
  INVALID_CONTENT_TYPE(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/offset+octet-stream"),
  INVALID_OFFSET(ErrorCode.BAD_REQUEST, "Upload-Offset must be a non-negative integer"),
  // §PATCH: offsets differ → 409 "without modifying the upload resource".
  OFFSET_MISMATCH(ErrorCode.CONFLICT, "Upload-Offset does not match the upload's offset"),
  INVALID_LENGTH(ErrorCode.BAD_REQUEST, "Upload-Length must be a non-negative integer"),
  LENGTH_REQUIRED(ErrorCode.BAD_REQUEST, "creation needs Upload-Length, or Upload-Defer-Length: 1"),
  LENGTH_AND_DEFER(
      ErrorCode.BAD_REQUEST, "Upload-Length and Upload-Defer-Length are mutually exclusive"),
  // §Upload-Defer-Length: "any other value than 1 … 400 Bad Request".
  INVALID_DEFER_LENGTH(ErrorCode.BAD_REQUEST, "Upload-Defer-Length must be 1"),
  LENGTH_ALREADY_SET(ErrorCode.BAD_REQUEST, "Upload-Length cannot be changed once set"),
  LENGTH_BELOW_OFFSET(ErrorCode.BAD_REQUEST, "Upload-Length is smaller than the upload's offset"),
  DEFER_NOT_SUPPORTED(ErrorCode.BAD_REQUEST, "this server cannot defer the upload length"),
  // §POST: over the maximum → 413.
  MAX_SIZE_EXCEEDED(ErrorCode.PAYLOAD_TOO_LARGE, "the upload is larger than Tus-Max-Size"),
  TOKEN_LIMIT_EXCEEDED(
      ErrorCode.PAYLOAD_TOO_LARGE, "the upload is larger than its upload token allows"),
  SIZE_EXCEEDED(ErrorCode.PAYLOAD_TOO_LARGE, "the request body goes past the upload's length"),
  INVALID_METADATA(ErrorCode.BAD_REQUEST, "Upload-Metadata is malformed"),
  INVALID_CHECKSUM(ErrorCode.BAD_REQUEST, "Upload-Checksum must be '<algorithm> <base64 digest>'"),
  // Checksum extension: unsupported algorithm → 400, mismatch → 460; the chunk is discarded.
  UNSUPPORTED_CHECKSUM_ALGORITHM(
      ErrorCode.BAD_REQUEST, "unsupported checksum algorithm; see Tus-Checksum-Algorithm"),
  CHECKSUM_MISMATCH(
      ErrorCode.CHECKSUM_MISMATCH, "the chunk does not match Upload-Checksum; it was discarded"),
  INVALID_CONCAT(
      ErrorCode.BAD_REQUEST, "Upload-Concat must be 'partial' or 'final;' and upload URLs"),
  CONCAT_WITH_LENGTH(ErrorCode.BAD_REQUEST, "a final upload must not carry Upload-Length"),
  CONCAT_WITH_BODY(ErrorCode.BAD_REQUEST, "a final upload takes no body"),
  CONCAT_NOT_PARTIAL(ErrorCode.BAD_REQUEST, "a final upload can only name partial uploads"),
  // Without concatenation-unfinished, the partials must be complete.
  CONCAT_UNFINISHED(ErrorCode.BAD_REQUEST, "a partial upload of the final is not finished"),
  CONCAT_USED(ErrorCode.BAD_REQUEST, "a partial upload already belongs to another final upload"),
  // Concatenation: "403 Forbidden to PATCH requests against a final upload URL".
  MODIFY_FINAL(ErrorCode.FORBIDDEN, "a final upload cannot be patched"),
  NOT_FOUND(ErrorCode.NOT_FOUND, "no such upload"),
  // Expiration: 410 for uploads the server keeps track of.
  GONE(ErrorCode.GONE, "the upload was terminated or has expired; start a new upload"),
  UNSUPPORTED_CONTAINER(
      ErrorCode.UNSUPPORTED_CONTAINER,
      "not a supported video container (MP4/MOV, Matroska/WebM, MPEG-TS); upload terminated"),
  BUSY(ErrorCode.CONFLICT, "another request is using this upload; retry"),
  SUPERSEDED(ErrorCode.CONFLICT, "a newer request for this upload took over"),
  STORAGE_FAILED(ErrorCode.INTERNAL, "storage failed; retry from the upload's offset"),
  OVERLOADED(ErrorCode.UNAVAILABLE, "too many uploads in progress; retry later");

  private final ErrorCode code;
  private final String message;

  TusError(ErrorCode code, String message) {
    this.code = requireNonNull(code, "code");
    this.message = requireNonNull(message, "message");
  }

  public ErrorCode code() {
    return code;
  }

  public int httpStatus() {
    return code.httpStatus();
  }

  public String message() {
    return message;
  }

  public TusException exception() {
    return new TusException(this, null);
  }

  /**
   * @param detail what exactly was wrong, in the server's words; never a request header's value
   */
  public TusException exception(String detail) {
    return new TusException(this, detail);
  }
}
