package org.reelbox.control.ui;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URLEncoder;
import java.util.Optional;
import org.reelbox.control.auth.SessionResolver;
import org.reelbox.control.auth.SessionUser;

/**
 * The web UI's routes (docs/web-ui.md): every {@link Page}, and {@code /static/*} (CSS, JS modules,
 * vendored libraries) from the classpath.
 *
 * <p>A page needs a session: without one the browser is sent to {@code /login?next=…}; with one
 * that may not see the page, a 403 page. Pages are {@code no-store} (the boot data carries the CSRF
 * token) and carry a strict Content-Security-Policy: scripts only from this host, no inline script
 * (the boot data is a JSON script element, which is not executed). Playlists, segments and
 * thumbnails come from origin and edge hosts, and tus uploads go to ingest, all on other ports or
 * hosts, so {@code connect-src}, {@code media-src} and {@code img-src} allow http(s) in general.
 * {@code media-src} also allows {@code data:}: hls.js gives every subtitle track it renders a
 * {@code <track src="data:,WEBVTT">} (an empty cue file, so that browsers create the track).
 */
public final class UiRoutes {
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: http: https:;"
          + " media-src 'self' blob: data: http: https:; connect-src 'self' http: https:;"
          + " worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'self';"
          + " form-action 'self'";

  private final PageRenderer renderer;
  private final SessionResolver sessions;

  public UiRoutes(PageRenderer renderer, SessionResolver sessions) {
    this.renderer = requireNonNull(renderer, "renderer");
    this.sessions = requireNonNull(sessions, "sessions");
  }

  /** Mounts the pages and {@code /static/*}. Mount after the API, before nothing in particular. */
  public void mount(Router router) {
    // Classpath resources under web/static (a web/static folder in the working directory would be
    // preferred by Vert.x's resolver; the launcher never runs from one). ETag and Last-Modified let
    // a browser revalidate cheaply; a short max-age because the file names carry no version.
    router
        .route("/static/*")
        .handler(
            StaticHandler.create("web/static")
                .setCachingEnabled(true)
                .setMaxAgeSeconds(300)
                .setDirectoryListing(false)
                .setIncludeHidden(false)
                .setDefaultContentEncoding("UTF-8"));
    for (Page page : Page.ALL) {
      router.get(page.path()).handler(ctx -> serve(ctx, page));
    }
  }

  private void serve(RoutingContext ctx, Page page) {
    sessions
        .resolve(ctx)
        .onComplete(
            ar -> {
              Optional<SessionUser> session = ar.succeeded() ? ar.result() : Optional.empty();
              String lang = language(ctx);
              if (page.access() == Page.Access.PUBLIC) {
                send(ctx, 200, lang, renderer.render(page, lang, session));
              } else if (session.isEmpty()) {
                String next = ctx.request().uri();
                ctx.response()
                    .setStatusCode(302)
                    .putHeader(
                        HttpHeaders.LOCATION, "/login?next=" + URLEncoder.encode(next, UTF_8))
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end();
              } else if (!page.access().allows(session.get().user())) {
                send(
                    ctx,
                    403,
                    lang,
                    renderer.renderError(
                        "error.forbidden.title", "error.forbidden.text", lang, session));
              } else {
                send(ctx, 200, lang, renderer.render(page, lang, session));
              }
            });
  }

  /** The page language: the switcher's cookie, else {@code Accept-Language}, else English. */
  static String language(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(UiLocale.COOKIE);
    return UiLocale.resolve(
        Optional.ofNullable(cookie).map(Cookie::getValue),
        Optional.ofNullable(ctx.request().getHeader(HttpHeaders.ACCEPT_LANGUAGE)));
  }

  private static void send(RoutingContext ctx, int status, String lang, String html) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader(HttpHeaders.CONTENT_LANGUAGE, lang)
        .end(html);
  }
}
