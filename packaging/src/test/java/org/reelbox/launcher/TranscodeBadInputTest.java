package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reelbox.common.work.FailureCode;
import org.reelbox.launcher.client.ApiClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad inputs through the real appliance. Ingest's container sniffing refuses most of them at upload
 * time (415); for the pipeline's own defences each input is committed the way ingest commits an
 * upload (the original in the blob store, then {@code /internal/videos/{id}/uploaded}), and the
 * video must end {@code FAILED} with the code of docs/transcoding.md's table within a minute, with
 * no task left queued or running and no temp object left behind.
 */
class TranscodeBadInputTest {
  private static final Logger log = LoggerFactory.getLogger(TranscodeBadInputTest.class);
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir static Path tmp;
  private static Appliance appliance;

  @BeforeAll
  static void start() throws Exception {
    appliance = Appliance.start(tmp.resolve("data"), Map.of());
  }

  @AfterAll
  static void stop() {
    if (appliance != null) {
      appliance.close();
    }
  }

  /** A generator of one bad input (run inside the test, after the temp dir exists). */
  interface Input {
    byte[] make() throws Exception;
  }

  static Stream<Arguments> pipelineCases() {
    return Stream.of(
        Arguments.of("zero bytes", (Input) () -> new byte[0], FailureCode.CORRUPT_INPUT),
        Arguments.of(
            "random bytes",
            (Input) TranscodeBadInputTest::randomBytes,
            FailureCode.UNSUPPORTED_CONTAINER),
        Arguments.of(
            "MP4 truncated before moov",
            (Input) TranscodeBadInputTest::truncatedBeforeMoov,
            FailureCode.CORRUPT_INPUT),
        Arguments.of(
            "HLS playlist renamed .mp4",
            (Input) TranscodeBadInputTest::hlsPlaylist,
            FailureCode.UNSUPPORTED_CONTAINER),
        Arguments.of(
            "concat playlist renamed .mp4",
            (Input) TranscodeBadInputTest::concatPlaylist,
            FailureCode.UNSUPPORTED_CONTAINER),
        Arguments.of(
            "audio only", (Input) TranscodeBadInputTest::audioOnly, FailureCode.NO_VIDEO_STREAM),
        Arguments.of(
            "16x16 video",
            (Input) () -> mp4("16x16", "testsrc2=size=16x16:rate=10:duration=1"),
            FailureCode.RESOLUTION_OUT_OF_RANGE),
        Arguments.of(
            "twenty streams",
            (Input) TranscodeBadInputTest::twentyStreams,
            FailureCode.TOO_MANY_STREAMS),
        Arguments.of(
            "box size past the end",
            (Input) TranscodeBadInputTest::boxPastTheEnd,
            FailureCode.CORRUPT_INPUT));
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("pipelineCases")
  void badInput_committedPastIngest_failsWithItsCode_noStuckTasks_tempCleaned(
      String name, Input input, FailureCode expected) throws Exception {
    assertFailsWith(appliance, name, input.make(), expected);
  }

  @Test
  void hevc_onJcodecOnlyFleet_failsUnsupportedCodec() throws Exception {
    byte[] hevc =
        mp4(
            "hevc",
            "testsrc2=size=128x72:rate=10:duration=1",
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-x265-params",
            "log-level=error",
            "-tag:v",
            "hvc1");
    try (Appliance jcodec =
        Appliance.start(tmp.resolve("data-jcodec"), JcodecEndToEndTest.NO_FFMPEG)) {
      assertFailsWith(jcodec, "HEVC", hevc, FailureCode.UNSUPPORTED_CODEC);
    }
  }

  @Test
  void zeroBytes_refusedAtUpload() throws Exception {
    // The API refuses to create a video of 0 bytes …
    assertThatThrownBy(() -> appliance.createVideo("empty.mp4", 0))
        .isInstanceOf(ApiClient.ApiCallException.class)
        .satisfies(e -> assertThat(((ApiClient.ApiCallException) e).status()).isEqualTo(400));
    // … and ingest a tus upload of 0 bytes, whatever the video says.
    assertRefusedAtUpload("empty.mp4", new byte[0]);
  }

  @Test
  void randomBytes_refusedAtUpload() throws Exception {
    assertRefusedAtUpload("random.mp4", randomBytes());
  }

  @Test
  void hlsPlaylist_refusedAtUpload() throws Exception {
    assertRefusedAtUpload("playlist.mp4", hlsPlaylist());
  }

  private static void assertRefusedAtUpload(String filename, byte[] bytes) throws Exception {
    JsonNode video = appliance.createVideo(filename, Math.max(1, bytes.length));
    String id = video.get("id").asText();
    Path file = Files.write(tmp.resolve(id + "-" + filename), bytes);
    assertThatThrownBy(() -> appliance.upload(video, file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("415")
        .hasMessageContaining("UNSUPPORTED_CONTAINER");
    assertThat(appliance.video(id).path("state").asText()).isEqualTo("UPLOADING");
    assertThat(appliance.dataDir().resolve("blobs/originals/" + id + "/source")).doesNotExist();
  }

  private static void assertFailsWith(Appliance on, String name, byte[] bytes, FailureCode expected)
      throws Exception {
    JsonNode created = on.createVideo("bad.mp4", Math.max(1, bytes.length));
    String id = created.get("id").asText();
    long t0 = System.nanoTime();
    on.injectUpload(id, bytes);
    JsonNode video = on.awaitSettled(id, BOUND);
    log.info("{}: {} in {} ms", name, video.path("error"), (System.nanoTime() - t0) / 1_000_000);
    assertThat(video.path("state").asText()).as("%s: %s", name, video).isEqualTo("FAILED");
    assertThat(video.path("error").path("code").asText())
        .as("%s: %s\ntasks: %s", name, video, on.tasks(id))
        .isEqualTo(expected.name());
    assertThat(on.unfinishedTasks(id)).as(name).isEmpty();
    assertThat(on.tempObjects(id)).as(name).isEmpty();
  }

  // ---- inputs, each small and made here

  private static byte[] randomBytes() {
    byte[] bytes = new byte[64 * 1024];
    new Random(4).nextBytes(bytes);
    // Not by chance a known magic: no MPEG-TS sync byte, no EBML, no plausible box header.
    bytes[0] = 'R';
    bytes[4] = 'x';
    return bytes;
  }

  private static byte[] hlsPlaylist() {
    return ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\n"
            + "http://127.0.0.1:9/evil.ts\n#EXTINF:4.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concatPlaylist() {
    return "ffconcat version 1.0\nfile '/etc/passwd'\nfile 'http://127.0.0.1:9/x.mp4'\n"
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A valid MP4 with {@code moov} at the end (no faststart), cut in the middle of {@code mdat}. */
  private static byte[] truncatedBeforeMoov() throws Exception {
    byte[] whole = mp4("moov-last", "testsrc2=size=128x72:rate=10:duration=2");
    int moov = boxOffset(whole, "moov");
    assertThat(moov).as("moov after mdat").isGreaterThan(boxOffset(whole, "mdat"));
    return Arrays.copyOf(whole, moov / 2);
  }

  /** A valid MP4 whose first box claims to be 2 GB long. */
  private static byte[] boxPastTheEnd() throws Exception {
    byte[] mp4 = mp4("box-past-end", "testsrc2=size=128x72:rate=10:duration=1");
    ByteBuffer.wrap(mp4).putInt(0, 0x7FFF_FFF0);
    return mp4;
  }

  private static byte[] audioOnly() throws Exception {
    Path out = tmp.resolve("audio-only.mp4");
    MediaTools.ffmpeg(
        "-f", "lavfi", "-i", "sine=sample_rate=48000:duration=1", "-c:a", "aac", "file:" + out);
    return Files.readAllBytes(out);
  }

  /** One video and nineteen audio streams (the default limit is 8). */
  private static byte[] twentyStreams() throws Exception {
    Path out = tmp.resolve("twenty.mp4");
    List<String> args =
        new ArrayList<>(
            List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=128x72:rate=10:duration=1",
                "-f",
                "lavfi",
                "-i",
                "sine=sample_rate=8000:duration=1",
                "-map",
                "0:v"));
    for (int i = 0; i < 19; i++) {
      args.addAll(List.of("-map", "1:a"));
    }
    args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "file:" + out));
    MediaTools.ffmpeg(args.toArray(String[]::new));
    return Files.readAllBytes(out);
  }

  /** A short video-only MP4 from a lavfi source, libx264 unless {@code codecArgs} say otherwise. */
  private static byte[] mp4(String name, String lavfi, String... codecArgs) throws Exception {
    Path out = tmp.resolve(name + ".mp4");
    List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", lavfi));
    args.addAll(
        codecArgs.length > 0
            ? List.of(codecArgs)
            : List.of("-c:v", "libx264", "-preset", "ultrafast"));
    args.addAll(List.of("-pix_fmt", "yuv420p", "file:" + out));
    MediaTools.ffmpeg(args.toArray(String[]::new));
    return Files.readAllBytes(out);
  }

  /** The offset of the first top-level box of {@code type}. */
  private static int boxOffset(byte[] mp4, String type) {
    ByteBuffer b = ByteBuffer.wrap(mp4);
    int offset = 0;
    while (offset + 8 <= mp4.length) {
      long size = b.getInt(offset) & 0xFFFF_FFFFL;
      String t = new String(mp4, offset + 4, 4, StandardCharsets.US_ASCII);
      if (t.equals(type)) {
        return offset;
      }
      if (size < 8) {
        break;
      }
      offset += (int) size;
    }
    throw new AssertionError("no " + type + " box");
  }
}
