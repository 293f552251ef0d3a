package org.reelbox.control.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.reelbox.common.json.Json;
import org.reelbox.control.pipeline.PlanOptions;

/**
 * {@link PlanOptions} as stored with a video and a job: a JSON object with the options the creator
 * set, {@code {"renditions": ["720p"], "watermark": true, "thumbnailImage": "k.jpg"}}; {@code {}}
 * for none.
 */
public final class PlanOptionsJson {
  private PlanOptionsJson() {}

  public static String write(PlanOptions options) {
    ObjectNode o = Json.mapper().createObjectNode();
    options.renditions().ifPresent(r -> r.forEach(o.putArray("renditions")::add));
    options.watermark().ifPresent(w -> o.put("watermark", w));
    options.thumbnailImage().ifPresent(t -> o.put("thumbnailImage", t));
    return Json.write(o);
  }

  /** Reads what {@link #write} wrote. */
  public static PlanOptions read(String json) {
    JsonNode o;
    try {
      o = Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("stored plan options are not JSON", e);
    }
    Optional<List<String>> renditions = Optional.empty();
    if (o.has("renditions")) {
      List<String> names = new ArrayList<>();
      o.get("renditions").forEach(n -> names.add(n.asText()));
      renditions = Optional.of(names);
    }
    return new PlanOptions(
        renditions,
        o.has("watermark") ? Optional.of(o.get("watermark").asBoolean()) : Optional.empty(),
        o.has("thumbnailImage") ? Optional.of(o.get("thumbnailImage").asText()) : Optional.empty());
  }
}
