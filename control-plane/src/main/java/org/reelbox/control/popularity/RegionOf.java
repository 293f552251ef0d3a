package org.reelbox.control.popularity;

import java.net.InetAddress;

/**
 * The region of a viewer's address (the admin's CIDR table, docs/edges.md). Popularity and routing
 * take this seam so that the table can be swapped in without touching them.
 */
@FunctionalInterface
public interface RegionOf {
  /** The region every address falls into when no table maps it. */
  String DEFAULT = "default";

  /** The region of {@code address}; never null ({@link #DEFAULT} when unmapped). */
  String regionOf(InetAddress address);

  /** Every address in {@link #DEFAULT}: the control plane's answer until a CIDR table exists. */
  static RegionOf everywhereDefault() {
    return address -> DEFAULT;
  }
}
