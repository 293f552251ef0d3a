package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.cost.CostPricing;
import org.reelbox.control.cost.TrafficLedger;
import org.reelbox.control.store.UserRole;

/**
 * Traffic and cost over HTTP (docs/edges.md, "Cost"):
 *
 * <ul>
 *   <li>{@code POST /internal/origins/{id}/stats} {@code {"bytesSent", "requests"}}, behind {@link
 *       ClusterAuthHandler}: an origin's cumulative counters of what it served straight to viewers;
 *       200 {@code {"id", "addedBytes"}}. Edge boxes need no such call: their heartbeat carries
 *       their counters ({@link EdgesApi});
 *   <li>{@code GET /api/v1/admin/cost?days=N} (1–366, default 30), admins only: per UTC day, the
 *       bytes served by boxes and by the origin and what they would cost on a CDN.
 * </ul>
 */
public final class CostApi {
  private static final Pattern ORIGIN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Set<String> STATS_FIELDS = Set.of("bytesSent", "requests");

  private final TrafficLedger ledger;
  private final CostPricing pricing;

  /**
   * @param metrics gets {@code reelbox_cost_cdn_price_per_gb}, so that a dashboard turns the
   *     ledger's {@code reelbox_traffic_bytes_total} into dollars without knowing the config
   */
  public CostApi(TrafficLedger ledger, CostPricing pricing, MeterRegistry metrics) {
    this.ledger = requireNonNull(ledger, "ledger");
    this.pricing = requireNonNull(pricing, "pricing");
    Gauge.builder("reelbox.cost.cdn.price.per.gb", pricing.cdnPricePerGb()::doubleValue)
        .description("the configured CDN price per GB (10^9 bytes), US dollars")
        .strongReference(true)
        .register(requireNonNull(metrics, "metrics"));
  }

  /** Mounts the routes; the router must already guard {@code /internal/*} and {@code /api/*}. */
  public void mount(Router router) {
    router.post("/internal/origins/:id/stats").handler(this::originStats);
    router.get("/api/v1/admin/cost").handler(this::report);
  }

  private void originStats(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !ORIGIN_ID.matcher(id).matches()) {
      throw JsonBody.invalid(
          "an origin id is 1-64 letters, digits, '_' or '-', starting with a letter or digit");
    }
    JsonBody body = JsonBody.of(ctx).allowOnly(STATS_FIELDS);
    long bytesSent = body.requiredLong("bytesSent");
    long requests = body.requiredLong("requests");
    if (bytesSent < 0 || requests < 0) {
      throw JsonBody.invalid("bytesSent and requests are counters: non-negative integers");
    }
    ApiSupport.blocking(
            ctx, () -> ledger.report(TrafficLedger.Source.ORIGIN, id, bytesSent, requests))
        .onFailure(ctx::fail)
        .onSuccess(
            added -> {
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("id", id);
              answer.put("addedBytes", added);
              ApiSupport.sendJson(ctx, 200, answer);
            });
  }

  private void report(RoutingContext ctx) {
    if (ApiKeyAuth.user(ctx).role() != UserRole.ADMIN) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only admins see the cost report");
    }
    int days = days(ctx);
    ApiSupport.blocking(ctx, () -> body(ledger.lastDays(days)))
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }

  private Map<String, Object> body(List<TrafficLedger.Day> days) {
    List<Map<String, Object>> rows = new ArrayList<>();
    long edge = 0;
    long origin = 0;
    for (TrafficLedger.Day d : days) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("day", d.day().toString());
      row.put("edgeBytes", d.edgeBytes());
      row.put("originBytes", d.originBytes());
      row.put("cdnEquivalentUsd", pricing.cdnEquivalentUsd(d));
      row.put("savingUsd", pricing.savingUsd(d));
      rows.add(row);
      edge += d.edgeBytes();
      origin += d.originBytes();
    }
    Map<String, Object> total = new LinkedHashMap<>();
    total.put("edgeBytes", edge);
    total.put("originBytes", origin);
    total.put("cdnEquivalentUsd", pricing.usd(edge + origin));
    total.put("savingUsd", pricing.usd(edge));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cdnPricePerGb", pricing.cdnPricePerGb());
    body.put("days", rows);
    body.put("total", total);
    return body;
  }

  /**
   * Bytes and what they would cost on a CDN: {@code {"edgeBytes", "originBytes",
   * "cdnEquivalentUsd", "savingUsd"}}.
   */
  static Map<String, Object> costJson(CostPricing pricing, long edgeBytes, long originBytes) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("edgeBytes", edgeBytes);
    json.put("originBytes", originBytes);
    json.put("cdnEquivalentUsd", pricing.usd(edgeBytes + originBytes));
    json.put("savingUsd", pricing.usd(edgeBytes));
    return json;
  }

  private static int days(RoutingContext ctx) {
    List<String> values = ctx.queryParam("days");
    if (values.isEmpty()) {
      return 30;
    }
    String raw = values.get(0);
    try {
      int value = Integer.parseInt(raw);
      if (value >= 1 && value <= 366) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Answered below with the same message as an out-of-range number.
    }
    throw JsonBody.invalid(
        "days must be an integer from 1 to 366, got '"
            + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw)
            + "'");
  }
}
