package org.reelbox.common.config;

import java.util.Set;

/**
 * Which {@link org.reelbox.common.storage.BlobStore} a role uses.
 *
 * @param type {@code file} (a directory, the embedded default) or {@code s3} (MinIO or any S3 API)
 * @param file settings of the file store
 * @param s3 settings of the S3 store
 */
public record StorageConfig(String type, File file, S3 s3) {
  public StorageConfig {
    Checks.oneOf("type", type, Set.of("file", "s3"));
    Checks.required("file", file);
    Checks.required("s3", s3);
  }

  /**
   * @param root the store's directory; empty means {@code blobs/} under the role's data dir
   */
  public record File(String root) {
    public File {
      root = root == null ? "" : root;
    }
  }

  /**
   * @param endpoint the S3 endpoint URL, such as {@code http://127.0.0.1:9000}
   * @param region the region the bucket lives in
   * @param accessKey the access key id
   * @param secretKey the secret key; never logged
   * @param bucket the bucket; created at start when missing
   */
  public record S3(
      String endpoint, String region, String accessKey, String secretKey, String bucket) {
    public S3 {
      endpoint = Checks.httpUrl("endpoint", endpoint, true);
      region = region == null ? "" : region;
      accessKey = accessKey == null ? "" : accessKey;
      secretKey = secretKey == null ? "" : secretKey;
      bucket = bucket == null ? "" : bucket;
    }

    @Override
    public String toString() {
      return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + "]";
    }
  }

  /** The embedded default: a file store under the data dir. */
  public static StorageConfig fileDefault() {
    return new StorageConfig("file", new File(""), new S3("", "", "", "", ""));
  }

  /** Checks the fields the chosen type needs; called by the store factory. */
  public void requireUsable() {
    if (type.equals("s3")) {
      if (s3.endpoint().isEmpty()) {
        throw new ConfigException("storage.s3.endpoint", "must be set when storage.type is s3");
      }
      if (s3.bucket().isEmpty()) {
        throw new ConfigException("storage.s3.bucket", "must be set when storage.type is s3");
      }
    }
  }
}
