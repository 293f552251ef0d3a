package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.edge.EdgeRole;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParser;

/**
 * Issue 6's fill, end to end: the whole appliance with its edge box in region {@code isp-a}, and a
 * second box in {@code isp-b}. After viewers in isp-a watch a video, isp-a's fill list names it and
 * isp-b's does not; box A warms it in its (always open) fill window and then serves every playlist
 * and segment of every rendition with no origin fetch; box B never holds any of it. And the cost
 * ledger books the bytes box A served.
 */
class FleetFillIT {
  @TempDir static Path tmp;
  private static Appliance appliance;
  private static EdgeRole edgeB;
  private static String videoId;
  private static final HttpClient http = HttpClient.newHttpClient();

  private static final Map<String, String> EDGE_A =
      Map.of(
          "REELBOX_EDGE_REGION", "isp-a",
          "REELBOX_EDGE_HEARTBEAT_SECONDS", "1",
          "REELBOX_EDGE_FILL_ENABLED", "true",
          "REELBOX_EDGE_FILL_WINDOW", "00:00-24:00",
          "REELBOX_EDGE_FILL_INTERVAL_SECONDS", "10");

  @BeforeAll
  static void start() throws Exception {
    Path source = tmp.resolve("source.mp4");
    MediaTools.testMovie(source, "854x480", 24, 8);
    appliance = Appliance.start(tmp.resolve("data"), EDGE_A);

    // Box B: another ISP's box on the same control plane and origin.
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("http").put("host", "127.0.0.1").put("port", 0);
    o.put("dataDir", tmp.resolve("edge-b").toString());
    o.putObject("cluster")
        .put("secret", secret())
        .put("controlPlaneUrl", appliance.url("control-plane").toString());
    o.putObject("origin").putArray("urls").add(appliance.url("origin").toString());
    o.put("region", "isp-b");
    o.put("heartbeatSeconds", 1);
    o.putObject("fill")
        .put("enabled", true)
        .put("window", "00:00-24:00")
        .put("intervalSeconds", 10)
        .put("bytesPerSecond", 100_000_000);
    edgeB = new EdgeRole(RoleSpec.EDGE.load(Map.of(), o));
    edgeB.start();

    JsonNode video =
        appliance
            .api()
            .createVideo("source.mp4", Files.size(source), "video/mp4", "fill", "fast", List.of());
    videoId = video.get("id").asText();
    appliance.upload(video, source);
    assertThat(appliance.awaitSettled(videoId, Duration.ofMinutes(4)).path("state").asText())
        .isEqualTo("READY");
  }

  @AfterAll
  static void stop() throws Exception {
    if (edgeB != null) {
      edgeB.close();
    }
    if (appliance != null) {
      appliance.close();
    }
  }

  private static String secret() throws Exception {
    return Files.readString(tmp.resolve("data").resolve(AllInOne.SECRET_FILE)).strip();
  }

  private static String edgeAId() throws Exception {
    for (JsonNode e : appliance.edges().path("edges")) {
      if (e.path("region").asText().equals("isp-a")) {
        return e.path("id").asText();
      }
    }
    throw new AssertionError("no isp-a box in " + appliance.edges());
  }

  private static JsonNode fill(String edgeId) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(
                appliance.url("control-plane").resolve("/internal/edges/" + edgeId + "/fill"))
            .GET();
    ClusterAuth.of(secret()).apply(r);
    HttpResponse<String> answer = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Appliance.parse(answer.body());
  }

  private static List<String> fillVideos(String edgeId) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode v : fill(edgeId).path("videos")) {
      ids.add(v.path("videoId").asText());
    }
    return ids;
  }

  /** Every playlist and segment path of the video, as a player would fetch them. */
  private static List<String> objects(URI base) throws Exception {
    List<String> paths = new ArrayList<>();
    String master = "/v/" + videoId + "/master.m3u8";
    paths.add(master);
    MasterPlaylist m = PlaylistParser.parseMaster(appliance.fetchText(base.resolve(master)));
    for (var variant : m.variants()) {
      String media = "/v/" + videoId + "/" + variant.uri();
      paths.add(media);
      MediaPlaylist p = PlaylistParser.parseMedia(appliance.fetchText(base.resolve(media)));
      String dir = media.substring(0, media.lastIndexOf('/') + 1);
      p.segments().forEach(s -> paths.add(dir + s.uri()));
    }
    return paths;
  }

  @Test
  void popularInA_filledIntoAsBox_servedWithoutTheOrigin_neverIntoB() throws Exception {
    // Viewers on loopback are isp-a's; five of them watch.
    appliance.api().put("/api/v1/admin/regions", Map.of("cidr", "127.0.0.0/8", "region", "isp-a"));
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> beacon =
          http.send(
              HttpRequest.newBuilder(appliance.url("control-plane").resolve("/api/v1/events/view"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"videoId\":\"" + videoId + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(beacon.statusCode()).as(beacon.body()).isEqualTo(204);
    }

    String a = edgeAId();
    assertThat(fillVideos(a)).contains(videoId);
    assertThat(fillVideos(edgeB.edgeId())).doesNotContain(videoId);

    // Box A warms everything of the video (the origin's paths list it), in its open window.
    List<String> paths = objects(appliance.url("origin"));
    long segments = paths.stream().filter(p -> p.endsWith(".ts")).count();
    // Two renditions (480p, 240p) of an 8 s video.
    assertThat(segments).isGreaterThanOrEqualTo(4);
    EdgeRole boxA = (EdgeRole) appliance.all().roles().get("edge");
    // Done when it holds every segment and has stopped fetching (playlists come with them).
    long[] last = {-1, -1};
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              long entries = boxA.stats().entries();
              long fetches = boxA.stats().originFetches();
              boolean settled = entries >= segments && entries == last[0] && fetches == last[1];
              last[0] = entries;
              last[1] = fetches;
              return settled;
            });

    // Then every segment is a hit: no origin fetch for any of them.
    long fetchesBefore = boxA.stats().originFetches();
    URI edge = appliance.url("edge");
    long served = 0;
    for (String p : paths) {
      if (!p.endsWith(".ts")) {
        continue;
      }
      HttpResponse<byte[]> r = appliance.get(edge.resolve(p));
      assertThat(r.statusCode()).as(p).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Cache")).as(p).hasValue("HIT");
      served += r.body().length;
    }
    assertThat(boxA.stats().originFetches()).isEqualTo(fetchesBefore);
    assertThat(served).isPositive();

    // Box B, whose region never watched it, holds none of it after several fill rounds.
    Thread.sleep(2500);
    assertThat(edgeB.stats().entries()).isZero();
    assertThat(edgeB.stats().originFetches()).isZero();
  }
}
