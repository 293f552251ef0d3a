package org.reelbox.ingest.store.internal;

import static java.util.Objects.requireNonNull;

import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.ComposeObjectArgs;
import io.minio.CopyObjectArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetObjectArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadPartArgs;
import io.minio.UploadPartCopyArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import io.minio.messages.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.storage.S3BlobStore;
import org.reelbox.ingest.store.UploadInfo;
import org.reelbox.ingest.store.UploadNotFoundException;
import org.reelbox.ingest.store.UploadState;
import org.reelbox.ingest.store.UploadStore;
import org.reelbox.ingest.store.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link UploadStore} on S3 (MinIO or any S3 API), in the style of tusd's s3store.
 *
 * <h2>Objects</h2>
 *
 * Upload {@code id} lives under {@code uploads/{id}/}:
 *
 * <ul>
 *   <li>{@code info.json}: its {@link UploadInfo} and the multipart state ({@link Record});
 *   <li>{@code data}: the target of its S3 multipart upload, readable once {@link #finish}ed;
 *   <li>{@code tail-{start}}: the bytes past the last full part, starting at upload offset {@code
 *       start}.
 * </ul>
 *
 * <h2>Parts and the tail</h2>
 *
 * S3 wants every part but the last to be at least 5 MiB, while a tus chunk may be any size. Bytes
 * are staged in a temporary file on local disk (never in memory) and sent as a part each time the
 * stage reaches the part size. What is left when the chunk ends is stored as the tail object, and
 * the next write starts its stage with the tail. When the last byte is in, the stage (or the tail,
 * at {@link #finish}) becomes the last part, whatever its size.
 *
 * <h2>Crash safety</h2>
 *
 * {@code info.json} is authoritative and is written after what it counts is in S3. A part uploaded
 * but not yet recorded is overwritten by the next write under the same part number. A tail's key
 * names its start offset, and the tail at a given start only ever grows by appending, so the first
 * {@code tailSize} bytes of the tail object are right even if a newer, longer tail replaced it
 * before the info was written.
 */
public final class S3UploadStore
    implements UploadStore,
        UploadStore.Terminater,
        UploadStore.Concater,
        UploadStore.LengthDeferrer,
        UploadStore.Committer {
  private static final Logger log = LoggerFactory.getLogger(S3UploadStore.class);

  static final String PREFIX = "uploads/";
  private static final String INFO = "/info.json";
  private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject", "NoSuchUpload");
  private static final int BUFFER_BYTES = 64 * 1024;
  private static final long MIN_PART_BYTES = 5L * 1024 * 1024;

  private final MinioAsyncClient client;
  private final String bucket;
  private final long partSizeBytes;
  private final Path stagingDir;
  private final boolean sameBucketAsBlobs;

  /**
   * The multipart state of an upload, kept in {@code info.json} beside its info.
   *
   * @param multipartId the S3 upload id, or null when there is none (a final upload, or finished)
   * @param parts the uploaded parts in order
   * @param tailSize how many bytes the tail object holds for this upload
   * @param finished whether {@code data} is complete
   */
  record S3State(String multipartId, List<PartRef> parts, long tailSize, boolean finished) {
    S3State {
      parts = List.copyOf(parts);
    }

    long partBytes() {
      return parts.stream().mapToLong(PartRef::size).sum();
    }

    S3State withParts(List<PartRef> newParts, long newTailSize) {
      return new S3State(multipartId, newParts, newTailSize, finished);
    }
  }

  record PartRef(int number, String etag, long size) {}

  /** What {@code info.json} holds. */
  record Record(UploadInfo upload, S3State s3) {}

  /**
   * @param config the S3 endpoint, credentials and bucket (created when missing)
   * @param partSizeBytes the multipart part size, at least 5 MiB
   * @param stagingDir where parts are staged on local disk
   * @param sameBucketAsBlobs whether the role's {@link S3BlobStore} uses this same endpoint and
   *     bucket, so that a commit can be a server-side copy
   */
  public S3UploadStore(
      StorageConfig.S3 config, long partSizeBytes, Path stagingDir, boolean sameBucketAsBlobs)
      throws IOException {
    requireNonNull(config, "config");
    this.bucket = config.bucket();
    this.partSizeBytes = partSizeBytes;
    this.sameBucketAsBlobs = sameBucketAsBlobs;
    this.stagingDir = Files.createDirectories(requireNonNull(stagingDir, "stagingDir"));
    MinioAsyncClient.Builder builder =
        MinioAsyncClient.builder()
            .endpoint(config.endpoint())
            // The role's one S3 connection pool; building another would re-read the system's CA
            // certificates, which takes seconds.
            .httpClient(S3BlobStore.sharedHttpClient(), false);
    if (!config.region().isEmpty()) {
      builder.region(config.region());
    }
    if (!config.accessKey().isEmpty()) {
      builder.credentials(config.accessKey(), config.secretKey());
    }
    this.client = builder.build();
    if (!await(client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()), "open")) {
      try {
        await(client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build()), "create bucket");
      } catch (IOException e) {
        // Another role created it first; only fail if it still is not there.
        if (!await(
            client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()), "open")) {
          throw e;
        }
      }
    }
  }

  @Override
  public UploadInfo create(UploadInfo info) throws IOException {
    requireNonNull(info, "info");
    if (info.offset() != 0) {
      throw new IllegalArgumentException("a new upload has offset 0, got " + info.offset());
    }
    String multipartId = null;
    if (info.concat() != org.reelbox.ingest.store.ConcatKind.FINAL) {
      multipartId =
          await(
                  client.createMultipartUpload(
                      CreateMultipartUploadArgs.builder()
                          .bucket(bucket)
                          .object(dataKey(info.id()))
                          .build()),
                  "create multipart upload for " + info.id())
              .result()
              .uploadId();
    }
    try {
      save(new Record(info, new S3State(multipartId, List.of(), 0, false)));
    } catch (IOException | RuntimeException e) {
      abortQuietly(info.id(), multipartId);
      throw e;
    }
    return info;
  }

  @Override
  public Optional<UploadInfo> get(String id) throws IOException {
    return loadRecord(id).map(Record::upload);
  }

  private Optional<Record> loadRecord(String id) throws IOException {
    UploadInfo.requireValidId(id);
    try (InputStream in =
        await(
            client.getObject(GetObjectArgs.builder().bucket(bucket).object(infoKey(id)).build()),
            "read info of " + id)) {
      return Optional.of(InfoCodec.read(in.readAllBytes(), Record.class, id));
    } catch (NotFound e) {
      return Optional.empty();
    }
  }

  private Record load(String id) throws IOException {
    return loadRecord(id).orElseThrow(() -> new UploadNotFoundException(id));
  }

  @Override
  public List<String> ids() throws IOException {
    List<String> ids = new ArrayList<>();
    ListObjectsArgs args =
        ListObjectsArgs.builder().bucket(bucket).prefix(PREFIX).recursive(true).build();
    try {
      for (Result<Item> result : client.listObjects(args)) {
        String name = result.get().objectName();
        if (name.endsWith(INFO)) {
          String id = name.substring(PREFIX.length(), name.length() - INFO.length());
          if (UploadInfo.isValidId(id)) {
            ids.add(id);
          }
        }
      }
    } catch (MinioException | RuntimeException e) {
      throw failure("list uploads", e);
    }
    return ids;
  }

  @Override
  public WriteResult write(String id, long offset, InputStream in, long maxBytes)
      throws IOException {
    requireNonNull(in, "in");
    Record record = load(id);
    UploadInfo info = record.upload();
    S3State s3 = record.s3();
    FileUploadStore.requireWritable(info, offset);
    if (s3.multipartId() == null || s3.finished()) {
      throw new IllegalStateException("upload " + id + " takes no more bytes");
    }
    long limit = info.length() >= 0 ? Math.min(maxBytes, info.length() - offset) : maxBytes;
    HeadBuffer head = new HeadBuffer(info.head());
    List<PartRef> parts = new ArrayList<>(s3.parts());
    String oldTailKey = s3.tailSize() > 0 ? tailKey(id, s3.partBytes()) : null;
    Path stage = Files.createTempFile(stagingDir, id + ".", ".part");
    long written = 0;
    IOException inputFailure = null;
    try (StageFile file = new StageFile(stage)) {
      long staged = 0;
      if (s3.tailSize() > 0) {
        staged = stageTail(id, oldTailKey, s3.tailSize(), file);
      }
      byte[] buffer = new byte[BUFFER_BYTES];
      while (written < limit) {
        int want = (int) Math.min(Math.min(buffer.length, limit - written), partSizeBytes - staged);
        int n;
        try {
          n = in.read(buffer, 0, want);
        } catch (IOException e) {
          inputFailure = e;
          break;
        }
        if (n < 0) {
          break;
        }
        file.write(buffer, 0, n);
        head.accept(offset + written, buffer, 0, n);
        written += n;
        staged += n;
        if (staged == partSizeBytes) {
          parts.add(uploadPart(id, s3.multipartId(), parts.size() + 1, file, staged));
          staged = 0;
          file.setLength(0);
          // Record each part as it lands: a crash or a storage failure later in this write keeps
          // the bytes already in S3.
          info = info.withBytes(info.length(), offset + written, head.bytes());
          s3 = s3.withParts(parts, 0);
          save(new Record(info, s3));
        }
      }
      long end = offset + written;
      long tailSize = 0;
      if (staged > 0) {
        if (info.length() >= 0 && end == info.length()) {
          // The last bytes: the last part may be of any size.
          parts.add(uploadPart(id, s3.multipartId(), parts.size() + 1, file, staged));
        } else {
          putFile(tailKey(id, end - staged), file, staged);
          tailSize = staged;
        }
      }
      info = info.withBytes(info.length(), end, head.bytes());
      s3 = s3.withParts(parts, tailSize);
      save(new Record(info, s3));
    } finally {
      Files.deleteIfExists(stage);
    }
    String newTailKey = s3.tailSize() > 0 ? tailKey(id, s3.partBytes()) : null;
    if (oldTailKey != null && !oldTailKey.equals(newTailKey)) {
      removeQuietly(oldTailKey);
    }
    return new WriteResult(info, Optional.ofNullable(inputFailure));
  }

  /** Copies the first {@code size} bytes of the tail object into the empty stage file. */
  private long stageTail(String id, String key, long size, StageFile file) throws IOException {
    try (InputStream in =
        await(
            client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()),
            "read tail of " + id)) {
      byte[] buffer = new byte[BUFFER_BYTES];
      long copied = 0;
      while (copied < size) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - copied));
        if (n < 0) {
          throw new IOException("tail of upload " + id + " is shorter than " + size + " bytes");
        }
        file.write(buffer, 0, n);
        copied += n;
      }
      return copied;
    }
  }

  private PartRef uploadPart(String id, String multipartId, int number, StageFile file, long size)
      throws IOException {
    file.seek(0);
    UploadPartArgs args =
        UploadPartArgs.builder()
            .bucket(bucket)
            .object(dataKey(id))
            .uploadId(multipartId)
            .partNumber(number)
            .file(file, size)
            .build();
    Part part = await(client.uploadPart(args), "upload part " + number + " of " + id).part();
    file.seek(0);
    return new PartRef(number, part.etag(), size);
  }

  private void putFile(String key, StageFile file, long size) throws IOException {
    file.seek(0);
    try (InputStream in = java.nio.channels.Channels.newInputStream(file.getChannel())) {
      await(
          client.putObject(
              PutObjectArgs.builder().bucket(bucket).object(key).stream(in, size, -1L).build()),
          "put " + key);
    }
  }

  @Override
  public UploadInfo finish(String id) throws IOException {
    Record record = load(id);
    UploadInfo info = record.upload();
    S3State s3 = record.s3();
    if (s3.finished()) {
      return info;
    }
    if (!info.fullyReceived()) {
      throw new IllegalStateException("upload " + id + " is not fully received: " + info);
    }
    List<PartRef> parts = new ArrayList<>(s3.parts());
    if (s3.tailSize() > 0) {
      // A deferred length declared after the last bytes came: the tail is the last part.
      Path stage = Files.createTempFile(stagingDir, id + ".", ".part");
      try (StageFile file = new StageFile(stage)) {
        stageTail(id, tailKey(id, s3.partBytes()), s3.tailSize(), file);
        parts.add(uploadPart(id, s3.multipartId(), parts.size() + 1, file, s3.tailSize()));
      } finally {
        Files.deleteIfExists(stage);
      }
    }
    if (parts.isEmpty()) {
      // S3 cannot complete a multipart upload of no parts.
      await(
          client.putObject(
              PutObjectArgs.builder()
                  .bucket(bucket)
                  .object(dataKey(id))
                  .data(new byte[0], 0)
                  .build()),
          "put empty " + id);
      abortQuietly(id, s3.multipartId());
    } else {
      Part[] completed =
          parts.stream().map(p -> new Part(p.number(), p.etag())).toArray(Part[]::new);
      try {
        await(
            client.completeMultipartUpload(
                CompleteMultipartUploadArgs.builder()
                    .bucket(bucket)
                    .object(dataKey(id))
                    .uploadId(s3.multipartId())
                    .parts(completed)
                    .build()),
            "complete multipart upload of " + id);
      } catch (NotFound e) {
        // Completed by an earlier call that did not get to record it.
        if (statSize(dataKey(id)).orElse(-1L) != info.length()) {
          throw e;
        }
      }
    }
    S3State done = new S3State(null, parts, 0, true);
    save(new Record(info, done));
    if (s3.tailSize() > 0) {
      removeQuietly(tailKey(id, s3.partBytes()));
    }
    return info;
  }

  @Override
  public InputStream read(String id) throws IOException {
    Record record = load(id);
    if (!record.s3().finished()) {
      throw new IllegalStateException("upload " + id + " is not finished");
    }
    try {
      return await(
          client.getObject(GetObjectArgs.builder().bucket(bucket).object(dataKey(id)).build()),
          "read " + id);
    } catch (NotFound e) {
      throw new IOException("the bytes of upload " + id + " are gone", e);
    }
  }

  @Override
  public UploadInfo update(String id, UnaryOperator<UploadInfo> change) throws IOException {
    Record record = load(id);
    UploadInfo current = record.upload();
    UploadInfo changed = requireNonNull(change.apply(current), "change returned null");
    if (!changed.id().equals(id)) {
      throw new IllegalArgumentException("update must not change the id of upload " + id);
    }
    UploadInfo merged = changed.withStoreFieldsOf(current);
    save(new Record(merged, record.s3()));
    return merged;
  }

  @Override
  public void delete(String id) throws IOException {
    Optional<Record> record = loadRecord(id);
    if (record.isPresent()) {
      releaseBytes(id, record.get().s3());
    }
    removeAll(PREFIX + id + "/");
  }

  @Override
  public UploadInfo terminate(String id, UploadState state) throws IOException {
    if (state.holdsBytes()) {
      throw new IllegalArgumentException("a tombstone state holds no bytes, got " + state);
    }
    Record record = load(id);
    releaseBytes(id, record.s3());
    for (String key : keysUnder(PREFIX + id + "/")) {
      if (!key.equals(infoKey(id))) {
        remove(key);
      }
    }
    UploadInfo info = record.upload().withState(state);
    save(new Record(info, new S3State(null, List.of(), 0, record.s3().finished())));
    return info;
  }

  private void releaseBytes(String id, S3State s3) throws IOException {
    if (s3.multipartId() != null) {
      try {
        await(
            client.abortMultipartUpload(
                AbortMultipartUploadArgs.builder()
                    .bucket(bucket)
                    .object(dataKey(id))
                    .uploadId(s3.multipartId())
                    .build()),
            "abort multipart upload of " + id);
      } catch (NotFound e) {
        // Already aborted or completed.
      }
    }
  }

  @Override
  public UploadInfo concat(String finalId, List<UploadInfo> partials) throws IOException {
    Record record = load(finalId);
    // Run again after a crash: start over.
    abortQuietly(finalId, record.s3().multipartId());
    long total = 0;
    boolean composable = partials.size() > 1;
    for (int i = 0; i < partials.size(); i++) {
      long size = partials.get(i).offset();
      total += size;
      // UploadPartCopy has the same 5 MiB floor as UploadPart, for every source but the last.
      if (size == 0 || (i < partials.size() - 1 && size < MIN_PART_BYTES)) {
        composable = false;
      }
    }
    String target = dataKey(finalId);
    UploadInfo info = record.upload();
    if (!composable) {
      return streamConcat(finalId, info, partials, total);
    }
    try {
      copyParts(finalId, partials);
    } catch (IOException | RuntimeException e) {
      // Some S3 implementations refuse UploadPartCopy: stream instead.
      log.warn(
          "server-side concatenation of {} failed ({}); streaming it", finalId, e.getMessage());
      return streamConcat(finalId, info, partials, total);
    }
    byte[] head;
    try (InputStream in =
        await(
            client.getObject(
                GetObjectArgs.builder()
                    .bucket(bucket)
                    .object(target)
                    .offset(0L)
                    .length((long) Math.min(total, UploadInfo.HEAD_BYTES))
                    .build()),
            "read head of " + finalId)) {
      head = in.readNBytes((int) Math.min(total, UploadInfo.HEAD_BYTES));
    }
    UploadInfo done = info.withBytes(total, total, head);
    save(new Record(done, new S3State(null, List.of(), 0, true)));
    return done;
  }

  /** Concatenates by streaming the partials through the disk-staged multipart path of a PATCH. */
  private UploadInfo streamConcat(
      String finalId, UploadInfo info, List<UploadInfo> partials, long total) throws IOException {
    String multipartId =
        await(
                client.createMultipartUpload(
                    CreateMultipartUploadArgs.builder()
                        .bucket(bucket)
                        .object(dataKey(finalId))
                        .build()),
                "create multipart upload for " + finalId)
            .result()
            .uploadId();
    save(
        new Record(
            info.withBytes(total, 0, new byte[0]), new S3State(multipartId, List.of(), 0, false)));
    WriteResult written;
    try (InputStream in = new ConcatenatedInputStream(this, partials)) {
      written = write(finalId, 0, in, total);
    }
    if (written.inputFailure().isPresent()) {
      throw written.inputFailure().get();
    }
    return finish(finalId);
  }

  /**
   * Server-side concatenation: one UploadPartCopy per partial (each but the last at least 5 MiB).
   * Done by hand rather than with the client's composeObject, which sends an {@code
   * x-amz-copy-source-if-match} precondition on each source's ETag that not every S3 implementation
   * evaluates correctly for multipart ETags; the sources here never change.
   */
  private void copyParts(String finalId, List<UploadInfo> partials) throws IOException {
    String target = dataKey(finalId);
    String multipartId =
        await(
                client.createMultipartUpload(
                    CreateMultipartUploadArgs.builder().bucket(bucket).object(target).build()),
                "create multipart upload for " + finalId)
            .result()
            .uploadId();
    ComposeObjectArgs targetArgs =
        ComposeObjectArgs.builder()
            .bucket(bucket)
            .object(target)
            .sources(
                List.of(
                    SourceObject.builder()
                        .bucket(bucket)
                        .object(dataKey(partials.get(0).id()))
                        .build()))
            .build();
    try {
      List<Part> parts = new ArrayList<>();
      for (int i = 0; i < partials.size(); i++) {
        Http.Headers headers = new Http.Headers();
        headers.put("x-amz-copy-source", "/" + bucket + "/" + dataKey(partials.get(i).id()));
        // UploadPartCopyArgs' own builder cannot build in MinIO 9.0.4 (its constructor is
        // private); this constructor takes the bucket and object from compose arguments.
        UploadPartCopyArgs args = new UploadPartCopyArgs(targetArgs, multipartId, i + 1, headers);
        Part part =
            await(client.uploadPartCopy(args), "copy partial " + (i + 1) + " into " + finalId)
                .part();
        parts.add(new Part(i + 1, part.etag()));
      }
      await(
          client.completeMultipartUpload(
              CompleteMultipartUploadArgs.builder()
                  .bucket(bucket)
                  .object(target)
                  .uploadId(multipartId)
                  .parts(parts.toArray(Part[]::new))
                  .build()),
          "complete concatenation of " + finalId);
    } catch (IOException | RuntimeException e) {
      abortQuietly(finalId, multipartId);
      throw e;
    }
  }

  @Override
  public UploadInfo declareLength(String id, long length) throws IOException {
    Record record = load(id);
    UploadInfo info = record.upload();
    if (!info.hasDeferredLength()) {
      throw new IllegalStateException("upload " + id + " already has a length");
    }
    if (length < info.offset()) {
      throw new IllegalStateException(
          "length " + length + " of upload " + id + " is below its offset " + info.offset());
    }
    UploadInfo declared = info.withBytes(length, info.offset(), info.head());
    save(new Record(declared, record.s3()));
    return declared;
  }

  @Override
  public boolean commitTo(String id, BlobStore target, String key) throws IOException {
    if (!sameBucketAsBlobs || !(target instanceof S3BlobStore s3) || !s3.bucket().equals(bucket)) {
      return false;
    }
    UploadInfo info = load(id).upload();
    Optional<Long> size = statSize(dataKey(id));
    if (size.isEmpty()) {
      // Copied and removed by an earlier call that did not get to record it.
      if (statSize(key).orElse(-1L) == info.length()) {
        return true;
      }
      throw new IOException("the bytes of upload " + id + " are gone and " + key + " lacks them");
    }
    // CopyObject takes sources up to 5 GiB in one request; uploads are at most 1 GiB.
    await(
        client.copyObject(
            CopyObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .source(SourceObject.builder().bucket(bucket).object(dataKey(id)).build())
                .build()),
        "copy " + id + " to " + key);
    remove(dataKey(id));
    return true;
  }

  private Optional<Long> statSize(String key) throws IOException {
    try {
      StatObjectResponse stat =
          await(
              client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()),
              "stat " + key);
      return Optional.of(stat.size());
    } catch (NotFound e) {
      return Optional.empty();
    }
  }

  private void save(Record record) throws IOException {
    byte[] json = InfoCodec.write(record);
    await(
        client.putObject(
            PutObjectArgs.builder()
                .bucket(bucket)
                .object(infoKey(record.upload().id()))
                .data(json, json.length)
                .contentType("application/json")
                .build()),
        "write info of " + record.upload().id());
  }

  private List<String> keysUnder(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    ListObjectsArgs args =
        ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build();
    try {
      for (Result<Item> result : client.listObjects(args)) {
        keys.add(result.get().objectName());
      }
    } catch (MinioException | RuntimeException e) {
      throw failure("list " + prefix, e);
    }
    return keys;
  }

  private void removeAll(String prefix) throws IOException {
    for (String key : keysUnder(prefix)) {
      remove(key);
    }
  }

  private void remove(String key) throws IOException {
    await(
        client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build()),
        "remove " + key);
  }

  private void removeQuietly(String key) {
    try {
      remove(key);
    } catch (IOException e) {
      log.warn("could not remove stale object {}: {}", key, e.getMessage());
    }
  }

  private void abortQuietly(String id, String multipartId) {
    if (multipartId == null) {
      return;
    }
    try {
      releaseBytes(id, new S3State(multipartId, List.of(), 0, false));
    } catch (IOException e) {
      log.warn("could not abort the multipart upload of {}: {}", id, e.getMessage());
    }
  }

  static String infoKey(String id) {
    return PREFIX + UploadInfo.requireValidId(id) + INFO;
  }

  static String dataKey(String id) {
    return PREFIX + UploadInfo.requireValidId(id) + "/data";
  }

  static String tailKey(String id, long start) {
    return PREFIX + UploadInfo.requireValidId(id) + "/tail-" + start;
  }

  /** A "no such key / upload" answer from S3. */
  static final class NotFound extends IOException {
    private static final long serialVersionUID = 1L;

    NotFound(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Waits for an S3 call; its failure comes out as an {@link IOException} naming it. */
  private <T> T await(CompletableFuture<T> call, String what) throws IOException {
    try {
      return call.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted: S3 " + what);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause instanceof java.util.concurrent.CompletionException
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof ErrorResponseException response
          && NOT_FOUND.contains(response.errorResponse().code())) {
        throw new NotFound("S3 " + what + ": " + response.errorResponse().code(), cause);
      }
      throw failure(what, cause);
    }
  }

  /** Never the client's HTTP trace: it carries the signed Authorization header. */
  private IOException failure(String what, Throwable cause) {
    String detail =
        cause instanceof ErrorResponseException response
            ? response.errorResponse().code() + " (" + response.errorResponse().message() + ")"
            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return new IOException("S3 " + what + " in bucket " + bucket + " failed: " + detail, cause);
  }

  @Override
  public void close() throws IOException {
    try {
      client.close();
    } catch (Exception e) {
      throw new IOException("closing the S3 client failed", e);
    }
  }

  @Override
  public String toString() {
    return "S3UploadStore[bucket=" + bucket + "]";
  }

  /**
   * A part staged on local disk, handed to MinIO as the body of an UploadPart.
   *
   * <p>MinIO 9 hashes a {@link RandomAccessFile} body for the request signature (reading it, which
   * moves the file pointer to the end) and only then records the file pointer as the start of the
   * body, so the body it sends is empty and the call fails with an EOFException. This file always
   * reports position 0, where every stage starts, so that MinIO sends the whole stage.
   */
  static final class StageFile extends RandomAccessFile {
    StageFile(Path path) throws IOException {
      super(path.toFile(), "rw");
    }

    @Override
    public long getFilePointer() {
      return 0;
    }
  }

  /** The bytes of finished partial uploads one after the other, read lazily. */
  private static final class ConcatenatedInputStream extends InputStream {
    private final S3UploadStore store;
    private final List<UploadInfo> partials;
    private int next;
    private InputStream current;

    ConcatenatedInputStream(S3UploadStore store, List<UploadInfo> partials) {
      this.store = store;
      this.partials = partials;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (true) {
        if (current == null) {
          if (next == partials.size()) {
            return -1;
          }
          current = store.read(partials.get(next++).id());
        }
        int n = current.read(b, off, len);
        if (n >= 0) {
          return n;
        }
        current.close();
        current = null;
      }
    }

    @Override
    public void close() throws IOException {
      if (current != null) {
        current.close();
      }
    }
  }
}
