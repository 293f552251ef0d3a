package org.reelbox.launcher.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * A tus 1.0.0 client: creation, resumable PATCH, and parallel parts through the concatenation
 * extension. After a network error or a 5xx it asks the server for the offset (HEAD) and goes on
 * from there, with exponential back-off; it gives up after {@code maxRetries} failures in a row
 * without progress.
 */
public final class TusUploader {
  private static final String TUS_VERSION = "1.0.0";

  /** Parts below S3's 5 MiB minimum part size gain nothing from parallelism. */
  private static final long MIN_PART_BYTES = 5L << 20;

  private static final int CHUNK_BYTES = 1 << 20;

  private final HttpClient http;
  private final int maxRetries;
  private final Duration maxBackoff;
  private final LongConsumer onBytes;
  private final AtomicLong retries = new AtomicLong();

  /**
   * @param onBytes called with the number of bytes each time more are sent (for a progress bar);
   *     bytes re-sent after a failure count again
   */
  public TusUploader(int maxRetries, Duration maxBackoff, LongConsumer onBytes) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.maxRetries = maxRetries;
    this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff");
    this.onBytes = requireNonNull(onBytes, "onBytes");
  }

  /** How many times an upload was resumed after a failure. */
  public long retries() {
    return retries.get();
  }

  /** Uploads {@code file} to the creation {@code endpoint}; returns the upload's URL. */
  public URI upload(URI endpoint, Path file, long size, int parallel, Map<String, String> metadata)
      throws IOException, InterruptedException {
    int parts = (int) Math.max(1, Math.min(parallel, size / MIN_PART_BYTES));
    if (parts == 1) {
      URI location = create(endpoint, size, metadata, null);
      sendRange(location, file, 0, size);
      return location;
    }
    List<URI> partials = new ArrayList<>();
    long partSize = size / parts;
    for (int i = 0; i < parts; i++) {
      long length = i == parts - 1 ? size - partSize * i : partSize;
      partials.add(create(endpoint, length, Map.of(), "partial"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(parts);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int i = 0; i < parts; i++) {
        URI location = partials.get(i);
        long start = partSize * i;
        long length = i == parts - 1 ? size - start : partSize;
        done.add(
            pool.submit(
                () -> {
                  sendRange(location, file, start, length);
                  return null;
                }));
      }
      for (Future<Void> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IOException(e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    String list = partials.stream().map(URI::getRawPath).collect(Collectors.joining(" "));
    return create(endpoint, -1, metadata, "final;" + list);
  }

  private URI create(URI endpoint, long length, Map<String, String> metadata, String concat)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Tus-Resumable", TUS_VERSION)
            .POST(HttpRequest.BodyPublishers.noBody());
    if (length >= 0) {
      b.header("Upload-Length", Long.toString(length));
    }
    if (concat != null) {
      b.header("Upload-Concat", concat);
    }
    if (!metadata.isEmpty()) {
      b.header("Upload-Metadata", encodeMetadata(metadata));
    }
    HttpResponse<String> r =
        withRetries(() -> http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    if (r.statusCode() != 201) {
      throw new IOException("creating the upload failed: HTTP " + r.statusCode() + " " + r.body());
    }
    String location =
        r.headers().firstValue("Location").orElseThrow(() -> new IOException("no Location header"));
    return endpoint.resolve(location);
  }

  /** Sends bytes [start, start+length) of the file to the upload at {@code location}. */
  private void sendRange(URI location, Path file, long start, long length)
      throws IOException, InterruptedException {
    long offset = 0;
    int failures = 0;
    while (offset < length) {
      try {
        offset = patch(location, file, start, length, offset);
        failures = 0;
      } catch (IOException e) {
        if (e instanceof FatalUploadException) {
          throw e;
        }
        if (++failures > maxRetries) {
          throw new IOException("giving up after " + maxRetries + " retries: " + e.getMessage(), e);
        }
        retries.incrementAndGet();
        backoff(failures);
        long before = offset;
        offset = headOffset(location);
        if (offset > before) {
          failures = 0;
        }
      }
    }
  }

  private long patch(URI location, Path file, long start, long length, long offset)
      throws IOException, InterruptedException {
    long count = length - offset;
    HttpRequest req =
        HttpRequest.newBuilder(location)
            .timeout(Duration.ofHours(2))
            .header("Tus-Resumable", TUS_VERSION)
            .header("Upload-Offset", Long.toString(offset))
            .header("Content-Type", "application/offset+octet-stream")
            .method(
                "PATCH",
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofByteArrays(
                        () -> sliceChunks(file, start + offset, count)),
                    count))
            .build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 204) {
      return Long.parseLong(r.headers().firstValue("Upload-Offset").orElse("-1"));
    }
    if (r.statusCode() == 409 || r.statusCode() == 423 || r.statusCode() >= 500) {
      throw new IOException("HTTP " + r.statusCode() + " on PATCH");
    }
    throw new FatalUploadException("upload refused: HTTP " + r.statusCode() + " " + r.body());
  }

  private long headOffset(URI location) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(location)
            .timeout(Duration.ofSeconds(30))
            .header("Tus-Resumable", TUS_VERSION)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<Void> r =
        withRetries(() -> http.send(req, HttpResponse.BodyHandlers.discarding()));
    if (r.statusCode() != 200) {
      throw new FatalUploadException("cannot resume: HEAD answered HTTP " + r.statusCode());
    }
    return Long.parseLong(r.headers().firstValue("Upload-Offset").orElse("0"));
  }

  /**
   * The bytes [position, position+count) of the file in 1 MiB arrays. The JDK client's {@code
   * ofInputStream} publisher moves 8 KiB at a time, which caps an upload near 80 MB/s; big arrays
   * let it go as fast as the network and the server.
   */
  private java.util.Iterator<byte[]> sliceChunks(Path file, long position, long count) {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new java.util.Iterator<>() {
      private long left = count;
      private long at = position;

      @Override
      public boolean hasNext() {
        if (left > 0) {
          return true;
        }
        closeQuietly();
        return false;
      }

      @Override
      public byte[] next() {
        if (left <= 0) {
          throw new java.util.NoSuchElementException();
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, left));
        try {
          while (buf.hasRemaining()) {
            int n = ch.read(buf, at + buf.position());
            if (n < 0) {
              throw new IOException("file " + file + " ended early (was it changed?)");
            }
          }
        } catch (IOException e) {
          closeQuietly();
          throw new java.io.UncheckedIOException(e);
        }
        at += buf.capacity();
        left -= buf.capacity();
        onBytes.accept(buf.capacity());
        return buf.array();
      }

      private void closeQuietly() {
        try {
          ch.close();
        } catch (IOException ignored) {
          // Read-only: nothing to lose.
        }
      }
    };
  }

  private interface Call<T> {
    T call() throws IOException, InterruptedException;
  }

  /** Retries a small request (creation, HEAD) across network errors. */
  private <T> T withRetries(Call<T> call) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (IOException e) {
        if (attempt > maxRetries) {
          throw e;
        }
        retries.incrementAndGet();
        backoff(attempt);
      }
    }
  }

  private void backoff(int attempt) throws InterruptedException {
    long ms = Math.min(maxBackoff.toMillis(), 100L << Math.min(attempt, 16));
    Thread.sleep(ms);
  }

  static String encodeMetadata(Map<String, String> metadata) {
    return metadata.entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + " "
                    + Base64.getEncoder()
                        .encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)))
        .collect(Collectors.joining(","));
  }

  /** A refusal that retrying cannot fix (4xx other than 409/423). */
  static final class FatalUploadException extends IOException {
    private static final long serialVersionUID = 1L;

    FatalUploadException(String message) {
      super(message);
    }
  }
}
