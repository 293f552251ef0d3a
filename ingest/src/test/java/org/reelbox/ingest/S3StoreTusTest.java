package org.reelbox.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.reelbox.common.testing.S3ProxyServer;

/**
 * The tus server on the S3 upload store, against S3Proxy: multipart uploads with 5 MiB parts, tail
 * objects, server-side compose and copy, and the originals in the same bucket.
 */
class S3StoreTusTest extends TusProtocolContract {
  private static final String BUCKET = "reelbox-ingest-test";

  private MinioAsyncClient admin;

  @Override
  protected ObjectNode storage() throws Exception {
    admin = S3ProxyServer.client();
    ObjectNode storage = JsonNodeFactory.instance.objectNode();
    storage.put("type", "s3");
    storage
        .putObject("s3")
        .put("endpoint", S3ProxyServer.endpoint())
        .put("region", "us-east-1")
        .put("accessKey", S3ProxyServer.ACCESS_KEY)
        .put("secretKey", S3ProxyServer.SECRET_KEY)
        .put("bucket", BUCKET);
    return storage;
  }

  @AfterAll
  void closeAdmin() throws Exception {
    if (admin != null) {
      admin.close();
    }
  }

  @Override
  protected void assertBytesReleased(String uploadId) throws Exception {
    String prefix = "uploads/" + uploadId + "/";
    List<String> objects = new ArrayList<>();
    for (Result<Item> item :
        admin.listObjects(
            ListObjectsArgs.builder().bucket(BUCKET).prefix(prefix).recursive(true).build())) {
      objects.add(item.get().objectName());
    }
    assertThat(objects).as("objects of upload %s", uploadId).containsExactly(prefix + "info.json");
    List<ListMultipartUploadsResult.Upload> open =
        admin
            .listMultipartUploads(
                ListMultipartUploadsArgs.builder().bucket(BUCKET).prefix(prefix).build())
            .get(10, TimeUnit.SECONDS)
            .result()
            .uploads();
    assertThat(open == null ? List.of() : open).as("open multipart uploads").isEmpty();
  }
}
