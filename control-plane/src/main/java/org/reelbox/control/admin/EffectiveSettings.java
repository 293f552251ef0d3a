package org.reelbox.control.admin;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.control.config.ControlPlaneConfig;
import org.reelbox.control.config.DatabaseConfig;
import org.reelbox.control.config.WorkConfig;

/**
 * The control plane's effective configuration as the admin's settings page shows it: every value
 * after defaults and environment overrides, as JSON-ready maps, <b>without any secret</b>. Left out
 * on purpose: the cluster secret, the database password, the S3 access and secret keys; a database
 * URL is shown without its parameters and user info (a JDBC URL may carry {@code password=…}).
 *
 * <p>Built from the configuration record field by field rather than by serializing it, so that a
 * secret added to the configuration later stays out until someone adds it here on purpose.
 */
public final class EffectiveSettings {
  private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

  private EffectiveSettings() {}

  /**
   * @param baseUrl the URL this control plane listens on
   * @param profiles the pipeline profiles loaded, sorted
   */
  public static Map<String, Object> of(
      ControlPlaneConfig c, String baseUrl, List<String> profiles) {
    requireNonNull(c, "c");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("http", map("host", c.http().host(), "port", c.http().port(), "url", baseUrl));
    out.put("dataDir", c.dataDir());
    out.put(
        "urls",
        map(
            "controlPlaneUrl", c.cluster().controlPlaneUrl(),
            "ingestUrl", c.ingestUrl(),
            "originUrl", c.originUrl()));
    out.put("uploadTokenTtlHours", c.uploadTokenTtlHours());
    out.put("eventsHeartbeatSeconds", c.eventsHeartbeatSeconds());
    out.put("videoCacheMaxEntries", c.videoCacheMaxEntries());
    out.put("storage", storage(c.storage()));
    out.put("database", database(c.database()));
    out.put("work", work(c.work()));
    out.put(
        "edges",
        map(
            "heartbeatTimeoutSeconds", c.edges().heartbeatTimeoutSeconds(),
            "maxErrorRate", c.edges().maxErrorRate(),
            "popularityHalfLifeMinutes", c.edges().popularityHalfLifeMinutes(),
            "fillVideos", c.edges().fillVideos()));
    out.put(
        "routing",
        map(
            "defaultRegion", c.routing().defaultRegion(),
            "popularityThreshold", c.routing().popularityThreshold(),
            "playTokenTtlSeconds", c.routing().playTokenTtlSeconds(),
            "trustedProxies", c.routing().trustedProxies()));
    out.put("cost", map("cdnPricePerGb", c.cost().cdnPricePerGb()));
    out.put("admin", map("historyIntervalSeconds", c.admin().historyIntervalSeconds()));
    out.put(
        "pipelines",
        map(
            "dir",
            c.pipelinesDir().isEmpty() ? null : c.pipelinesDir(),
            "profiles",
            List.copyOf(profiles)));
    return out;
  }

  private static Map<String, Object> storage(StorageConfig s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", s.type());
    if (s.type().equals("file")) {
      out.put("root", s.file().root().isEmpty() ? null : s.file().root());
    } else {
      out.put(
          "s3",
          map(
              "endpoint", s.s3().endpoint(),
              "region", s.s3().region(),
              "bucket", s.s3().bucket()));
    }
    return out;
  }

  private static Map<String, Object> database(DatabaseConfig d) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (d.url().isEmpty()) {
      out.put("kind", "h2-embedded");
      out.put("url", null);
      out.put("user", null);
    } else {
      out.put("kind", d.url().startsWith("jdbc:postgresql:") ? "postgresql" : "h2");
      out.put("url", redactUrl(d.url()));
      out.put("user", d.user());
    }
    out.put("maxPoolSize", d.maxPoolSize());
    return out;
  }

  /** A JDBC URL without user info and without parameters (either may carry a password). */
  static String redactUrl(String url) {
    String cut = url;
    int q = cut.indexOf('?');
    if (q >= 0) {
      cut = cut.substring(0, q);
    }
    int semi = cut.indexOf(';');
    if (semi >= 0) {
      cut = cut.substring(0, semi);
    }
    return USER_INFO.matcher(cut).replaceFirst("//");
  }

  private static Map<String, Object> work(WorkConfig w) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("leaseSeconds", w.leaseSeconds());
    out.put("maxAttempts", w.maxAttempts());
    out.put("retryBackoffSeconds", w.retryBackoffSeconds());
    out.put("retryBackoffMaxSeconds", w.retryBackoffMaxSeconds());
    out.put("workerTimeoutSeconds", w.workerTimeoutSeconds());
    out.put("taskTimeoutSeconds", w.taskTimeoutSeconds());
    out.put("reaperIntervalMillis", w.reaperIntervalMillis());
    out.put(
        "inputLimits",
        map(
            "minSide", w.inputLimits().minSide(),
            "maxSide", w.inputLimits().maxSide(),
            "maxDurationSeconds", w.inputLimits().maxDurationSeconds(),
            "maxStreams", w.inputLimits().maxStreams()));
    return out;
  }

  /** An ordered map from alternating names and values; values may be null (Map.of refuses). */
  private static Map<String, Object> map(Object... namesAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return m;
  }
}
