package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A per-frame filter fused into an encode task.
 *
 * @param type the node type, {@code watermark}
 * @param params its parameters; for {@code watermark}: {@code image} (a blob key of a PNG), {@code
 *     position} ({@code top-left}, {@code top-right}, {@code bottom-left}, {@code bottom-right}),
 *     {@code marginPx}
 */
public record FilterSpec(String type, Map<String, Object> params) {
  public FilterSpec {
    requireNonNull(type, "type");
    params = params == null ? Map.of() : Map.copyOf(params);
  }
}
