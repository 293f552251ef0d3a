package org.reelbox.control;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.reelbox.common.http.HttpResponses;
import org.reelbox.common.http.VertxSupport;
import org.reelbox.common.json.Json;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.Tokens;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.control.admin.EdgePurge;
import org.reelbox.control.admin.EffectiveSettings;
import org.reelbox.control.admin.OverviewSampler;
import org.reelbox.control.api.AdminApi;
import org.reelbox.control.api.ApiKeyAuth;
import org.reelbox.control.api.ApiRoutes;
import org.reelbox.control.api.ClusterAuthHandler;
import org.reelbox.control.api.CostApi;
import org.reelbox.control.api.EdgeJoinApi;
import org.reelbox.control.api.EdgesApi;
import org.reelbox.control.api.InternalApi;
import org.reelbox.control.api.JobsApi;
import org.reelbox.control.api.PlayApi;
import org.reelbox.control.api.PopularityApi;
import org.reelbox.control.api.ProfilesApi;
import org.reelbox.control.api.ProgressEvents;
import org.reelbox.control.api.RegionsApi;
import org.reelbox.control.api.SessionApi;
import org.reelbox.control.api.SubtitlesApi;
import org.reelbox.control.api.ThumbnailApi;
import org.reelbox.control.api.UsersApi;
import org.reelbox.control.api.VideoEvents;
import org.reelbox.control.api.VideoEventsApi;
import org.reelbox.control.api.VideoListApi;
import org.reelbox.control.api.VideosApi;
import org.reelbox.control.api.WorkApi;
import org.reelbox.control.auth.Authenticator;
import org.reelbox.control.auth.CookieSessions;
import org.reelbox.control.auth.LoginLimiter;
import org.reelbox.control.auth.SessionResolver;
import org.reelbox.control.auth.SessionStore;
import org.reelbox.control.config.ControlPlaneConfig;
import org.reelbox.control.content.ContentPublisher;
import org.reelbox.control.content.SubtitlePublisher;
import org.reelbox.control.content.SubtitleStore;
import org.reelbox.control.cost.CostPricing;
import org.reelbox.control.cost.TrafficLedger;
import org.reelbox.control.edges.EdgeJoinTokens;
import org.reelbox.control.edges.EdgeRegistry;
import org.reelbox.control.popularity.BeaconLimiter;
import org.reelbox.control.popularity.JdbcPopularity;
import org.reelbox.control.popularity.Popularity;
import org.reelbox.control.routing.ClientAddress;
import org.reelbox.control.routing.PlayRouter;
import org.reelbox.control.routing.RegionStore;
import org.reelbox.control.store.AdminBootstrap;
import org.reelbox.control.store.Database;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.PasswordHasher;
import org.reelbox.control.store.User;
import org.reelbox.control.store.VideoCounts;
import org.reelbox.control.store.internal.CachingMetadataStore;
import org.reelbox.control.store.internal.JdbcMetadataStore;
import org.reelbox.control.store.internal.NotifyingMetadataStore;
import org.reelbox.control.ui.Messages;
import org.reelbox.control.ui.PageRenderer;
import org.reelbox.control.ui.UiRoutes;
import org.reelbox.control.work.ProfileCatalog;
import org.reelbox.control.work.ResourceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane: the only role that owns the metadata database. It serves the REST API and the
 * admin endpoints on Vert.x; JDBC work runs on Vert.x worker threads, never on an event loop.
 */
public final class ControlPlaneRole extends AbstractRole {
  public static final String NAME = "control-plane";

  private static final Logger log = LoggerFactory.getLogger(ControlPlaneRole.class);

  // View beacons per client address: a player sends one per view, so a household behind one NAT
  // address sends a few a minute. 30 at once and one a second refill leave those alone and bound
  // what one address adds to a score (an upper bound, not fraud detection). 100k addresses, a few
  // MB at most.
  private static final double BEACONS_PER_SECOND = 1;
  private static final int BEACON_BURST = 30;
  private static final int BEACON_CLIENTS = 100_000;

