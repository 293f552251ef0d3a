package org.reelbox.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.CreateMultipartUploadArgs;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.messages.ListAllMyBucketsResult;
import io.minio.messages.ListMultipartUploadsResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.testing.S3ProxyServer;

/**
 * The contract against a real S3 HTTP server: S3Proxy on loopback with an in-memory backend and
 * signature checking on, started once for the class. Each test gets a bucket of its own.
 */
class S3BlobStoreTest extends BlobStoreContract {
  private static final String ACCESS_KEY = S3ProxyServer.ACCESS_KEY;
  private static final String SECRET_KEY = S3ProxyServer.SECRET_KEY;
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private static String endpoint;
  private static MinioClient admin;

  private String bucket;

  @BeforeAll
  static void startProxy() throws Exception {
    endpoint = S3ProxyServer.endpoint();
    admin =
        MinioClient.builder()
            .endpoint(endpoint)
            .credentials(ACCESS_KEY, SECRET_KEY)
            .httpClient(S3BlobStore.sharedHttpClient(), false)
            .build();
  }

  @AfterAll
  static void closeAdmin() throws Exception {
    if (admin != null) {
      admin.close();
    }
  }

  @Override
  protected BlobStore newStore() throws IOException {
    bucket = "reelbox-" + BUCKETS.incrementAndGet();
    return new S3BlobStore(config(bucket, SECRET_KEY));
  }

  @AfterEach
  void emptyBucket() throws IOException {
    // Runs before the contract closes the store. The backend is in memory: free what we wrote.
    if (store != null) {
      store.deletePrefix("");
    }
  }

  private static StorageConfig.S3 config(String bucket, String secret) {
    return new StorageConfig.S3(endpoint, "us-east-1", ACCESS_KEY, secret, bucket);
  }

  @Override
  protected Set<String> outsideSnapshot() throws Exception {
    // Every bucket, and every object outside this test's bucket.
    Set<String> seen = new TreeSet<>();
    for (ListAllMyBucketsResult.Bucket b : admin.listBuckets()) {
      seen.add(b.name() + "/");
      if (!b.name().equals(bucket)) {
        for (Result<Item> item :
            admin.listObjects(ListObjectsArgs.builder().bucket(b.name()).recursive(true).build())) {
          seen.add(b.name() + "/" + item.get().objectName());
        }
      }
    }
    return seen;
  }

  @Test
  void constructor_missingBucket_createsIt() throws Exception {
    String name = "reelbox-fresh-" + BUCKETS.incrementAndGet();

    try (S3BlobStore created = new S3BlobStore(config(name, SECRET_KEY))) {
      assertThat(created.bucket()).isEqualTo(name);
      assertThat(outsideSnapshot()).contains(name + "/");
    }
  }

  @Test
  void constructor_existingBucket_sharesObjects() throws Exception {
    put("a/b", bytes(10, 1));

    try (S3BlobStore second = new S3BlobStore(config(bucket, SECRET_KEY))) {
      try (var in = second.get("a/b")) {
        assertThat(in.readAllBytes()).isEqualTo(bytes(10, 1));
      }
    }
  }

  @Test
  void constructor_wrongSecret_throwsIoExceptionWithoutSecret() {
    String wrong = "wrong-secret-abcdef";

    assertThatThrownBy(() -> new S3BlobStore(config(bucket, wrong)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(bucket)
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining(SECRET_KEY);
  }

  @Test
  void constructor_unreachableEndpoint_throwsIoException() {
    // Port 9 (discard) on loopback: nothing listens there in a test environment.
    StorageConfig.S3 config =
        new StorageConfig.S3("http://127.0.0.1:9", "us-east-1", ACCESS_KEY, SECRET_KEY, "b-1");

    assertThatThrownBy(() -> new S3BlobStore(config))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ConnectException");
  }

  @Test
  void list_foreignObjectWithInvalidKey_notListed() throws Exception {
    // Another tool wrote a key this store refuses; listing must not hand it back to callers.
    byte[] value = bytes(3, 1);
    admin.putObject(
        PutObjectArgs.builder().bucket(bucket).object("hls/.hidden").stream(
                new ByteArrayInputStream(value), (long) value.length, -1L)
            .build());
    put("hls/ok", value);

    assertThat(store.list("hls/")).extracting(BlobInfo::key).containsExactly("hls/ok");
  }

  @Test
  void put_shortStreamSpanningParts_abortsMultipartUpload() throws Exception {
    MinioAsyncClient async =
        MinioAsyncClient.builder()
            .endpoint(endpoint)
            .credentials(ACCESS_KEY, SECRET_KEY)
            .httpClient(S3BlobStore.sharedHttpClient(), false)
            .build();
    // A control upload, left open, proves that the listing below does see open uploads.
    async
        .createMultipartUpload(
            CreateMultipartUploadArgs.builder().bucket(bucket).object("control").build())
        .get(10, TimeUnit.SECONDS);
    // 11 MiB known length is three 5 MiB parts to the MinIO client; the stream ends in the third.
    long length = 11L * 1024 * 1024;
    GeneratedStream shortStream = new GeneratedStream(10L * 1024 * 1024 + 1, 3);

    assertThatThrownBy(() -> store.put("originals/v1/source", shortStream, length))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ended after 10485761 of 11534336 bytes");

    // Nothing visible, and no upload left open to hold the first parts' bytes.
    assertThat(store.stat("originals/v1/source")).isEmpty();
    assertThat(
            async
                .listMultipartUploads(ListMultipartUploadsArgs.builder().bucket(bucket).build())
                .get(10, TimeUnit.SECONDS)
                .result()
                .uploads())
        .extracting(ListMultipartUploadsResult.Upload::objectName)
        .containsExactly("control");
  }

  @Test
  void deletePrefix_moreThanOneBatch_deletesAll() throws Exception {
    // Over S3's 1000 keys per DeleteObjects request.
    for (int i = 0; i < 1001; i++) {
      put("temp/v1/c" + i, new byte[] {(byte) i});
    }

    assertThat(store.deletePrefix("temp/")).isEqualTo(1001);
    assertThat(store.list("")).isEmpty();
  }
}
