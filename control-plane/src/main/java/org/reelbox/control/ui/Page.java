package org.reelbox.control.ui;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;

/**
 * One page of the web UI: where it is mounted, its content template ({@code web/pages/{template}
 * .html}, put into {@code layout.html}), the message key of its title, its JS module ({@code
 * /static/js/{module}}) and who may open it.
 */
public record Page(String path, String template, String titleKey, String module, Access access) {
  /** Who may open a page. A person who may not gets a 403 page; no session at all, the login. */
  public enum Access {
    /** Anyone, signed in or not (the login page). */
    PUBLIC,
    /** Any signed-in user. */
    SIGNED_IN,
    /** Creators and admins. */
    CREATOR,
    /** Admins. */
    ADMIN;

    boolean allows(User user) {
      return switch (this) {
        case PUBLIC, SIGNED_IN -> true;
        case CREATOR -> user.role() == UserRole.CREATOR || user.role() == UserRole.ADMIN;
        case ADMIN -> user.role() == UserRole.ADMIN;
      };
    }
  }

  public Page {
    requireNonNull(path, "path");
    requireNonNull(template, "template");
    requireNonNull(titleKey, "titleKey");
    requireNonNull(module, "module");
    requireNonNull(access, "access");
  }

  /** Every page of the UI (docs/web-ui.md, "Layout"). */
  public static final List<Page> ALL =
      List.of(
          new Page("/login", "login", "page.login.title", "login.js", Access.PUBLIC),
          new Page("/", "home", "page.home.title", "home.js", Access.SIGNED_IN),
          new Page("/watch/:id", "watch", "page.watch.title", "watch.js", Access.SIGNED_IN),
          new Page("/studio", "studio", "page.studio.title", "studio.js", Access.CREATOR),
          new Page("/studio/upload", "upload", "page.upload.title", "upload.js", Access.CREATOR),
          new Page("/studio/videos/:id", "video", "page.video.title", "video.js", Access.CREATOR),
          new Page(
              "/admin", "admin-dashboard", "page.admin.title", "admin-dashboard.js", Access.ADMIN),
          new Page("/admin/jobs", "admin-jobs", "page.jobs.title", "admin-jobs.js", Access.ADMIN),
          new Page("/admin/jobs/:id", "admin-job", "page.job.title", "admin-job.js", Access.ADMIN),
          new Page(
              "/admin/edges", "admin-edges", "page.edges.title", "admin-edges.js", Access.ADMIN),
          new Page(
              "/admin/users", "admin-users", "page.users.title", "admin-users.js", Access.ADMIN),
          new Page(
              "/admin/settings",
              "admin-settings",
              "page.settings.title",
              "admin-settings.js",
              Access.ADMIN));
}
