package org.reelbox.ingest;

import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;

/** Ingest's configuration: {@code conf/ingest.yaml}. */
public record IngestConfig(
    HttpConfig http,
    String dataDir,
    StorageConfig storage,
    ClusterConfig cluster,
    Uploads uploads,
    Notifications notifications) {
  public IngestConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("storage", storage);
    Checks.required("cluster", cluster);
    Checks.required("uploads", uploads);
    Checks.required("notifications", notifications);
  }

  /**
   * How tus uploads are taken.
   *
   * @param maxSizeBytes the largest upload, advertised as {@code Tus-Max-Size} (1 GiB)
   * @param expirySeconds how long an unfinished upload lives after its creation; never past the
   *     expiry of the token that created it
   * @param sweepIntervalSeconds how often expired uploads are garbage-collected
   * @param tombstoneRetentionSeconds how long after its expiry a finished, terminated or expired
   *     upload is still known (HEAD answers its offset, or 410 Gone) before it is forgotten (404)
   * @param s3PartSizeBytes the part size of S3 multipart uploads; S3's minimum is 5 MiB
   * @param ioThreads threads that stream request bodies into storage: the most bodies read at once
   * @param idleTimeoutSeconds a connection with no traffic for this long is closed
   */
  public record Uploads(
      long maxSizeBytes,
      long expirySeconds,
      long sweepIntervalSeconds,
      long tombstoneRetentionSeconds,
      long s3PartSizeBytes,
      int ioThreads,
      int idleTimeoutSeconds,
      boolean durableOffsets) {
    /** S3 refuses parts under 5 MiB (except the last). */
    public static final long MIN_S3_PART_SIZE_BYTES = 5L * 1024 * 1024;

    public Uploads {
      Checks.positive("maxSizeBytes", maxSizeBytes);
      Checks.positive("expirySeconds", expirySeconds);
      Checks.positive("sweepIntervalSeconds", sweepIntervalSeconds);
      if (tombstoneRetentionSeconds < 0) {
        throw new ConfigValueException(
            "tombstoneRetentionSeconds", "must be >= 0, got " + tombstoneRetentionSeconds);
      }
      if (s3PartSizeBytes < MIN_S3_PART_SIZE_BYTES || s3PartSizeBytes > Integer.MAX_VALUE) {
        throw new ConfigValueException(
            "s3PartSizeBytes",
            "must be between "
                + MIN_S3_PART_SIZE_BYTES
                + " (5 MiB) and "
                + Integer.MAX_VALUE
                + ", got "
                + s3PartSizeBytes);
      }
      Checks.positive("ioThreads", ioThreads);
      Checks.positive("idleTimeoutSeconds", idleTimeoutSeconds);
    }
  }

  /**
   * How ingest tells the control plane that a video's upload is complete (docs/upload.md §3).
   *
   * @param initialBackoffMillis the wait before the first retry; doubled after each failure
   * @param maxBackoffMillis the longest wait between two retries
   */
  public record Notifications(long initialBackoffMillis, long maxBackoffMillis) {
    public Notifications {
      Checks.positive("initialBackoffMillis", initialBackoffMillis);
      Checks.positive("maxBackoffMillis", maxBackoffMillis);
      if (maxBackoffMillis < initialBackoffMillis) {
        throw new ConfigValueException(
            "maxBackoffMillis",
            "must be >= initialBackoffMillis ("
                + initialBackoffMillis
                + "), got "
                + maxBackoffMillis);
      }
    }
  }
}