  // Expired sessions are refused at once; the purge only keeps the table small.
  private static final long SESSION_PURGE_INTERVAL_MS = 3_600_000;
  private static final long REGION_RELOAD_INTERVAL_MS = 30_000;
  // A purge asks every box at once; one that has not answered in this long is reported as such
  // (a healthy box purges in milliseconds: RocksDB range deletes).
  private static final Duration EDGE_PURGE_TIMEOUT = Duration.ofSeconds(3);

  private final ControlPlaneConfig config;
  private final Clock clock;

  private BlobStore blobs;
  private MetadataStore store;
  private ProfileCatalog profiles;
  private ResourceManager work;
  private EdgeJoinApi edgeJoin;
  private EdgeRegistry edges;
  private RegionStore regions;
  private Popularity popularity;
  private TrafficLedger traffic;
  private CostApi costApi;
  private SubtitleStore subtitles;
  private ContentPublisher content;
  private CookieSessions sessions;
  private ClientAddress clientAddress;
  private CostPricing pricing;
  private VideoCounts videoCounts;
  private OverviewSampler sampler;
  private ProgressEvents progressEvents;
  private final VideoEvents videoEvents = new VideoEvents();
  private Optional<AdminBootstrap.Credentials> firstStartCredentials = Optional.empty();

  public ControlPlaneRole(ControlPlaneConfig config) {
    this(config, Clock.systemUTC());
  }

