package org.reelbox.control.api;

import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Query parameters of the API's list endpoints (paging), read strictly: a bad value is a 400. */
final class QueryParams {
  private QueryParams() {}

  /**
   * The integer parameter {@code name}, {@code fallback} when absent or empty.
   *
   * @throws org.reelbox.common.error.ApiException 400 {@code VALIDATION_FAILED} when it is not an
   *     integer from {@code min} to {@code max}
   */
  static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty() || values.get(0).isEmpty()) {
      return fallback;
    }
    String raw = values.get(0);
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Answered below with the same message as an out-of-range number.
    }
    throw JsonBody.invalid(
        name + " must be an integer from " + min + " to " + max + ", got '" + shorten(raw) + "'");
  }

  /** A value quoted in an error message, cut at 20 characters. */
  static String shorten(String raw) {
    return raw.length() > 20 ? raw.substring(0, 20) + "…" : raw;
  }
}
