package org.reelbox.ingest.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.ingest.IngestConfig;
import org.reelbox.ingest.store.ConcatKind;
import org.reelbox.ingest.store.UploadInfo;
import org.reelbox.ingest.store.UploadState;
import org.reelbox.ingest.store.UploadStore;
import org.reelbox.ingest.store.WriteResult;
import org.reelbox.ingest.tus.ContainerSniffer;
import org.reelbox.ingest.tus.TusError;
import org.reelbox.ingest.tus.UploadChecksum;
import org.reelbox.ingest.tus.UploadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tus operations on uploads — create, inspect, append, terminate, concatenate — and what
 * follows the last byte: commit to {@code originals/} and notify the control plane. Blocking and
 * independent of HTTP: the Vert.x handler calls it from worker threads, and turns its {@link
 * org.reelbox.ingest.tus.TusException}s into answers.
 *
 * <h2>Authorization</h2>
 *
 * Every operation gets the verified token's claims. An upload of another video is answered exactly
 * like a missing one (404), so that ids cannot be probed across videos.
 *
 * <h2>Completion</h2>
 *
 * When the last byte of a single upload (or a final concatenation) is in, the upload turns
 * COMMITTING and {@link #complete} runs its steps, each idempotent so that the whole can run again
 * after a failure or a crash: finish the store's upload; compute the SHA-256 (from the digest kept
 * while the bytes streamed in, or by reading the bytes back when that digest was lost to a restart
 * or the upload is a concatenation) and record it; commit the bytes to {@code
 * originals/{videoId}/source}; record the control-plane notification on disk; release the upload's
 * bytes and mark it COMMITTED. The first run starts in the background as soon as the last PATCH (or
 * the final concatenation's POST) is answered; failed runs are retried in the background with
 * back-off, and {@link #recover()} resumes them after a restart.
 *
 * <h2>Concurrency</h2>
 *
 * An upload's state changes only under its lock ({@link UploadLocks}); reads (HEAD) take no lock
 * and see the last state written.
 */
final class UploadService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UploadService.class);

  /** The token's subject becomes part of an object key: keep it to one plain segment. */
  private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  static final Duration LOCK_WAIT = Duration.ofSeconds(10);
  private static final int COPY_BUFFER_BYTES = 64 * 1024;

  /** A creation request other than a final concatenation. */
  record Create(
      TokenClaims claims,
      long length,
      UploadMetadata metadata,
      ConcatKind concat,
      String concatHeader) {}

  /**
   * A PATCH, or the body of a creation-with-upload.
   *
   * @param declaredLength {@code Upload-Length}, when the request has one
   * @param checksum {@code Upload-Checksum}, or null
   * @param contentLength the body's length, when the request says it
   * @param beforeBody run just before the body is read (sends {@code 100 Continue} if expected)
   */
  record Append(
      String id,
      TokenClaims claims,
      long offset,
      OptionalLong declaredLength,
      UploadChecksum checksum,
      OptionalLong contentLength,
      RequestBodyStream body,
      Runnable beforeBody) {}

  /** The SHA-256 of an upload's bytes so far, kept while they stream in. */
  private static final class LiveDigest {
    final MessageDigest sha256 = newSha256();
    long offset;
  }

  private final UploadStore store;
  private final BlobStore blobs;
  private final CompletionNotifier notifier;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final IngestConfig.Uploads config;
  private final IngestConfig.Notifications retry;
  private final Path stagingDir;
  private final UploadLocks locks = new UploadLocks();
  private final Map<String, LiveDigest> digests = new ConcurrentHashMap<>();
  private final ScheduledExecutorService background;
  private final SecureRandom random = new SecureRandom();

  UploadService(
      UploadStore store,
      BlobStore blobs,
      CompletionNotifier notifier,
      IngestMetrics metrics,
      Clock clock,
      IngestConfig.Uploads config,
      IngestConfig.Notifications retry,
      Path stagingDir)
      throws IOException {
    this.store = requireNonNull(store, "store");
    this.blobs = requireNonNull(blobs, "blobs");
    this.notifier = requireNonNull(notifier, "notifier");
    this.metrics = requireNonNull(metrics, "metrics");
    this.clock = requireNonNull(clock, "clock");
    this.config = requireNonNull(config, "config");
    this.retry = requireNonNull(retry, "retry");
    this.stagingDir = Files.createDirectories(requireNonNull(stagingDir, "stagingDir"));
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "ingest-background");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.background = executor;
  }

  // ---------------------------------------------------------------- capabilities

  /** The tus extensions this store supports, for {@code Tus-Extension}. */
  List<String> extensions() {
    List<String> extensions = new ArrayList<>(List.of("creation", "creation-with-upload"));
    if (store instanceof UploadStore.LengthDeferrer) {
      extensions.add("creation-defer-length");
    }
    extensions.add("expiration");
    extensions.add("checksum");
    if (store instanceof UploadStore.Terminater) {
      extensions.add("termination");
    }
    if (store instanceof UploadStore.Concater) {
      extensions.add("concatenation");
    }
    return extensions;
  }

  boolean canTerminate() {
    return store instanceof UploadStore.Terminater;
  }

  boolean canConcatenate() {
    return store instanceof UploadStore.Concater;
  }

  long maxSizeBytes() {
    return config.maxSizeBytes();
  }

  /** Whether a token's subject can name a video here; checked before any other use of it. */
  static boolean isValidVideoId(String subject) {
    return VIDEO_ID.matcher(subject).matches();
  }

  // ---------------------------------------------------------------- creation

  /** Checks a declared upload length against Tus-Max-Size and the token's byte limit. */
  void checkLength(long length, TokenClaims claims) {
    if (length > config.maxSizeBytes()) {
      throw TusError.MAX_SIZE_EXCEEDED.exception();
    }
    if (claims.hasByteLimit() && length > claims.byteLimit()) {
      throw TusError.TOKEN_LIMIT_EXCEEDED.exception();
    }
  }

  /** Creates a single or partial upload. */
  UploadInfo create(Create request) throws IOException {
    TokenClaims claims = request.claims();
    boolean deferred = request.length() == UploadInfo.DEFERRED;
    if (deferred && !(store instanceof UploadStore.LengthDeferrer)) {
      throw TusError.DEFER_NOT_SUPPORTED.exception();
    }
    if (!deferred) {
      checkLength(request.length(), claims);
    }
    if (request.length() == 0 && request.concat() == ConcatKind.NONE) {
      // Nothing to sniff: an empty file is not a video.
      throw TusError.UNSUPPORTED_CONTAINER.exception("the upload is empty");
    }
    Instant now = clock.instant();
    UploadInfo info =
        store.create(
            UploadInfo.create(
                newId(),
                claims.subject(),
                claims.owner(),
                request.length(),
                request.metadata() == null ? null : request.metadata().header(),
                request.concat(),
                request.concatHeader(),
                List.of(),
                now,
                expiry(now, claims)));
    metrics.created(request.concat());
    metrics.activeChanged(1);
    log.debug("created {}", info);
    if (info.fullyReceived()) {
      // An empty partial upload: complete at once.
      try (UploadLocks.Lease lease = lock(info.id(), null, false)) {
        info = onFullyReceived(info);
      }
    }
    return info;
  }

  private Instant expiry(Instant now, TokenClaims claims) {
    Instant byConfig = now.plusSeconds(config.expirySeconds());
    return byConfig.isBefore(claims.expiresAt()) ? byConfig : claims.expiresAt();
  }

  private String newId() {
    byte[] bytes = new byte[UploadInfo.ID_LENGTH / 2];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  // ---------------------------------------------------------------- lookup

  /**
   * The upload, if the token may see it and it is still there.
   *
   * @throws org.reelbox.ingest.tus.TusException NOT_FOUND (missing, or another video's), GONE
   *     (terminated, expired, rejected)
   */
  UploadInfo find(String id, TokenClaims claims) throws IOException {
    if (!UploadInfo.isValidId(id)) {
      throw TusError.NOT_FOUND.exception();
    }
    Optional<UploadInfo> found = store.get(id);
    if (found.isEmpty() || !found.get().videoId().equals(claims.subject())) {
      throw TusError.NOT_FOUND.exception();
    }
    UploadInfo info = found.get();
    if (info.state().isGone() || isExpired(info)) {
      throw TusError.GONE.exception();
    }
    return info;
  }

  /** Whether an unfinished upload is past its expiry (the sweeper may not have got to it yet). */
  boolean isExpired(UploadInfo info) {
    return unfinished(info) && !clock.instant().isBefore(info.expiresAt());
  }

  /** Holds bytes that are not yet the video's: receiving, or a partial waiting for its final. */
  private static boolean unfinished(UploadInfo info) {
    return info.state() == UploadState.UPLOADING || info.state() == UploadState.COMPLETE;
  }

  // ---------------------------------------------------------------- append (PATCH)

  /**
   * Appends a request body at the upload's offset: the core of PATCH, and the body of a
   * creation-with-upload.
   *
   * @return the upload after the append; when the client went away mid-body, with the bytes that
   *     arrived counted
   */
  UploadInfo append(Append request) throws IOException {
    UploadInfo info = find(request.id(), request.claims());
    if (info.concat() == ConcatKind.FINAL) {
      throw TusError.MODIFY_FINAL.exception();
    }
    RequestBodyStream body = request.body();
    try (UploadLocks.Lease lease =
        lock(
            request.id(),
            () -> body.abort("a newer request took over the upload", /* superseded= */ true),
            true)) {
      info = find(request.id(), request.claims()); // again, under the lock
      if (request.offset() != info.offset()) {
        throw TusError.OFFSET_MISMATCH.exception(
            "the upload is at " + info.offset() + "; HEAD tells the offset");
      }
      info = declareLength(info, request.declaredLength(), request.claims());
      long limit = limitOf(info, request.claims());
      long room = limit - info.offset();
      OptionalLong contentLength = request.contentLength();
      if (contentLength.isPresent() && contentLength.getAsLong() > room) {
        throw info.hasDeferredLength()
            ? lengthLimitError(request.claims())
            : TusError.SIZE_EXCEEDED.exception();
      }
      if (info.state() != UploadState.UPLOADING) {
        // Every byte is already in (room is 0): an empty PATCH at the end changes nothing.
        return info;
      }
      request.beforeBody().run();
      body.start();
      try {
        info = receive(info, request, room);
      } finally {
        metrics.bytesReceived(body.delivered());
      }
      if (info.fullyReceived()) {
        info = onFullyReceived(info);
      } else if (info.hasDeferredLength()
          && info.offset() == limit
          && contentLength.isEmpty()
          && body.hasMore()) {
        throw lengthLimitError(request.claims());
      }
      return info;
    }
  }

  /** The most bytes the upload may hold. */
  private long limitOf(UploadInfo info, TokenClaims claims) {
    if (!info.hasDeferredLength()) {
      return info.length();
    }
    long limit = config.maxSizeBytes();
    return claims.hasByteLimit() ? Math.min(limit, claims.byteLimit()) : limit;
  }

  private RuntimeException lengthLimitError(TokenClaims claims) {
    return claims.hasByteLimit() && claims.byteLimit() < config.maxSizeBytes()
        ? TusError.TOKEN_LIMIT_EXCEEDED.exception()
        : TusError.MAX_SIZE_EXCEEDED.exception();
  }

  /** creation-defer-length: the first request with Upload-Length sets it, once. */
  private UploadInfo declareLength(UploadInfo info, OptionalLong declared, TokenClaims claims)
      throws IOException {
    if (declared.isEmpty()) {
      return info;
    }
    long length = declared.getAsLong();
    if (!info.hasDeferredLength()) {
      if (length != info.length()) {
        throw TusError.LENGTH_ALREADY_SET.exception();
      }
      return info;
    }
    if (length < info.offset()) {
      throw TusError.LENGTH_BELOW_OFFSET.exception();
    }
    checkLength(length, claims);
    return ((UploadStore.LengthDeferrer) store).declareLength(info.id(), length);
  }

  /** Streams the body into the store: sniffing, checksum, SHA-256 on the way. */
  private UploadInfo receive(UploadInfo info, Append request, long room) throws IOException {
    String id = info.id();
    InputStream in = request.body();
    if (info.concat() == ConcatKind.NONE
        && info.container() == null
        && info.offset() < UploadInfo.HEAD_BYTES) {
      in = new SniffingInputStream(in, info.head());
    }
    Path staged = null;
    long stagedBytes = room;
    try {
      if (request.checksum() != null) {
        // Checksum extension: the chunk is verified whole before any of it is applied, so it
        // is staged on disk first (never in memory) and discarded on a mismatch.
        staged = Files.createTempFile(stagingDir, id + ".", ".chunk");
        try {
          stagedBytes = stage(in, staged, request.checksum(), room, request.body());
        } catch (SniffingInputStream.RejectedException e) {
          throw reject(info);
        }
        in = Files.newInputStream(staged);
      }
      LiveDigest live = liveDigest(info);
      HashingInputStream hashing = live == null ? null : new HashingInputStream(in, live.sha256);
      WriteResult result;
      try {
        result = store.write(id, info.offset(), hashing == null ? in : hashing, stagedBytes);
      } catch (IOException | RuntimeException e) {
        digests.remove(id);
        log.warn("storing bytes of upload {} failed: {}", id, e.toString());
        throw TusError.STORAGE_FAILED.exception();
      } finally {
        if (staged != null) {
          in.close();
        }
      }
      UploadInfo written = result.info();
      if (live != null) {
        if (live.offset + hashing.count() == written.offset()) {
          live.offset = written.offset();
        } else {
          digests.remove(id);
        }
      }
      Optional<IOException> failure = result.inputFailure();
      if (failure.isPresent()) {
        if (failure.get() instanceof SniffingInputStream.RejectedException) {
          throw reject(written);
        }
        if (failure.get() instanceof RequestBodyStream.AbortedException aborted
            && aborted.superseded()) {
          throw TusError.SUPERSEDED.exception();
        }
        log.info(
            "request body for upload {} interrupted after {} bytes: {}",
            id,
            written.offset() - info.offset(),
            failure.get().getMessage());
        return written;
      }
      return recordContainer(written);
    } finally {
      if (staged != null) {
        Files.deleteIfExists(staged);
      }
    }
  }

  /**
   * Copies at most {@code room} bytes into {@code file} and checks them against the checksum.
   *
   * @return the number of bytes staged
   */
  private long stage(
      InputStream in, Path file, UploadChecksum checksum, long room, RequestBodyStream body)
      throws IOException {
    MessageDigest digest = checksum.newDigest();
    long count = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[COPY_BUFFER_BYTES];
      while (count < room) {
        int n;
        try {
          n = in.read(buffer, 0, (int) Math.min(buffer.length, room - count));
        } catch (SniffingInputStream.RejectedException e) {
          throw e;
        } catch (RequestBodyStream.AbortedException e) {
          throw e.superseded() ? TusError.SUPERSEDED.exception() : new UncheckedIOException(e);
        } catch (IOException e) {
          // An incomplete chunk cannot be verified: discard all of it.
          log.info("checksummed chunk interrupted; discarded: {}", e.getMessage());
          throw TusError.CHECKSUM_MISMATCH.exception("the chunk was interrupted");
        }
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        digest.update(buffer, 0, n);
        count += n;
      }
    }
    if (count == room && body.hasMore()) {
      throw TusError.SIZE_EXCEEDED.exception();
    }
    if (!checksum.matches(digest.digest())) {
      throw TusError.CHECKSUM_MISMATCH.exception();
    }
    return count;
  }

  /** The live SHA-256 of a single upload, if it still covers every stored byte. */
  private LiveDigest liveDigest(UploadInfo info) {
    if (info.concat() != ConcatKind.NONE || store.rereadIsCheap()) {
      return null; // hashed at commit instead, off the upload's critical path
    }
    if (info.offset() == 0) {
      LiveDigest fresh = new LiveDigest();
      digests.put(info.id(), fresh);
      return fresh;
    }
    LiveDigest live = digests.get(info.id());
    return live != null && live.offset == info.offset() ? live : null;
  }

  /**
   * Sniffs the stored head of a single upload not yet recognized: records the container once known,
   * rejects the upload when it is known not to be one.
   */
  private UploadInfo recordContainer(UploadInfo info) throws IOException {
    if (info.concat() != ConcatKind.NONE || info.container() != null) {
      return info;
    }
    byte[] head = info.head();
    ContainerSniffer.Verdict verdict =
        ContainerSniffer.sniff(head, head.length, /* complete= */ info.fullyReceived());
    return switch (verdict.outcome()) {
      case ACCEPT -> {
        String container = verdict.container().wireName();
        yield store.update(info.id(), i -> i.withContainer(container));
      }
      case REJECT -> throw reject(info);
      case NEED_MORE -> info;
    };
  }

  /** Terminates an upload whose bytes are not a video; returns the error to answer. */
  private RuntimeException reject(UploadInfo info) throws IOException {
    log.info(
        "upload {} of video {} is not a supported container; rejected", info.id(), info.videoId());
    release(info, UploadState.REJECTED);
    metrics.failed("container");
    return TusError.UNSUPPORTED_CONTAINER.exception();
  }

  /** Releases an upload's bytes and records why, as a tombstone. */
  private void release(UploadInfo info, UploadState state) throws IOException {
    if (info.state() == UploadState.UPLOADING) {
      metrics.activeChanged(-1);
    }
    digests.remove(info.id());
    if (store instanceof UploadStore.Terminater terminater) {
      terminater.terminate(info.id(), state);
    } else {
      store.delete(info.id());
    }
  }

  /** The last byte is in: a partial waits for its final, anything else is committed. */
  private UploadInfo onFullyReceived(UploadInfo info) throws IOException {
    if (info.concat() == ConcatKind.NONE && info.container() == null) {
      info = recordContainer(info);
    }
    metrics.activeChanged(-1);
    if (info.concat() == ConcatKind.PARTIAL) {
      store.finish(info.id());
      return store.update(info.id(), i -> i.withState(UploadState.COMPLETE));
    }
    info = store.update(info.id(), i -> i.withState(UploadState.COMMITTING));
    // The client has sent everything: answer it now and commit in the background (forcing a 1 GiB
    // original to disk alone takes seconds). COMMITTING is on disk, so a crash resumes the commit;
    // the control plane hears of the video only once the commit is done.
    scheduleCompletion(info.id(), 0);
    return info;
  }

  // ---------------------------------------------------------------- termination (DELETE)

  void terminate(String id, TokenClaims claims) throws IOException {
    find(id, claims);
    try (UploadLocks.Lease lease = lock(id, null, true)) {
      UploadInfo info = find(id, claims);
      release(info, UploadState.TERMINATED);
      metrics.terminated();
      log.debug("terminated {}", info);
    }
  }

  // ---------------------------------------------------------------- concatenation (final POST)

  /**
   * Creates the final upload of {@code partialIds}, concatenates them, and commits the result: the
   * video. Idempotent: the same request again (its answer was lost) answers the same final upload.
   */
  UploadInfo createFinal(
      TokenClaims claims, List<String> partialIds, String concatHeader, UploadMetadata metadata)
      throws IOException {
    List<UploadInfo> partials = new ArrayList<>();
    for (int i = 0; i < partialIds.size(); i++) {
      UploadInfo partial;
      try {
        partial = find(partialIds.get(i), claims);
      } catch (org.reelbox.ingest.tus.TusException e) {
        throw e.error().exception("partial upload " + (i + 1) + " of the list");
      }
      if (partial.concat() != ConcatKind.PARTIAL) {
        throw TusError.CONCAT_NOT_PARTIAL.exception("upload " + (i + 1) + " of the list");
      }
      partials.add(partial);
    }
    Optional<UploadInfo> existing = existingFinal(partials, partialIds);
    if (existing.isPresent()) {
      return existing.get();
    }
    long total = 0;
    for (UploadInfo partial : partials) {
      if (partial.state() != UploadState.COMPLETE) {
        throw TusError.CONCAT_UNFINISHED.exception();
      }
      total += partial.length();
    }
    checkLength(total, claims);
    if (total == 0) {
      throw TusError.UNSUPPORTED_CONTAINER.exception("the upload is empty");
    }

    // Lock the partials, in a fixed order so that two finals cannot deadlock.
    Map<String, UploadLocks.Lease> leases = new TreeMap<>();
    try {
      for (String id : new java.util.TreeSet<>(partialIds)) {
        leases.put(id, lock(id, null, false));
      }
      // Sniff the video's first bytes: the heads of the partials, in order.
      byte[] head = new byte[0];
      for (UploadInfo partial : partials) {
        if (head.length >= UploadInfo.HEAD_BYTES) {
          break;
        }
        byte[] more = partial.head();
        int take = Math.min(more.length, UploadInfo.HEAD_BYTES - head.length);
        head = java.util.Arrays.copyOf(head, head.length + take);
        System.arraycopy(more, 0, head, head.length - take, take);
      }
      ContainerSniffer.Verdict verdict =
          ContainerSniffer.sniff(head, head.length, /* complete= */ head.length == total);
      if (verdict.outcome() != ContainerSniffer.Outcome.ACCEPT) {
        for (UploadInfo partial : partials) {
          release(partial, UploadState.REJECTED);
        }
        metrics.failed("container");
        throw TusError.UNSUPPORTED_CONTAINER.exception();
      }

      Instant now = clock.instant();
      UploadInfo info =
          store.create(
              UploadInfo.create(
                  newId(),
                  claims.subject(),
                  claims.owner(),
                  total,
                  metadata == null ? null : metadata.header(),
                  ConcatKind.FINAL,
                  concatHeader,
                  partialIds,
                  now,
                  expiry(now, claims)));
      String finalId = info.id();
      String container = verdict.container().wireName();
      store.update(finalId, i -> i.withContainer(container));
      metrics.created(ConcatKind.FINAL);
      for (UploadInfo partial : partials) {
        store.update(partial.id(), p -> p.withConsumedBy(finalId));
      }
      try (UploadLocks.Lease lease = lock(finalId, null, false)) {
        return assemble(finalId);
      }
    } finally {
      leases.values().forEach(UploadLocks.Lease::close);
    }
  }

  /** The final upload these partials already went into, when the request is a repeat. */
  private Optional<UploadInfo> existingFinal(List<UploadInfo> partials, List<String> partialIds)
      throws IOException {
    // Finals that still stand and claim one of the partials.
    java.util.Set<String> claimedBy = new java.util.TreeSet<>();
    Map<String, UploadInfo> live = new TreeMap<>();
    for (UploadInfo partial : partials) {
      String finalId = partial.consumedBy();
      if (finalId != null && claimedBy.add(finalId)) {
        store.get(finalId).filter(f -> !f.state().isGone()).ifPresent(f -> live.put(finalId, f));
      }
    }
    if (live.isEmpty()) {
      return Optional.empty(); // unclaimed, or their finals are gone: they may form a new one
    }
    UploadInfo existing = live.values().iterator().next();
    boolean sameRequest =
        live.size() == 1
            && existing.partialIds().equals(partialIds)
            && partials.stream().allMatch(p -> existing.id().equals(p.consumedBy()));
    if (!sameRequest) {
      throw TusError.CONCAT_USED.exception();
    }
    if (existing.state() == UploadState.UPLOADING) {
      // Its assembly was cut short (a crash): do it now.
      try (UploadLocks.Lease lease = lock(existing.id(), null, false)) {
        return Optional.of(assemble(existing.id()));
      }
    }
    return Optional.of(existing);
  }

  /** Concatenates a final upload's partials into it and commits it. Hold its lock. */
  private UploadInfo assemble(String finalId) throws IOException {
    UploadInfo info = store.get(finalId).orElseThrow();
    if (info.state() != UploadState.UPLOADING) {
      return info;
    }
    List<UploadInfo> partials = new ArrayList<>();
    for (String id : info.partialIds()) {
      partials.add(store.get(id).orElseThrow(() -> new IOException("partial " + id + " is gone")));
    }
    ((UploadStore.Concater) store).concat(finalId, partials);
    UploadInfo committing = store.update(finalId, i -> i.withState(UploadState.COMMITTING));
    scheduleCompletion(finalId, 0); // as for a single upload: commit off the request's path
    return committing;
  }

  // ---------------------------------------------------------------- completion

  private void scheduleCompletion(String id, int attempt) {
    long delay = attempt == 0 ? 0 : backoffMillis(attempt);
    try {
      background.schedule(
          () -> {
            try (UploadLocks.Lease lease = lock(id, null, false)) {
              complete(id);
            } catch (org.reelbox.ingest.tus.TusException busy) {
              scheduleCompletion(id, attempt + 1);
            } catch (IOException | RuntimeException e) {
              log.warn("committing upload {} failed (attempt {}): {}", id, attempt, e.toString());
              if (attempt == 3) {
                metrics.failed("commit"); // once per upload; the retries go on
              }
              scheduleCompletion(id, attempt + 1);
            }
          },
          delay,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Stopping: recover() resumes it at the next start.
    }
  }

  private long backoffMillis(int attempt) {
    long delay = retry.initialBackoffMillis() << Math.min(attempt - 1, 30);
    return delay <= 0 || delay > retry.maxBackoffMillis() ? retry.maxBackoffMillis() : delay;
  }

  /** The completion steps; see the class javadoc. Idempotent. The caller holds the lock. */
  private void complete(String id) throws IOException {
    Optional<UploadInfo> found = store.get(id);
    if (found.isEmpty() || found.get().state() != UploadState.COMMITTING) {
      return; // done, or terminated meanwhile
    }
    UploadInfo info = store.finish(id);
    String sha256 = info.sha256();
    if (sha256 == null) {
      String computed = liveSha256(info).orElseGet(() -> hashStored(id));
      info = store.update(id, i -> i.withSha256(computed));
      sha256 = computed;
    }
    String key = "originals/" + info.videoId() + "/source";
    boolean committed =
        store instanceof UploadStore.Committer committer && committer.commitTo(id, blobs, key);
    if (!committed) {
      try (InputStream in = store.read(id)) {
        blobs.put(key, in, info.length());
      }
    }
    notifier.enqueue(
        new CompletionNotifier.Notification(info.videoId(), id, info.length(), sha256));
    if (info.concat() == ConcatKind.FINAL) {
      for (String partialId : info.partialIds()) {
        Optional<UploadInfo> partial = store.get(partialId);
        if (partial.isPresent() && partial.get().state().holdsBytes()) {
          release(partial.get(), UploadState.CONSUMED);
        }
      }
    }
    if (store instanceof UploadStore.Terminater terminater) {
      terminater.terminate(id, UploadState.COMMITTED);
    } else {
      store.update(id, i -> i.withState(UploadState.COMMITTED));
    }
    digests.remove(id);
    metrics.completed();
    log.info(
        "upload {} of video {} committed: {} bytes, sha256 {}",
        id,
        info.videoId(),
        info.length(),
        sha256);
  }

  private Optional<String> liveSha256(UploadInfo info) {
    LiveDigest live = digests.remove(info.id());
    if (live == null || live.offset != info.length()) {
      return Optional.empty();
    }
    return Optional.of(HexFormat.of().formatHex(live.sha256.digest()));
  }

  /** Reads the stored bytes back: after a restart lost the live digest, or for a final upload. */
  private String hashStored(String id) {
    MessageDigest sha256 = newSha256();
    try (InputStream in = store.read(id)) {
      byte[] buffer = new byte[COPY_BUFFER_BYTES];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sha256.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  // ---------------------------------------------------------------- recovery and expiry

  /**
   * At start: resumes the completions and assemblies a previous run left unfinished, and counts the
   * active uploads.
   */
  void recover() throws IOException {
    long active = 0;
    for (String id : store.ids()) {
      Optional<UploadInfo> found;
      try {
        found = store.get(id);
      } catch (IOException e) {
        log.warn("skipping unreadable upload {}: {}", id, e.toString());
        continue;
      }
      if (found.isEmpty()) {
        continue;
      }
      UploadInfo info = found.get();
      if (info.state() == UploadState.COMMITTING) {
        log.info("resuming the commit of upload {}", id);
        scheduleCompletion(id, 0);
      } else if (info.state() == UploadState.UPLOADING && info.concat() == ConcatKind.FINAL) {
        log.info("resuming the assembly of final upload {}", id);
        scheduleAssembly(id);
      } else if (info.state() == UploadState.UPLOADING) {
        active++;
      }
    }
    metrics.activeIs(active);
  }

  private void scheduleAssembly(String id) {
    background.execute(
        () -> {
          try (UploadLocks.Lease lease = lock(id, null, false)) {
            assemble(id);
          } catch (IOException | RuntimeException e) {
            log.warn("assembling final upload {} failed: {}", id, e.toString());
          }
        });
  }

  /**
   * Garbage-collects: unfinished uploads past their expiry lose their bytes (and become EXPIRED
   * tombstones); uploads that hold no bytes are forgotten {@code tombstoneRetentionSeconds} after
   * their expiry. Uploads busy with a request are left for the next sweep.
   */
  void sweep() {
    Instant now = clock.instant();
    long active = 0;
    List<String> ids;
    try {
      ids = store.ids();
    } catch (IOException e) {
      log.warn("sweep: cannot list uploads: {}", e.toString());
      return;
    }
    for (String id : ids) {
      if (Thread.currentThread().isInterrupted()) {
        return; // stopping
      }
      try (UploadLocks.Lease lease = locks.tryAcquire(id)) {
        if (lease == null) {
          active++; // busy with a request: receiving, most likely
          continue;
        }
        Optional<UploadInfo> found = store.get(id);
        if (found.isEmpty()) {
          continue;
        }
        UploadInfo info = found.get();
        if (unfinished(info) && !now.isBefore(info.expiresAt()) && !neededByItsFinal(info)) {
          log.info(
              "upload {} of video {} expired unfinished; removing its bytes", id, info.videoId());
          release(info, UploadState.EXPIRED);
          metrics.failed("expired");
        } else if (!info.state().holdsBytes()
            && !now.isBefore(info.expiresAt().plusSeconds(config.tombstoneRetentionSeconds()))) {
          store.delete(id);
        } else if (info.state() == UploadState.UPLOADING) {
          active++;
        }
      } catch (java.io.InterruptedIOException e) {
        return; // stopping
      } catch (IOException | RuntimeException e) {
        log.warn("sweep: upload {}: {}", id, e.toString());
      }
    }
    metrics.activeIs(active);
  }

  /**
   * Whether a partial upload's bytes are still to be committed as part of its final (the file store
   * assembles a final only when it commits it): they must not expire before.
   */
  private boolean neededByItsFinal(UploadInfo info) throws IOException {
    if (info.concat() != ConcatKind.PARTIAL || info.consumedBy() == null) {
      return false;
    }
    Optional<UploadInfo> owner = store.get(info.consumedBy());
    return owner.isPresent()
        && (owner.get().state() == UploadState.COMMITTING
            || owner.get().state() == UploadState.UPLOADING);
  }

  // ---------------------------------------------------------------- locks

  private UploadLocks.Lease lock(String id, Runnable onSuperseded, boolean takeOver) {
    UploadLocks.Lease lease;
    try {
      lease = locks.acquire(id, onSuperseded, takeOver, LOCK_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TusError.BUSY.exception();
    }
    if (lease == null) {
      throw TusError.BUSY.exception();
    }
    return lease;
  }

  @Override
  public void close() {
    background.shutdownNow();
    try {
      background.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