  public ControlPlaneRole(ControlPlaneConfig config, Clock clock) {
    super(NAME, requireNonNull(config, "config").dataDir());
    this.config = config;
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  protected URI startServing(RoleContext context) throws Exception {
    // First: a bad profile stops the start before anything is opened.
    profiles = ProfileCatalog.load(config.pipelinesDir());
    blobs = context.openBlobStore(config.storage());
    Database database =
        context.closer().register(Database.open(config.database(), context.dataDir()));
    DataSource dataSource = database.dataSource();
    edgeJoin =
        new EdgeJoinApi(
            new EdgeJoinTokens(dataSource, clock, new SecureRandom()),
            config.cluster().secret(),
            config.originUrl());
    context
        .health()
        .addCheck(
            "database",
            () -> {
              try (Connection c = dataSource.getConnection()) {
                if (!c.isValid(2)) {
                  throw new IllegalStateException("connection not valid");
                }
              }
            });
    // Jdbc ← cache ← notifications: a change is published after the cache has forgotten the old
    // row, so a subscriber that reads the video when told sees the new one.
    store =
        new NotifyingMetadataStore(
            new CachingMetadataStore(
                new JdbcMetadataStore(dataSource, clock), config.videoCacheMaxEntries()),
            videoEvents::publish);
    // Task changes become progress events on the video streams. The reader goes through the
    // field: the resource manager it reads is made just below, and tells this listener.
    progressEvents =
        context
            .closer()
            .register(
                new ProgressEvents(
                    videoEvents, id -> work.stagedProgress(id), ProgressEvents.DEFAULT_WINDOW));
    // Registered after the database, so closed before it: the handler and the reaper stop first.
    subtitles = new SubtitleStore(dataSource, clock);
    content = new ContentPublisher(store, blobs, new SubtitlePublisher(blobs, subtitles));
    work =
        context
            .closer()
            .register(
                new ResourceManager(
                    dataSource,
                    store,
                    blobs,
                    profiles,
                    config.work(),
                    context.metrics().registry(),
                    clock,
                    progressEvents,
                    content));
    work.start(store);
    edges =
        new EdgeRegistry(
            dataSource, clock, config.edges().heartbeatTimeout(), config.edges().maxErrorRate());
    regions = new RegionStore(dataSource, clock, config.routing().defaultRegion());
    popularity = new JdbcPopularity(dataSource, config.edges().popularityHalfLife());
    traffic = new TrafficLedger(dataSource, clock, context.metrics().registry());
    pricing = new CostPricing(config.cost().cdnPricePerGb());
    costApi = new CostApi(traffic, pricing, context.metrics().registry());
    videoCounts = new VideoCounts(dataSource);
    // Closed before the database (registered after it): a last sample never meets a closed pool.
    sampler =
        context
            .closer()
            .register(
                new OverviewSampler(work, edges, traffic, clock, config.admin().historyInterval()));
    sampler.start();

    clientAddress = new ClientAddress(config.routing().trustedProxyBlocks());
    SessionStore sessionStore = new SessionStore(dataSource, clock, new SecureRandom());
    sessions = new CookieSessions(sessionStore, clientAddress);

    Vertx vertx = VertxSupport.newVertx(context.closer(), 16);
    // Closing Vert.x (registered after the database, so closed before it) cancels the timer.
    vertx.setPeriodic(
        SESSION_PURGE_INTERVAL_MS,
        id ->
            vertx
                .executeBlocking(sessionStore::purgeExpired, false)
                .onSuccess(n -> log.debug("purged {} expired sessions", n))
                .onFailure(e -> log.warn("session purge failed: {}", e.toString())));
    // Several control-plane nodes share the region table; each holds it in memory for routing and
    // re-reads it this often, so an admin's change reaches every node within the interval (a few
    // hundred rows: one cheap query).
    vertx.setPeriodic(
        REGION_RELOAD_INTERVAL_MS,
        id ->
            vertx
                .executeBlocking(
                    () -> {
                      regions.reload();
                      return null;
                    },
                    false)
                .onFailure(e -> log.warn("region table reload failed: {}", e.toString())));
    Router router = Router.router(vertx);
    VertxSupport.mountAdmin(router, context.health(), context.metrics());
    // The settings page shows the URL the server listens on, known only once it does: the admin
    // routes read it through this holder.
    AtomicReference<String> listening = new AtomicReference<>();
    mountApi(router, listening);
    // The web UI (docs/web-ui.md): pages find the signed-in user from the session cookie.
    new UiRoutes(new PageRenderer(Messages.load()), sessions).mount(router);
    URI url =
        VertxSupport.listen(
            vertx, new HttpServerOptions(), config.http(), router, context.closer());
    listening.set(url.toString());
    firstStartCredentials = new AdminBootstrap(store).run(context.dataDir(), url.toString());
    return url;
  }

  private void mountApi(Router router, AtomicReference<String> listening) {
    // The body handler comes first: it must see the request before any handler that goes async
    // (both auth handlers may), and its 64 KiB limit bounds what an unauthenticated client can
    // make us buffer.
    // Before the /api/* guard: an edge box joining has a join token, not an API key.
    edgeJoin.mountPublic(router);
    // The view beacon is anonymous too: players send it. The viewer's region comes from the CIDR
    // table (docs/edges.md, "Regions").
    PopularityApi popularityApi =
        new PopularityApi(
            popularity,
            store,
            edges,
            address -> regions.table().lookup(address).region(),
            new BeaconLimiter(clock, BEACONS_PER_SECOND, BEACON_BURST, BEACON_CLIENTS),
            clock,
            config.edges().fillVideos());
    popularityApi.mountPublic(router);
    // Signing in needs no credential either; it has its own limits (LoginLimiter).
    PasswordHasher hasher = new PasswordHasher();
    SessionApi sessionApi =
        new SessionApi(store, hasher, sessions, new LoginLimiter(clock), clientAddress);
    sessionApi.mountPublic(router);
    // An API key or the session cookie (with its CSRF checks); the same for /play/*, which a
    // browser's player may open with the cookie.
    Authenticator authenticator = new Authenticator(new ApiKeyAuth(store), sessions);
    ApiRoutes.authenticateApi(router, authenticator);
    ApiRoutes.authenticatePlay(router, authenticator);
    ApiRoutes.authenticateInternal(
        router, new ClusterAuthHandler(ClusterAuth.of(config.cluster().secret())));
    router
        .get("/api/v1/me")
        .handler(
            ctx -> {
              User user = ApiKeyAuth.user(ctx);
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("id", user.id());
              body.put("username", user.username());
              body.put("role", user.role().name());
              ctx.response().putHeader("Content-Type", HttpResponses.JSON).end(Json.write(body));
            });
    Tokens tokens = new Tokens(KeyRing.derivedFrom(config.cluster().secret()), clock);
    new VideosApi(
            store,
            tokens,
            config.ingestUrl(),
            config.uploadTokenTtl(),
            clock,
            profiles,
            work,
            config.originUrl())
        .mount(router);
    new VideoListApi(
            store,
            popularity,
            regions,
            clientAddress,
            tokens,
            config.routing().playTokenTtl(),
            blobs,
            config.originUrl(),
            clock)
        .mount(router);
    new SubtitlesApi(store, subtitles, content.subtitles(), blobs).mount(router);
    new ThumbnailApi(store, blobs, profiles, content).mount(router);
    new JobsApi(store, work, profiles, clock).mount(router);
    new ProfilesApi(profiles).mount(router);
    new WorkApi(work).mount(router);
    new VideoEventsApi(store, videoEvents, config.eventsHeartbeat(), work::stagedProgress)
        .mount(router);
    sessionApi.mount(router);
    new UsersApi(store, hasher, new SecureRandom(), sessions.store()).mount(router);
    new InternalApi(store, work).mount(router);
    edgeJoin.mount(router);
    new EdgesApi(edges, traffic, popularity, store, clock).mount(router);
    new RegionsApi(regions).mount(router);
    new PlayApi(
            store,
            work,
            new PlayRouter(
                regions,
                edges,
                popularity,
                config.routing().popularityThreshold(),
                config.originUrl(),
                clock),
            clientAddress,
            tokens,
            config.routing().playTokenTtl(),
            clock,
            blobs,
            subtitles)
        .mount(router);
    popularityApi.mount(router);
    costApi.mount(router);
    new AdminApi(
            videoCounts,
            work,
            edges,
            traffic,
            pricing,
            sampler,
            new EdgePurge(ClusterAuth.of(config.cluster().secret()), EDGE_PURGE_TIMEOUT),
            () -> EffectiveSettings.of(config, listening.get(), List.copyOf(profiles.names())),
            clock)
        .mount(router);
  }

  /** The admin account created by this start, if it was the first; shown to the operator once. */
  public Optional<AdminBootstrap.Credentials> firstStartCredentials() {
    return firstStartCredentials;
  }

  /**
   * Resolves the {@code reelbox_session} cookie of a request to its user and CSRF token, for the
   * page routes (docs/web-ui.md); null before the role has started.
   */
  public SessionResolver sessionResolver() {
    return sessions;
  }

  /** The browser sessions; for tests. */
  public SessionStore sessions() {
    return sessions.store();
  }

  /** The metadata store (cached); for the API handlers and tests. */
  public MetadataStore store() {
    return store;
  }

  /** The publisher of video changes behind the event streams; for tests and metrics. */
  public VideoEvents videoEvents() {
    return videoEvents;
  }

  /** The resource manager; for tests. */
  public ResourceManager work() {
    return work;
  }

  /** The edge registry; for tests. */
  public EdgeRegistry edges() {
    return edges;
  }

  /** The CIDR → region table; for tests. */
  public RegionStore regions() {
    return regions;
  }

  /** The popularity scores routing reads; for tests and the view beacons. */
  public Popularity popularity() {
    return popularity;
  }

  /** The subtitle tracks' rows; for tests. */
  public SubtitleStore subtitles() {
    return subtitles;
  }

  /** What the completion handler publishes when a video becomes READY; for tests. */
  public ContentPublisher content() {
    return content;
  }

  /** The blob store; for the API handlers and tests. */
  public BlobStore blobs() {
    return blobs;
  }
}
