package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.routing.CidrBlock;
import org.reelbox.control.routing.RegionStore;
import org.reelbox.control.routing.RegionTable;
import org.reelbox.control.store.UserRole;

/**
 * The CIDR → region table over HTTP (docs/edges.md, "Regions"), admins only (others 403):
 *
 * <ul>
 *   <li>{@code GET /api/v1/admin/regions}: {@code {"defaultRegion", "regions": [{"cidr",
 *       "region"}]}};
 *   <li>{@code PUT /api/v1/admin/regions} {@code {"cidr", "region"}}: 201 when the block is new,
 *       200 when it replaced the block's region; a bad block or region is 400 {@code
 *       VALIDATION_FAILED};
 *   <li>{@code DELETE /api/v1/admin/regions?cidr=…}: 204, or 404 if the block is not in the table;
 *   <li>{@code GET /api/v1/admin/regions/lookup?address=…}: {@code {"address", "region", "cidr"}}
 *       ({@code cidr} null for the default region).
 * </ul>
 */
public final class RegionsApi {
  private static final Set<String> PUT_FIELDS = Set.of("cidr", "region");

  private final RegionStore regions;

  public RegionsApi(RegionStore regions) {
    this.regions = requireNonNull(regions, "regions");
  }

  public void mount(Router router) {
    router.get("/api/v1/admin/regions").handler(this::list);
    router.put("/api/v1/admin/regions").handler(this::put);
    router.delete("/api/v1/admin/regions").handler(this::delete);
    router.get("/api/v1/admin/regions/lookup").handler(this::lookup);
  }

  private static void admin(RoutingContext ctx) {
    if (ApiKeyAuth.user(ctx).role() != UserRole.ADMIN) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only admins manage regions");
    }
  }

  private void list(RoutingContext ctx) {
    admin(ctx);
    RegionTable table = regions.table();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RegionTable.Entry e : table.entries()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("cidr", e.block().toString());
      row.put("region", e.region());
      rows.add(row);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("defaultRegion", table.defaultRegion());
    body.put("regions", rows);
    ApiSupport.sendJson(ctx, 200, body);
  }

  private void put(RoutingContext ctx) {
    admin(ctx);
    JsonBody body = JsonBody.of(ctx).allowOnly(PUT_FIELDS);
    CidrBlock block = block(body.requiredString("cidr"));
    String region = body.requiredString("region");
    try {
      RegionStore.checkRegion(region);
    } catch (IllegalArgumentException e) {
      throw JsonBody.invalid(e.getMessage());
    }
    ApiSupport.blocking(ctx, () -> regions.put(block, region))
        .onFailure(ctx::fail)
        .onSuccess(
            created -> {
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("cidr", block.toString());
              answer.put("region", region);
              ApiSupport.sendJson(ctx, created ? 201 : 200, answer);
            });
  }

  private void delete(RoutingContext ctx) {
    admin(ctx);
    CidrBlock block = block(ctx.queryParams().get("cidr"));
    ApiSupport.blocking(ctx, () -> regions.remove(block))
        .onFailure(ctx::fail)
        .onSuccess(
            removed -> {
              if (!removed) {
                ctx.fail(new ApiException(ErrorCode.NOT_FOUND, "no region for " + block));
              } else {
                ctx.response().setStatusCode(204).end();
              }
            });
  }

  private void lookup(RoutingContext ctx) {
    admin(ctx);
    String raw = ctx.queryParams().get("address");
    InetAddress address =
        CidrBlock.literal(raw)
            .orElseThrow(
                () ->
                    JsonBody.invalid("address must be an IPv4 or IPv6 address, got '" + raw + "'"));
    RegionTable.Match match = regions.table().lookup(address);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("address", address.getHostAddress());
    body.put("region", match.region());
    body.put("cidr", match.block().map(CidrBlock::toString).orElse(null));
    ApiSupport.sendJson(ctx, 200, body);
  }

  private static CidrBlock block(String raw) {
    if (raw == null) {
      throw JsonBody.invalid("cidr is required");
    }
    try {
      return CidrBlock.parse(raw);
    } catch (IllegalArgumentException e) {
      throw JsonBody.invalid("cidr: " + e.getMessage());
    }
  }
}
