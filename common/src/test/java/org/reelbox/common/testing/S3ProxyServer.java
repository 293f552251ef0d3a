package org.reelbox.common.testing;

import io.minio.MinioAsyncClient;
import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 API on loopback for tests: S3Proxy with an in-memory backend and signature checking,
 * over real S3 HTTP. Started once per test JVM, on first use; tests keep apart by bucket.
 */
public final class S3ProxyServer {
  public static final String ACCESS_KEY = "reelbox-test";
  public static final String SECRET_KEY = "test-secret-0123456789";

  private static String endpoint;

  private S3ProxyServer() {}

  public static synchronized String endpoint() throws Exception {
    if (endpoint == null) {
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(new TransientNio2BlobStore())
              .endpoint(URI.create("http://127.0.0.1:0"))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
              .build();
      proxy.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        Thread.sleep(10);
      }
      endpoint = "http://127.0.0.1:" + proxy.getPort();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      proxy.stop();
                    } catch (Exception e) {
                      // the JVM is going away
                    }
                  }));
    }
    return endpoint;
  }

  public static MinioAsyncClient client() throws Exception {
    return MinioAsyncClient.builder()
        .endpoint(endpoint())
        .region("us-east-1")
        .credentials(ACCESS_KEY, SECRET_KEY)
        // Plain HTTP: no need for the default client, which reads every system CA certificate.
        .httpClient(new okhttp3.OkHttpClient(), true)
        .build();
  }
}
