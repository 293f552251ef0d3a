package org.reelbox.control.config;

import java.time.Duration;
import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;

/**
 * The control plane's configuration: {@code conf/control-plane.yaml}.
 *
 * @param ingestUrl the public base URL of ingest, as clients reach it: upload URLs are {@code
 *     ingestUrl + "/t/" + token + "/files/"} (docs/upload.md §1). Held without a trailing slash
 * @param uploadTokenTtlHours how long an upload token lives: 1 to {@value
 *     #MAX_UPLOAD_TOKEN_TTL_HOURS} hours
 * @param eventsHeartbeatSeconds how often an idle event stream ({@code GET
 *     /api/v1/videos/{id}/events}) gets a comment line, so that proxies do not close it: 1 to
 *     {@value #MAX_EVENTS_HEARTBEAT_SECONDS} seconds
 * @param pipelinesDir where the pipeline profiles are ({@code *.yaml}, docs/pipelines.md); empty
 *     means the profiles shipped in the control plane's jar (the top-level {@code conf/pipelines})
 * @param originUrl the public base URL of the origin, as players reach it: a READY video's master
 *     playlist is {@code originUrl + "/v/" + id + "/master.m3u8"}. Held without a trailing slash
 * @param work the resource manager's settings
 * @param edges the edge registry's settings; absent means {@link EdgesConfig#defaults()}
 * @param routing viewer routing's settings; absent means {@link RoutingConfig#defaults()}
 * @param cost the cost report's settings; absent means {@link CostConfig#defaults()}
 * @param admin the admin console's settings; absent means {@link AdminConfig#defaults()}
 */
public record ControlPlaneConfig(
    HttpConfig http,
    String dataDir,
    StorageConfig storage,
    ClusterConfig cluster,
    DatabaseConfig database,
    int videoCacheMaxEntries,
    String ingestUrl,
    int uploadTokenTtlHours,
    int eventsHeartbeatSeconds,
    String pipelinesDir,
    String originUrl,
    WorkConfig work,
    EdgesConfig edges,
    RoutingConfig routing,
    CostConfig cost,
    AdminConfig admin) {
  /** A week: long enough for a 1 GB upload on a bad line, short enough to bound a leaked token. */
  public static final int MAX_UPLOAD_TOKEN_TTL_HOURS = 168;

  /** An hour; proxies close idle connections after a minute or so. */
  public static final int MAX_EVENTS_HEARTBEAT_SECONDS = 3600;

  public ControlPlaneConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("storage", storage);
    Checks.required("cluster", cluster);
    Checks.required("database", database);
    Checks.positive("videoCacheMaxEntries", videoCacheMaxEntries);
    ingestUrl = Checks.httpUrl("ingestUrl", ingestUrl, false);
    between("uploadTokenTtlHours", uploadTokenTtlHours, MAX_UPLOAD_TOKEN_TTL_HOURS);
    between("eventsHeartbeatSeconds", eventsHeartbeatSeconds, MAX_EVENTS_HEARTBEAT_SECONDS);
    pipelinesDir = pipelinesDir == null ? "" : pipelinesDir.trim();
    originUrl = Checks.httpUrl("originUrl", originUrl, false);
    Checks.required("work", work);
    edges = edges == null ? EdgesConfig.defaults() : edges;
    routing = routing == null ? RoutingConfig.defaults() : routing;
    cost = cost == null ? CostConfig.defaults() : cost;
    admin = admin == null ? AdminConfig.defaults() : admin;
  }

  /** {@link #uploadTokenTtlHours} as a duration. */
  public Duration uploadTokenTtl() {
    return Duration.ofHours(uploadTokenTtlHours);
  }

  /** {@link #eventsHeartbeatSeconds} as a duration. */
  public Duration eventsHeartbeat() {
    return Duration.ofSeconds(eventsHeartbeatSeconds);
  }

  private static void between(String field, int value, int max) {
    if (value < 1 || value > max) {
      throw new ConfigValueException(field, "must be between 1 and " + max + ", got " + value);
    }
  }
}
