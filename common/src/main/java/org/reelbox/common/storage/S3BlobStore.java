package org.reelbox.common.storage;

import static java.util.Objects.requireNonNull;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.DeleteRequest;
import io.minio.messages.DeleteResult;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.reelbox.common.config.StorageConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} on one bucket of an S3 API (MinIO in production, any S3 service), through the
 * MinIO Java client.
 *
 * <p><b>Writes.</b> A known length is uploaded with that size: one PUT up to 5 MiB, above that a
 * multipart upload in parts the client sizes (5 MiB and up, so up to S3's 5 TiB). An unknown length
 * is uploaded in multipart parts of {@value #PART_SIZE_BYTES} bytes. Either way at most one part is
 * held in memory, never a whole upload. S3 makes an object visible only when its PUT or its
 * multipart completion succeeds, which gives the atomic replacement {@link BlobStore} promises;
 * when an upload fails the client aborts it, so its parts do not linger. The caller's stream is
 * wrapped so that the client reads exactly {@code length} bytes (the MinIO client otherwise reads
 * one byte past the end to detect extra data) and a stream that ends early fails the upload before
 * it completes.
 *
 * <p><b>Reads.</b> {@link #getRange} asks for the object's size first (a HEAD): S3 answers a range
 * that starts at or past the end with 416, which cannot tell "at the end" (an empty range, valid)
 * from "past it" (an error here). {@link #delete} also asks first, to report whether the object
 * existed; two concurrent deletes of one key may both report true.
 *
 * <p><b>Errors.</b> The client's checked {@link MinioException}s come out as {@link IOException}s
 * naming the operation, bucket and key and the S3 error code; never the credentials.
 */
public final class S3BlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

  /** Part size of multipart uploads: 10 MiB (S3's minimum is 5 MiB, its maximum 10,000 parts). */
  static final long PART_SIZE_BYTES = 10L * 1024 * 1024;

  /** Keys per DeleteObjects request: the S3 maximum. */
  private static final int DELETE_BATCH = 1000;

  private static final Set<String> NOT_FOUND_CODES = Set.of("NoSuchKey", "NoSuchObject");

  private static OkHttpClient sharedHttpClient;

  private final MinioClient client;
  private final String bucket;
  private final Clock clock;

  /**
   * Connects to the S3 endpoint and creates the bucket when it is missing.
   *
   * @throws IOException if the endpoint cannot be reached, the credentials are refused, or the
   *     bucket cannot be created
   */
  public S3BlobStore(StorageConfig.S3 config) throws IOException {
    this(newClient(config), config.bucket(), Clock.systemUTC());
  }

  S3BlobStore(MinioClient client, String bucket, Clock clock) throws IOException {
    this.client = requireNonNull(client, "client");
    this.bucket = requireNonNull(bucket, "bucket");
    this.clock = requireNonNull(clock, "clock");
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("bucket must not be empty");
    }
    // Not lazily on first use: a wrong endpoint, credential or bucket name fails the role at
    // start, with the config still in view, rather than at its first upload.
    ensureBucket();
  }

  private static MinioClient newClient(StorageConfig.S3 config) throws IOException {
    requireNonNull(config, "config");
    if (config.endpoint().isEmpty()) {
      throw new IllegalArgumentException("S3 endpoint must not be empty");
    }
    MinioClient.Builder builder =
        MinioClient.builder()
            .endpoint(config.endpoint())
            .httpClient(sharedHttpClient(), /* close= */ false);
    if (!config.region().isEmpty()) {
      // With a region the client signs for it directly, instead of asking the bucket's location
      // first.
      builder.region(config.region());
    }
    if (!config.accessKey().isEmpty()) {
      builder.credentials(config.accessKey(), config.secretKey());
    }
    return builder.build();
  }

  /**
   * The HTTP client every store in this JVM shares.
   *
   * <p>MinIO's default client reads the CA certificates named by {@code SSL_CERT_FILE} and {@code
   * SSL_CERT_DIR} each time one is built: with a full system directory that is about two seconds
   * per store on a small machine. Built once, it also gives the roles running in one JVM one
   * connection pool. It is never closed; its threads are daemons and its idle connections time out.
   * Public so that other S3 clients of a role (ingest's upload store) share it too.
   */
  public static OkHttpClient sharedHttpClient() throws IOException {
    synchronized (S3BlobStore.class) {
      if (sharedHttpClient == null) {
        try {
          sharedHttpClient = Http.newDefaultClient();
        } catch (RuntimeException e) {
          // Unreadable certificates in SSL_CERT_FILE / SSL_CERT_DIR.
          throw new IOException("cannot set up the S3 HTTP client: " + e.getMessage(), e);
        }
      }
      return sharedHttpClient;
    }
  }

  /** A call on the MinIO client. */
  @FunctionalInterface
  private interface S3Call<T> {
    T run() throws MinioException;
  }

  /**
   * Runs {@code call}, turning what MinIO 9's blocking client throws unchecked into a {@link
   * MinioException}: it rethrows any failure that is not a MinioException, such as "connection
   * refused" or a read timeout, as an {@link IllegalStateException} around the cause.
   */
  private static <T> T s3(S3Call<T> call) throws MinioException {
    try {
      return call.run();
    } catch (IllegalStateException e) {
      throw new MinioException(e.getCause() != null ? e.getCause() : e);
    }
  }

  private void ensureBucket() throws IOException {
    try {
      if (s3(() -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()))) {
        return;
      }
      s3(
          () -> {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            return null;
          });
      log.info("created S3 bucket {}", bucket);
    } catch (ErrorResponseException e) {
      // Another role (or another store in this JVM) created it between our check and our create.
      String code = e.errorResponse().code();
      if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
        throw failure("open bucket", null, e);
      }
    } catch (MinioException e) {
      throw failure("open bucket", null, e);
    }
  }

  /** The bucket this store uses. */
  public String bucket() {
    return bucket;
  }

  @Override
  public BlobInfo put(String key, InputStream in, long length) throws IOException {
    BlobKeys.requireValid(key);
    requireNonNull(in, "in");
    ExactLengthInputStream body = new ExactLengthInputStream(in, length, key);
    PutObjectArgs args =
        PutObjectArgs.builder().bucket(bucket).object(key).stream(
                body, length, length == UNKNOWN_LENGTH ? PART_SIZE_BYTES : -1L)
            .contentType("application/octet-stream")
            .build();
    ObjectWriteResponse response;
    try {
      response = s3(() -> client.putObject(args));
    } catch (MinioException e) {
      if (body.endedEarly()) {
        // Our stream threw before the upload completed; the client aborts a multipart upload on
        // failure, and a single PUT was never sent whole. Say what happened, not how it surfaced.
        throw new IOException(body.shortfallMessage(), e);
      }
      throw failure("put", key, e);
    }
    return new BlobInfo(key, body.count(), writeTime(response));
  }

  /** When the server stored the object: its Last-Modified if it said, else its Date header. */
  private Instant writeTime(ObjectWriteResponse response) {
    if (response.lastModified() != null) {
      return response.lastModified().toInstant();
    }
    Date date = response.headers() == null ? null : response.headers().getDate("Date");
    return date != null ? date.toInstant() : clock.instant();
  }

  @Override
  public InputStream get(String key) throws IOException {
    BlobKeys.requireValid(key);
    try {
      return s3(() -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
    } catch (MinioException e) {
      throw notFoundOrFailure("get", key, e);
    }
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    BlobKeys.requireValid(key);
    FileBlobStore.checkRange(offset, length);
    BlobInfo info = stat(key).orElseThrow(() -> new BlobNotFoundException(key));
    long size = info.sizeBytes();
    if (offset > size) {
      throw new IllegalArgumentException(
          "offset "
              + offset
              + " is past the end of "
              + BlobKeys.quote(key)
              + " ("
              + size
              + " bytes)");
    }
    long available = Math.min(length, size - offset);
    if (available == 0) {
      return InputStream.nullInputStream(); // S3 cannot express an empty range
    }
    try {
      GetObjectArgs args =
          GetObjectArgs.builder()
              .bucket(bucket)
              .object(key)
              .offset(offset)
              .length(available)
              .build();
      return s3(() -> client.getObject(args));
    } catch (ErrorResponseException e) {
      if ("InvalidRange".equals(e.errorResponse().code())) {
        // Replaced by a shorter object since our HEAD.
        throw new IllegalArgumentException(
            "offset " + offset + " is past the end of " + BlobKeys.quote(key), e);
      }
      throw notFoundOrFailure("get range of", key, e);
    } catch (MinioException e) {
      throw notFoundOrFailure("get range of", key, e);
    }
  }

  @Override
  public Optional<BlobInfo> stat(String key) throws IOException {
    BlobKeys.requireValid(key);
    StatObjectResponse response;
    try {
      response =
          s3(() -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
    } catch (MinioException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw failure("stat", key, e);
    }
    Instant lastModified =
        response.lastModified() == null ? Instant.EPOCH : response.lastModified().toInstant();
    return Optional.of(new BlobInfo(key, response.size(), lastModified));
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    BlobKeys.requireValidPrefix(prefix);
    ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket).recursive(true);
    if (!prefix.isEmpty()) {
      args.prefix(prefix);
    }
    ListObjectsArgs listArgs = args.build();
    List<BlobInfo> found = new ArrayList<>();
    try {
      // The iterable pages through ListObjectsV2 lazily; errors come out of get() (or, for I/O,
      // out of the iterator itself as IllegalStateException, hence the whole loop in s3()).
      s3(
          () -> {
            for (Result<Item> result : client.listObjects(listArgs)) {
              addListed(found, result.get(), prefix);
            }
            return null;
          });
    } catch (MinioException e) {
      throw failure("list", prefix, e);
    }
    found.sort(Comparator.comparing(BlobInfo::key));
    return List.copyOf(found);
  }

  private static void addListed(List<BlobInfo> found, Item item, String prefix) {
    String key = item.objectName();
    // Objects written by other tools may have keys this store would refuse to read; they are
    // not listed, so that every listed key can be passed back to get().
    if (item.isDir() || !key.startsWith(prefix) || !BlobKeys.isValid(key)) {
      return;
    }
    Instant lastModified =
        item.lastModified() == null ? Instant.EPOCH : item.lastModified().toInstant();
    found.add(new BlobInfo(key, item.size(), lastModified));
  }

  @Override
  public boolean delete(String key) throws IOException {
    BlobKeys.requireValid(key);
    if (stat(key).isEmpty()) {
      return false;
    }
    try {
      s3(
          () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
          });
      return true;
    } catch (MinioException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public int deletePrefix(String prefix) throws IOException {
    List<BlobInfo> objects = list(prefix);
    int deleted = 0;
    for (int from = 0; from < objects.size(); from += DELETE_BATCH) {
      List<DeleteRequest.Object> batch = new ArrayList<>();
      for (BlobInfo info : objects.subList(from, Math.min(from + DELETE_BATCH, objects.size()))) {
        batch.add(new DeleteRequest.Object(info.key()));
      }
      // The result is lazy: the DeleteObjects request is sent while it is iterated, so it must be
      // read to the end, and it yields only the keys that failed.
      List<String> errors = new ArrayList<>();
      RemoveObjectsArgs args = RemoveObjectsArgs.builder().bucket(bucket).objects(batch).build();
      try {
        s3(
            () -> {
              for (Result<DeleteResult.Error> result : client.removeObjects(args)) {
                DeleteResult.Error error = result.get();
                errors.add(BlobKeys.quote(error.objectName()) + " (" + error.code() + ")");
              }
              return null;
            });
      } catch (MinioException e) {
        throw failure("delete prefix", prefix, e);
      }
      if (!errors.isEmpty()) {
        throw new IOException(
            "S3 delete prefix "
                + BlobKeys.quote(prefix)
                + " in bucket "
                + bucket
                + ": "
                + errors.size()
                + " of "
                + batch.size()
                + " objects not deleted, first "
                + errors.get(0)
                + "; "
                + deleted
                + " deleted before this batch");
      }
      deleted += batch.size();
    }
    return deleted;
  }

  @Override
  public void close() throws IOException {
    try {
      client.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("closing the S3 client failed", e);
    }
  }

  private static boolean isNotFound(MinioException e) {
    return e instanceof ErrorResponseException response
        && NOT_FOUND_CODES.contains(response.errorResponse().code());
  }

  private IOException notFoundOrFailure(String operation, String key, MinioException e) {
    if (isNotFound(e)) {
      BlobNotFoundException notFound = new BlobNotFoundException(key);
      notFound.initCause(e);
      return notFound;
    }
    return failure(operation, key, e);
  }

  /**
   * An {@link IOException} for a failed call. The message has the operation, bucket, key and what
   * S3 said, but not the client's HTTP trace, which carries the signed Authorization header.
   */
  private IOException failure(String operation, String key, MinioException e) {
    StringBuilder message = new StringBuilder("S3 ").append(operation);
    if (key != null) {
      message.append(' ').append(BlobKeys.quote(key)).append(" in bucket");
    }
    message.append(' ').append(bucket).append(" failed: ");
    if (e instanceof ErrorResponseException response) {
      message
          .append(response.errorResponse().code())
          .append(" (")
          .append(response.errorResponse().message())
          .append(')');
    } else {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      message.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
    }
    return new IOException(message.toString(), e);
  }

  @Override
  public String toString() {
    return "S3BlobStore[bucket=" + bucket + "]";
  }
}
