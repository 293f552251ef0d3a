package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reelbox.control.pipeline.Profile;
import org.reelbox.control.store.Video;
import org.reelbox.control.work.ProfileCatalog;

/**
 * {@code GET /api/v1/profiles}, any signed-in user: the pipeline profiles a creator may pick when
 * creating a video ({@code conf/pipelines/*.yaml}), by name, with their one-line description, so
 * that the upload page offers what this control plane has rather than a list built into it.
 */
public final class ProfilesApi {
  private final ProfileCatalog profiles;

  public ProfilesApi(ProfileCatalog profiles) {
    this.profiles = requireNonNull(profiles, "profiles");
  }

  /** Mounts the route; the router must already authenticate {@code /api/*}. */
  public void mount(Router router) {
    router.get("/api/v1/profiles").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (String name : profiles.names()) {
      Profile p = profiles.profile(name).orElseThrow();
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("name", p.name());
      json.put("description", p.description());
      json.put("default", name.equals(Video.DEFAULT_PROFILE));
      list.add(json);
    }
    ApiSupport.sendJson(ctx, 200, Map.of("profiles", list));
  }
}
