package org.reelbox.edge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reelbox.edge.EdgeFixtures.OTHER;
import static org.reelbox.edge.EdgeFixtures.VIDEO;
import static org.reelbox.edge.EdgeFixtures.config;
import static org.reelbox.edge.EdgeFixtures.get;
import static org.reelbox.edge.EdgeFixtures.pattern;
import static org.reelbox.edge.EdgeFixtures.start;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.common.testing.MutableClock;
import org.reelbox.edge.internal.Filler;

/**
 * Fill (docs/edges.md, "Fill"): a real edge box and a loopback origin; the fill list is given
 * directly (the control plane's side is PopularityApiTest). The window is checked against a fixed
 * clock in UTC.
 */
class FillTest {
  static final List<String> RENDITIONS = List.of("720p", "360p");
  static final int SEGMENTS = 4;
  static final int SEGMENT_BYTES = 40_000;

  @TempDir Path dataDir;
  private TestOrigin origin;
  private EdgeRole edge;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T03:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    publish(VIDEO, 1);
    publish(OTHER, 2);
    edge = EdgeFixtures.start(config(dataDir, origin.url()));
  }

  @AfterEach
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
    origin.close();
  }

  private void publish(String video, int seed) {
    StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
    for (String r : RENDITIONS) {
      master
          .append("#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n")
          .append(r)
          .append("/index.m3u8\n");
      StringBuilder media =
          new StringBuilder(
              "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n"
                  + "#EXT-X-PLAYLIST-TYPE:VOD\n");
      for (int i = 0; i < SEGMENTS; i++) {
        media.append("#EXTINF:4.000,\n").append(i).append(".ts\n");
        origin.put(
            video + "/" + r + "/" + i + ".ts",
            pattern(SEGMENT_BYTES + i, seed * 100 + r.hashCode() + i));
      }
      media.append("#EXT-X-ENDLIST\n");
      origin.put(video + "/" + r + "/index.m3u8", media.toString().getBytes(UTF_8));
    }
    origin.put(video + "/master.m3u8", master.toString().getBytes(UTF_8));
  }

  private Filler filler(String window, long bytesPerSecond, List<String> videos) {
    return new Filler(
        edge.service(),
        () -> videos,
        new EdgeConfig.Fill(true, window, bytesPerSecond, 60),
        clock,
        ZoneOffset.UTC);
  }

  private int segmentFetches(String video) {
    int n = 0;
    for (String r : RENDITIONS) {
      for (int i = 0; i < SEGMENTS; i++) {
        n += origin.fetches(video + "/" + r + "/" + i + ".ts");
      }
    }
    return n;
  }

  @Test
  void round_warmsEverySegment_thenAllServedWithoutTheOrigin() throws Exception {
    Filler.Round round = filler("02:00-06:00", 100L << 20, List.of(VIDEO)).runRound();

    assertThat(round.inWindow()).isTrue();
    assertThat(round.videos()).isEqualTo(1);
    assertThat(round.segmentsFetched()).isEqualTo(RENDITIONS.size() * SEGMENTS);
    assertThat(segmentFetches(VIDEO)).isEqualTo(RENDITIONS.size() * SEGMENTS);
    // Only the listed video: one popular elsewhere is not fetched.
    assertThat(origin.fetches(OTHER + "/master.m3u8")).isZero();
    assertThat(segmentFetches(OTHER)).isZero();

    int before = origin.totalFetches();
    for (String r : RENDITIONS) {
      for (int i = 0; i < SEGMENTS; i++) {
        HttpResponse<byte[]> res = get(edge, "/v/" + VIDEO + "/" + r + "/" + i + ".ts");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(Arrays.equals(res.body(), pattern(SEGMENT_BYTES + i, 100 + r.hashCode() + i)))
            .isTrue();
      }
    }
    assertThat(origin.totalFetches()).as("origin fetches while serving").isEqualTo(before);

    // A second round skips what the box holds.
    Filler.Round again = filler("02:00-06:00", 100L << 20, List.of(VIDEO)).runRound();
    assertThat(again.segmentsFetched()).isZero();
    assertThat(again.segmentsHeld()).isEqualTo(RENDITIONS.size() * SEGMENTS);
    assertThat(segmentFetches(VIDEO)).isEqualTo(RENDITIONS.size() * SEGMENTS);
  }

  @Test
  void outsideTheWindow_nothingIsFetched() throws Exception {
    clock.set(Instant.parse("2026-03-01T12:00:00Z"));
    List<String> asked = new ArrayList<>();
    Filler filler =
        new Filler(
            edge.service(),
            () -> {
              asked.add("list");
              return List.of(VIDEO);
            },
            new EdgeConfig.Fill(true, "02:00-06:00", 100L << 20, 60),
            clock,
            ZoneOffset.UTC);
    Filler.Round round = filler.runRound();
    assertThat(round.inWindow()).isFalse();
    assertThat(asked).isEmpty();
    assertThat(origin.totalFetches()).isZero();
    // A window across midnight.
    clock.set(Instant.parse("2026-03-01T23:30:00Z"));
    assertThat(filler("22:00-01:00", 100L << 20, List.of(VIDEO)).runRound().inWindow()).isTrue();
  }

  @Test
  void bandwidthCap_respected() throws Exception {
    long cap = 200_000;
    long start = System.nanoTime();
    Filler.Round round = filler("00:00-24:00", cap, List.of(VIDEO, OTHER)).runRound();
    double seconds = (System.nanoTime() - start) / 1e9;

    long total = round.bytes();
    // 2 videos × 2 renditions × 4 segments of ~40 kB plus playlists: ~650 kB, so ~3.2 s at the
    // cap. The last object may start at its due time, so it is not counted against the time.
    assertThat(round.segmentsFetched()).isEqualTo(2 * RENDITIONS.size() * SEGMENTS);
    double rate = (total - (SEGMENT_BYTES + SEGMENTS)) / seconds;
    assertThat(rate)
        .as("bytes/s (total %d in %.2f s)", total, seconds)
        .isLessThanOrEqualTo(cap * 1.05);
    // And not far below it: the cap paces, it does not stall (generous for a loaded machine).
    assertThat(total / seconds).isGreaterThan(cap * 0.5);
  }

  @Test
  void window_parsing() {
    assertThat(FillWindow.parse("02:00-06:00").contains(LocalTime.of(2, 0))).isTrue();
    assertThat(FillWindow.parse("02:00-06:00").contains(LocalTime.of(6, 0))).isFalse();
    assertThat(FillWindow.parse("22:00-06:00").contains(LocalTime.of(5, 59))).isTrue();
    assertThat(FillWindow.parse("22:00-06:00").contains(LocalTime.of(12, 0))).isFalse();
    assertThat(FillWindow.parse("00:00-24:00").contains(LocalTime.of(23, 59))).isTrue();
    for (String bad : List.of("", "2-6", "02:00-02:00", "25:00-06:00", "02:00-24:30", "02:00")) {
      assertThatThrownBy(() -> FillWindow.parse(bad))
          .isInstanceOf(ConfigValueException.class)
          .hasMessageContaining("fill.window");
    }
    assertThatThrownBy(() -> new EdgeConfig.Fill(true, "02:00-06:00", 0, 60))
        .hasMessageContaining("fill.bytesPerSecond");
    assertThatThrownBy(() -> new EdgeConfig.Fill(true, "02:00-06:00", 1000, 5))
        .hasMessageContaining("fill.intervalSeconds");
  }
}
