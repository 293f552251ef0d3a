package org.reelbox.control.edges;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * What an edge box says about itself with each heartbeat ({@code POST
 * /internal/edges/{id}/heartbeat}, docs/edges.md). Validated here, so that the registry never
 * stores what routing could not use.
 *
 * @param edgeId the box's id: 1–64 of {@code [A-Za-z0-9_-]}, starting with a letter or digit
 * @param region the region (ISP) the box serves: 1–64 of {@code [A-Za-z0-9._-]}, starting with a
 *     letter or digit
 * @param publicUrl where viewers reach the box: an absolute http(s) URL with a host and no query,
 *     fragment or user info, at most {@value #MAX_URL_LENGTH} characters; held without a trailing /
 * @param capacityBytes the box's disk budget, non-negative
 * @param stats the box's counters
 */
public record EdgeHeartbeat(
    String edgeId, String region, String publicUrl, long capacityBytes, EdgeStatsReport stats) {
  public static final int MAX_URL_LENGTH = 2048;

  private static final Pattern EDGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public EdgeHeartbeat {
    checkEdgeId(edgeId);
    requireNonNull(region, "region");
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          "region must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit,"
              + " got '"
              + shorten(region)
              + "'");
    }
    publicUrl = checkUrl(requireNonNull(publicUrl, "publicUrl"));
    if (capacityBytes < 0) {
      throw new IllegalArgumentException(
          "capacityBytes must not be negative, got " + capacityBytes);
    }
    requireNonNull(stats, "stats");
  }

  /** Whether {@code region} is a well-formed region name. */
  public static boolean isRegion(String region) {
    return region != null && REGION.matcher(region).matches();
  }

  /** Whether {@code id} is a well-formed edge id. */
  public static boolean isEdgeId(String id) {
    return id != null && EDGE_ID.matcher(id).matches();
  }

  static void checkEdgeId(String id) {
    if (!isEdgeId(id)) {
      throw new IllegalArgumentException(
          "an edge id is 1-64 letters, digits, '_' or '-', starting with a letter or digit, got '"
              + shorten(String.valueOf(id))
              + "'");
    }
  }

  private static String checkUrl(String url) {
    if (url.length() > MAX_URL_LENGTH) {
      throw new IllegalArgumentException(
          "publicUrl must be at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("publicUrl is not a valid URL: '" + shorten(url) + "'");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      // Players append /v/{id}/… to it: a query or fragment would end up in the middle.
      throw new IllegalArgumentException(
          "publicUrl must be an http:// or https:// URL with a host and no user info, query or"
              + " fragment, got '"
              + shorten(url)
              + "'");
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String shorten(String value) {
    return value.length() > 80 ? value.substring(0, 80) + "…" : value;
  }
}
