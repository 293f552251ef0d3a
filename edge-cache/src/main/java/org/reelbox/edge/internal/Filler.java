package org.reelbox.edge.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.reelbox.common.playback.ObjectKind;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.edge.EdgeConfig;
import org.reelbox.edge.FillWindow;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParseException;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.Rendition;
import org.reelbox.media.hls.Segment;
import org.reelbox.media.hls.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the cache off-peak with what is popular in the box's region (docs/edges.md, "Fill"), as
 * Netflix Open Connect boxes do: one round asks the {@link FillSource} for the region's top videos,
 * then for each, best first, fetches its master playlist and media playlists from the origin,
 * parses them with media's HLS parser, and fetches every segment the box does not hold yet.
 *
 * <p>Everything goes through the box's own {@link Fetcher}, so a viewer asking for a segment fill
 * is fetching joins it, and what fill fetches is stored exactly as a viewer's miss would be. One
 * object at a time, paced so that the origin bytes of a round average at most {@code
 * bytesPerSecond}: after an object of n bytes the next one waits until the round's bytes so far
 * divided by the cap have elapsed (so the cap may be exceeded by one object at the very start,
 * never over a round). Outside the window nothing is fetched: a round checks the window before
 * every object and stops at its end.
 *
 * <p>Runs on its own thread ({@link #runRound} blocks); failures end the round, never the box.
 */
public final class Filler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Filler.class);

  private final EdgeService service;
  private final FillSource source;
  private final FillWindow window;
  private final long bytesPerSecond;
  private final Clock clock;
  private final ZoneId zone;
  private final Sleeper sleeper;
  private volatile ScheduledExecutorService scheduler;

  /** How a round waits for its pacing; tests may record instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  /** What one round did. */
  public record Round(
      boolean inWindow,
      int videos,
      int segmentsFetched,
      int segmentsHeld,
      long bytes,
      long nanos) {}

  public Filler(
      EdgeService service, FillSource source, EdgeConfig.Fill config, Clock clock, ZoneId zone) {
    this(service, source, config, clock, zone, TimeUnit.NANOSECONDS::sleep);
  }

  Filler(
      EdgeService service,
      FillSource source,
      EdgeConfig.Fill config,
      Clock clock,
      ZoneId zone,
      Sleeper sleeper) {
    this.service = requireNonNull(service, "service");
    this.source = requireNonNull(source, "source");
    this.window = requireNonNull(config, "config").parsedWindow();
    this.bytesPerSecond = config.bytesPerSecond();
    this.clock = requireNonNull(clock, "clock");
    this.zone = requireNonNull(zone, "zone");
    this.sleeper = requireNonNull(sleeper, "sleeper");
  }

  /** Runs a round now and then every {@code interval} after the previous one ended. */
  public synchronized void start(Duration interval) {
    if (scheduler != null) {
      throw new IllegalStateException("already started");
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "edge-fill");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            runRound();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            // A closed store at shutdown, or a bug: the next round tries again.
            log.warn("fill round failed: {}", e.toString());
          }
        },
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops the rounds; one in progress is interrupted. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private boolean inWindow() {
    return window.contains(LocalTime.ofInstant(clock.instant(), zone));
  }

  /** One round: nothing when outside the window, else warms the fill list until done or the end. */
  public Round runRound() throws InterruptedException {
    if (!inWindow()) {
      return new Round(false, 0, 0, 0, 0, 0);
    }
    List<String> videos;
    try {
      videos = source.videos();
    } catch (IOException e) {
      log.warn("fill: cannot read the fill list: {}", e.toString());
      return new Round(true, 0, 0, 0, 0, 0);
    }
    Pacer pacer = new Pacer(System.nanoTime());
    for (String video : videos) {
      if (!warm(video, pacer)) {
        break;
      }
      pacer.videos++;
    }
    Round round =
        new Round(
            true,
            pacer.videos,
            pacer.fetched,
            pacer.held,
            pacer.bytes,
            System.nanoTime() - pacer.startNanos);
    if (round.segmentsFetched() > 0) {
      log.info(
          "fill: warmed {} segments ({} bytes) of {} videos in {} ms",
          round.segmentsFetched(),
          round.bytes(),
          round.videos(),
          round.nanos() / 1_000_000);
    }
    return round;
  }

  private final class Pacer {
    final long startNanos;
    long bytes;
    int fetched;
    int held;
    int videos;

    Pacer(long startNanos) {
      this.startNanos = startNanos;
    }

    /** Waits until the bytes so far fit the cap; false when the window closed meanwhile. */
    boolean mayFetch() throws InterruptedException {
      long due = startNanos + (long) (bytes * 1e9 / bytesPerSecond);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        sleeper.sleepNanos(wait);
      }
      return inWindow();
    }

    void fetchedBytes(long n) {
      bytes += n;
    }
  }

  /** Warms one video; false when the round must stop (window closed). */
  private boolean warm(String video, Pacer pacer) throws InterruptedException {
    PlaybackPath masterPath = PlaybackPath.parse("/v/" + video + "/master.m3u8");
    if (!pacer.mayFetch()) {
      return false;
    }
    Optional<String> master = fetchText(masterPath, pacer);
    if (master.isEmpty()) {
      return true;
    }
    Set<String> mediaUris = new LinkedHashSet<>();
    try {
      MasterPlaylist m = PlaylistParser.parseMaster(master.get());
      for (Variant v : m.variants()) {
        mediaUris.add(v.uri());
      }
      for (Rendition r : m.renditions()) {
        r.uri().ifPresent(mediaUris::add);
      }
    } catch (PlaylistParseException e) {
      log.warn("fill: master playlist of {} does not parse: {}", video, e.getMessage());
      return true;
    }
    for (String uri : mediaUris) {
      PlaybackPath media = resolve(video, "", uri);
      if (media == null || media.kind() != ObjectKind.MEDIA_PLAYLIST) {
        continue;
      }
      if (!pacer.mayFetch()) {
        return false;
      }
      Optional<String> text = fetchText(media, pacer);
      if (text.isEmpty()) {
        continue;
      }
      List<PlaybackPath> segments = new ArrayList<>();
      try {
        MediaPlaylist playlist = PlaylistParser.parseMedia(text.get());
        for (Segment s : playlist.segments()) {
          PlaybackPath p = resolve(video, media.rendition() + "/", s.uri());
          if (p != null && p.kind() == ObjectKind.SEGMENT) {
            segments.add(p);
          }
        }
      } catch (PlaylistParseException e) {
        log.warn("fill: {} does not parse: {}", media.relativePath(), e.getMessage());
        continue;
      }
      for (PlaybackPath segment : segments) {
        String key = segment.relativePath();
        if (service.memory.contains(key) || service.disk.contains(key)) {
          pacer.held++;
          continue;
        }
        if (!pacer.mayFetch()) {
          return false;
        }
        long n = fetch(segment);
        if (n >= 0) {
          pacer.fetched++;
          pacer.fetchedBytes(n);
        }
      }
    }
    return true;
  }

  /** A playlist URI relative to {@code /v/{video}/{dir}}, as a playback path; null if not one. */
  private static PlaybackPath resolve(String video, String dir, String uri) {
    if (uri.contains("://") || uri.startsWith("/") || uri.contains("..") || uri.contains("?")) {
      return null;
    }
    try {
      return PlaybackPath.parse("/v/" + video + "/" + dir + uri);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Fetches a playlist through the fetcher and returns its text (empty on any failure). */
  private Optional<String> fetchText(PlaybackPath path, Pacer pacer) throws InterruptedException {
    for (int attempt = 0; attempt < 3; attempt++) {
      boolean[] joined = new boolean[1];
      Fetch fetch = service.fetcher.acquire(path, deadline(), joined);
      Fetch.Listener hold = () -> {};
      // Held so that the body outlives the fetcher's store; a fetch already released (stored and
      // gone) is simply asked again.
      if (!fetch.attach(hold)) {
        continue;
      }
      try {
        if (!await(fetch)) {
          return Optional.empty();
        }
        ByteBuf body = fetch.retainedBody();
        try {
          pacer.fetchedBytes(body.readableBytes());
          return Optional.of(body.toString(StandardCharsets.UTF_8));
        } finally {
          body.release();
        }
      } finally {
        fetch.detach(hold);
      }
    }
    return Optional.empty();
  }

  /** Fetches one object through the fetcher; its size, or -1 when it failed. */
  private long fetch(PlaybackPath path) throws InterruptedException {
    boolean[] joined = new boolean[1];
    Fetch fetch = service.fetcher.acquire(path, deadline(), joined);
    if (!await(fetch)) {
      return -1;
    }
    return fetch.snapshot().received();
  }

  private long deadline() {
    return System.nanoTime() + service.originTimeoutNanos;
  }

  private boolean await(Fetch fetch) throws InterruptedException {
    try {
      return Boolean.TRUE.equals(
          fetch.finished().get(service.originTimeoutNanos * 4, TimeUnit.NANOSECONDS));
    } catch (ExecutionException | TimeoutException e) {
      log.debug("fill: fetch of {} failed: {}", fetch.key(), e.toString());
      return false;
    }
  }
}
