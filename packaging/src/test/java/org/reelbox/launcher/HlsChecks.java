package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.Segment;

/** Checks of served HLS as a player sees it, with ffprobe over HTTP. */
final class HlsChecks {
  /** Audio and video may start and end apart by less than this. */
  static final double MAX_AV_DRIFT_SECONDS = 0.040;

  private HlsChecks() {}

  /**
   * The timeline of every rendition: {@code frames} video frames at {@code fps} with no gap,
   * overlap or duplicate (within half a frame) across segment boundaries; audio, when there is
   * some, starting and ending with the video (within {@link #MAX_AV_DRIFT_SECONDS}); every segment
   * opening with a keyframe exactly where the {@code EXTINF}s before it say; and the same segment
   * boundaries in every rendition (keyframe alignment, so a player can switch at any boundary).
   */
  static void assertTimeline(
      Appliance appliance, URI master, List<String> renditions, int frames, double fps)
      throws Exception {
    double frameSeconds = 1.0 / fps;
    Map<String, List<Long>> boundaries = new LinkedHashMap<>();
    for (String name : renditions) {
      URI playlistUri = master.resolve(name + "/index.m3u8");
      MediaPlaylist media = PlaylistParser.parseMedia(appliance.fetchText(playlistUri));
      assertThat(media.endList()).as(name).isTrue();
      boundaries.put(name, media.segments().stream().map(Segment::durationUs).toList());

      JsonNode probe =
          MediaTools.ffprobeJson(
              "-show_entries",
              "stream=index,codec_type:packet=stream_index,pts_time,duration_time,flags",
              playlistUri.toString());
      int videoIndex = stream(probe, "video").path("index").asInt();
      List<Double> videoPts = new ArrayList<>();
      List<double[]> audio = new ArrayList<>();
      for (JsonNode p : probe.path("packets")) {
        double pts = p.path("pts_time").asDouble();
        if (p.path("stream_index").asInt() == videoIndex) {
          videoPts.add(pts);
        } else {
          audio.add(new double[] {pts, p.path("duration_time").asDouble()});
        }
      }
      videoPts.sort(Double::compare);
      assertThat(videoPts).as(name).hasSize(frames);
      for (int i = 1; i < videoPts.size(); i++) {
        // Frame after frame: no gap, no overlap, no duplicate, across segment boundaries too.
        assertThat(videoPts.get(i) - videoPts.get(i - 1))
            .as("%s: frame %d at %.6f after %.6f", name, i, videoPts.get(i), videoPts.get(i - 1))
            .isCloseTo(frameSeconds, within(frameSeconds / 2));
      }
      double videoStart = videoPts.get(0);
      double videoEnd = videoPts.get(videoPts.size() - 1) + frameSeconds;
      if (!audio.isEmpty()) {
        audio.sort((a, b) -> Double.compare(a[0], b[0]));
        double audioStart = audio.get(0)[0];
        double[] last = audio.get(audio.size() - 1);
        double audioEnd = last[0] + last[1];
        assertThat(audioStart - videoStart)
            .as("%s: A/V start drift", name)
            .isCloseTo(0, within(MAX_AV_DRIFT_SECONDS));
        assertThat(audioEnd - videoEnd)
            .as("%s: A/V end drift", name)
            .isCloseTo(0, within(MAX_AV_DRIFT_SECONDS));
      }

      // Every segment opens with a keyframe at exactly where the EXTINFs before it say.
      double expectedStart = videoStart;
      for (Segment s : media.segments()) {
        URI segment = playlistUri.resolve(s.uri());
        JsonNode first =
            MediaTools.ffprobeJson(
                    "-select_streams",
                    "v:0",
                    "-read_intervals",
                    "%+#1",
                    "-show_entries",
                    "packet=pts_time,flags",
                    segment.toString())
                .path("packets")
                .path(0);
        assertThat(first.path("flags").asText()).as("%s %s", name, s.uri()).startsWith("K");
        assertThat(first.path("pts_time").asDouble())
            .as("%s %s start", name, s.uri())
            .isCloseTo(expectedStart, within(0.002));
        expectedStart += s.durationUs() / 1e6;
      }
      assertThat(expectedStart).as("%s: EXTINF sum", name).isCloseTo(videoEnd, within(0.002));
    }
    // Keyframe alignment: the same segment boundaries in every rendition.
    List<Long> first = boundaries.get(renditions.get(0));
    assertThat(first).hasSizeGreaterThan(1);
    boundaries.forEach((name, durations) -> assertThat(durations).as(name).isEqualTo(first));
  }

  static JsonNode stream(JsonNode probe, String codecType) {
    for (JsonNode s : probe.path("streams")) {
      if (s.path("codec_type").asText().equals(codecType)) {
        return s;
      }
    }
    throw new AssertionError("no " + codecType + " stream in " + probe);
  }
}
