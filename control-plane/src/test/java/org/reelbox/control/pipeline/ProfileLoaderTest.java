package org.reelbox.control.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reelbox.control.pipeline.Profiles.withLadder;
import static org.reelbox.control.pipeline.Profiles.yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProfileLoaderTest {
  private static final ProfileLoader LOADER = ProfileLoader.builtin();

  private static final String TYPES =
      "(known: audio, encode, inspect, package, split, thumbnail, watermark)";
  private static final String FILTER_RULE =
      "a per-frame filter must feed exactly one node that accepts filters (such as encode)";

  @Test
  void loadAll_shippedProfiles_loadsDefaultAndFast() {
    SortedMap<String, Profile> all = LOADER.loadAll(Profiles.DIR);

    assertThat(all).containsKeys("default", "fast");
    all.forEach((name, p) -> assertThat(p.name()).isEqualTo(name));
  }

  @Test
  void load_defaultProfile_hasTheIssueLadderAudioAndDag() {
    Profile p = Profiles.shipped("default");

    assertThat(p.ladder())
        .containsExactly(
            new Rung("1080p", 1080, 5_000_000),
            new Rung("720p", 720, 3_000_000),
            new Rung("480p", 480, 1_400_000),
            new Rung("360p", 360, 800_000),
            new Rung("240p", 240, 400_000));
    assertThat(p.audio()).isEqualTo(AudioSpec.defaults());
    assertThat(p.video()).isEqualTo(VideoSpec.defaults());
    assertThat(p.nodes())
        .extracting(NodeSpec::id)
        .containsExactly(
            "inspect", "split", "watermark", "encode", "audio", "thumbnail", "package");
    NodeSpec watermark = p.node("watermark").orElseThrow();
    assertThat(watermark.enabled()).isFalse();
    assertThat(watermark.type().isPerFrameFilter()).isTrue();
    assertThat(p.node("split").orElseThrow().params()).isEqualTo(Map.of("chunkSeconds", 4));
    assertThat(p.node("package").orElseThrow().params())
        .containsExactly(Map.entry("segmentSeconds", 4), Map.entry("encryption", "none"));
  }

  @Test
  void load_fastProfile_hasTwoRungsAndNoThumbnail() {
    Profile p = Profiles.shipped("fast");

    assertThat(p.ladder()).extracting(Rung::name).containsExactly("480p", "240p");
    assertThat(p.nodesOfType(NodeTypes.THUMBNAIL)).isEmpty();
    assertThat(p.nodesOfType(NodeTypes.WATERMARK)).isEmpty();
  }

  @Test
  void parse_unquotedLevelAndDefaults_areAccepted() {
    Profile p =
        LOADER.parse(
            yaml().replace("maxLevel: \"4.1\"", "maxLevel: 4.0") + "description: a test\n",
            "t.yaml");

    assertThat(p.video().maxLevel()).isEqualTo(H264Level.L4);
    assertThat(p.description()).isEqualTo("a test");
    assertThat(p.node("split").orElseThrow().params()).isEqualTo(Map.of("chunkSeconds", 4));
    assertThat(p.node("encode").orElseThrow().params()).isEqualTo(Map.of("preset", "veryfast"));
  }

  static Stream<Arguments> badProfiles() {
    return Stream.of(
        bad(
            "unknown node type",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encdoe, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.UNKNOWN_NODE_TYPE,
            "node 'encode': unknown type 'encdoe' " + TYPES),
        bad(
            "missing type",
            yaml(
                "{id: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_VALUE,
            "node 'inspect': type is required"),
        bad(
            "two-node cycle",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect, encode]}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.CYCLE,
            "cycle split -> encode -> split"),
        bad(
            "three-node cycle through a filter",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: encode, type: encode, after: [watermark]}",
                "{id: split, type: split, after: [inspect, encode]}",
                "{id: watermark, type: watermark, after: [split], params: {image: w.png}}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.CYCLE,
            "cycle encode -> split -> watermark -> encode"),
        bad(
            "self cycle",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split, encode]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.CYCLE,
            "cycle encode -> encode"),
        bad(
            "unknown after id",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [splt]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.UNKNOWN_INPUT,
            "node 'encode': after names 'splt', which is not a node of this profile"),
        bad(
            "after names a node twice",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split, split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_VALUE,
            "node 'encode': after names 'split' twice"),
        bad(
            "duplicate id",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: split, type: audio, after: [inspect]}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.DUPLICATE_NODE_ID,
            "node 'split': duplicate id (nodes[1] and nodes[2])"),
        bad(
            "bad node id",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: Encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [Encode]}"),
            ProfileProblem.BAD_VALUE,
            "nodes[2]: id must be 1 to 32 of a-z, 0-9 and '-', starting with a letter, got"
                + " 'Encode'"),
        bad(
            "no package sink",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split]}"),
            ProfileProblem.SINK,
            "no sink: exactly one node must be the sink (a package node), found none"),
        bad(
            "two sinks",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}",
                "{id: package2, type: package, after: [encode]}"),
            ProfileProblem.SINK,
            "node 'package2': a second sink (the first is 'package'); exactly one node must be"
                + " the sink"),
        bad(
            "two chunk producers",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: split2, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split, split2]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.CHUNK_PRODUCERS,
            "node 'split2': a second chunk producer (the first is 'split'); at most one node may"
                + " produce chunks"),
        bad(
            "encode without a split upstream",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [inspect]}",
                "{id: package, type: package, after: [encode, split]}"),
            ProfileProblem.MISSING_INPUT,
            "node 'encode': maps over chunks, so it needs a chunk producer (split) upstream, but"
                + " none of its inputs leads to one"),
        bad(
            "package without an encode upstream",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split]}",
                "{id: audio, type: audio, after: [inspect]}",
                "{id: package, type: package, after: [audio]}"),
            ProfileProblem.MISSING_INPUT,
            "node 'package': needs an upstream node of type encode, but none of its inputs leads"
                + " to one"),
        bad(
            "split without inspect upstream",
            yaml(
                "{id: split, type: split}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.MISSING_INPUT,
            "node 'split': needs an upstream node of type inspect, but none of its inputs leads"
                + " to one"),
        bad(
            "unused output",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split]}",
                "{id: thumbnail, type: thumbnail, after: [inspect]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.UNUSED_OUTPUT,
            "node 'thumbnail': nothing uses its output: no node names it in after, and it is not"
                + " the sink"),
        bad(
            "filter feeding the sink",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split]}",
                "{id: watermark, type: watermark, after: [encode], params: {image: w.png}}",
                "{id: package, type: package, after: [watermark]}"),
            ProfileProblem.BAD_FILTER,
            "node 'watermark': "
                + FILTER_RULE
                + ", but 'package' (package) does not accept filters"),
        bad(
            "filter feeding two nodes",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: watermark, type: watermark, after: [split], params: {image: w.png}}",
                "{id: encode, type: encode, after: [watermark]}",
                "{id: thumbnail, type: thumbnail, after: [watermark]}",
                "{id: package, type: package, after: [encode, thumbnail]}"),
            ProfileProblem.BAD_FILTER,
            "node 'watermark': " + FILTER_RULE + ", but 2 nodes depend on it (encode, thumbnail)"),
        bad(
            "filter feeding nothing",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: watermark, type: watermark, after: [split], params: {image: w.png}}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_FILTER,
            "node 'watermark': " + FILTER_RULE + ", but nothing depends on it"),
        bad(
            "switching off a required node",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split], enabled: false}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_VALUE,
            "node 'encode': enabled: false is only allowed for optional node types (per-frame"
                + " filters such as watermark), not for type encode"),
        bad(
            "param out of range",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect], params: {chunkSeconds: 0}}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_PARAMS,
            "node 'split': param 'chunkSeconds' must be an integer from 1 to 60, got 0"),
        bad(
            "quoted number param",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect], params: {chunkSeconds: \"4\"}}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_PARAMS,
            "node 'split': param 'chunkSeconds' must be an integer from 1 to 60, got '4'"),
        bad(
            "unknown param",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect], params: {chunkSecs: 4}}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_PARAMS,
            "node 'split': unknown param 'chunkSecs' (known: chunkSeconds)"),
        bad(
            "param on a type without params",
            yaml(
                "{id: inspect, type: inspect, params: {deep: true}}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_PARAMS,
            "node 'inspect': unknown param 'deep' (this type takes no params)"),
        bad(
            "bad choice",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode], params: {encryption: aes-256}}"),
            ProfileProblem.BAD_PARAMS,
            "node 'package': param 'encryption' must be one of none, aes-128, got 'aes-256'"),
        bad(
            "required param missing",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: watermark, type: watermark, after: [split], enabled: false}",
                "{id: encode, type: encode, after: [watermark]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_PARAMS,
            "node 'watermark': param 'image' is required"),
        bad(
            "watermark image not a png",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: watermark, type: watermark, after: [split], params: {image: logo.gif}}",
                "{id: encode, type: encode, after: [watermark]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_PARAMS,
            "node 'watermark': param 'image' must end with .png, got 'logo.gif'"),
        bad(
            "watermark image outside the store",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: watermark, type: watermark, after: [split], params: {image: ../w.png}}",
                "{id: encode, type: encode, after: [watermark]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_PARAMS,
            "node 'watermark': param 'image' is an invalid blob key \"../w.png\": segment 1"
                + " starts with '.'"),
        bad(
            "duplicate rendition names",
            withLadder(
                "  - {name: 720p, height: 720, videoBitrateBps: 3000000}\n"
                    + "  - {name: 720p, height: 720, videoBitrateBps: 2000000}\n"),
            ProfileProblem.BAD_LADDER,
            "ladder: duplicate rendition name '720p' (ladder[0] and ladder[1])"),
        bad(
            "zero bitrate",
            withLadder("  - {name: 720p, height: 720, videoBitrateBps: 0}\n"),
            ProfileProblem.BAD_LADDER,
            "ladder[0] (720p): videoBitrateBps must be positive, got 0"),
        bad(
            "negative bitrate",
            withLadder(
                "  - {name: 720p, height: 720, videoBitrateBps: 3000000}\n"
                    + "  - {name: low, height: 240, videoBitrateBps: -1}\n"),
            ProfileProblem.BAD_LADDER,
            "ladder[1] (low): videoBitrateBps must be positive, got -1"),
        bad(
            "missing bitrate",
            withLadder("  - {name: 720p, height: 720}\n"),
            ProfileProblem.BAD_LADDER,
            "ladder[0] (720p): videoBitrateBps is required"),
        bad(
            "odd height",
            withLadder("  - {name: odd, height: 721, videoBitrateBps: 3000000}\n"),
            ProfileProblem.BAD_LADDER,
            "ladder[0] (odd): height must be even, from 32 to 4320, got 721"),
        bad(
            "name and height disagree",
            withLadder("  - {name: 720p, height: 480, videoBitrateBps: 3000000}\n"),
            ProfileProblem.BAD_LADDER,
            "ladder[0] (720p): name 720p does not match its height 480"),
        bad(
            "empty ladder",
            withLadder("  []\n"),
            ProfileProblem.BAD_LADDER,
            "ladder must have at least one rendition"),
        bad(
            "rung larger than level 4.1",
            withLadder("  - {name: 1440p, height: 1440, videoBitrateBps: 8000000}\n"),
            ProfileProblem.BAD_LADDER,
            "ladder[0] (1440p): a 16:9 frame of 2560x1440 is larger than level 4.1 allows (8192"
                + " macroblocks)"),
        bad(
            "bitrate above level 4.1",
            withLadder("  - {name: 1080p, height: 1080, videoBitrateBps: 70000000}\n"),
            ProfileProblem.BAD_LADDER,
            "ladder[0] (1080p): videoBitrateBps 70000000 is above level 4.1's limit for high"
                + " (62500000)"),
        bad(
            "level above 4.1",
            yaml().replace("maxLevel: \"4.1\"", "maxLevel: \"4.2\""),
            ProfileProblem.BAD_VIDEO,
            "video: maxLevel must be at most 4.1 (what smart TVs and phones are certified for),"
                + " got 4.2"),
        bad(
            "level that does not exist",
            yaml().replace("maxLevel: \"4.1\"", "maxLevel: \"4.7\""),
            ProfileProblem.BAD_VIDEO,
            "video: maxLevel must be an H.264 level such as 4.1, got '4.7'"),
        bad(
            "video codec",
            yaml().replace("codec: h264", "codec: hevc"),
            ProfileProblem.BAD_VIDEO,
            "video: codec must be h264, got 'hevc'"),
        bad(
            "audio channels",
            yaml().replace("channels: 2", "channels: 6"),
            ProfileProblem.BAD_AUDIO,
            "audio: channels must be 1 or 2, got 6"),
        bad(
            "missing audio",
            yaml().replaceAll("audio: \\{.*\\}\n", ""),
            ProfileProblem.BAD_AUDIO,
            "audio is required"),
        bad(
            "missing name",
            yaml().replace("name: t\n", ""),
            ProfileProblem.BAD_VALUE,
            "name is required"),
        bad(
            "bad profile name",
            yaml().replace("name: t\n", "name: Default\n"),
            ProfileProblem.BAD_VALUE,
            "name must be 1 to 32 of a-z, 0-9 and '-', got 'Default'"),
        bad(
            "unknown top-level field",
            yaml() + "ladders: []\n",
            ProfileProblem.UNKNOWN_FIELD,
            "unknown field 'ladders' (known: audio, description, ladder, name, nodes, video)"),
        bad(
            "unknown node field",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: encode, type: encode, aftr: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.UNKNOWN_FIELD,
            "nodes[2]: unknown field 'aftr' (known: after, enabled, id, params, type)"),
        bad(
            "quoted height",
            withLadder("  - {name: 720p, height: \"720\", videoBitrateBps: 3000000}\n"),
            ProfileProblem.BAD_VALUE,
            "ladder[0].height: expected an integer"),
        bad(
            "fractional height",
            withLadder("  - {name: 720p, height: 720.5, videoBitrateBps: 3000000}\n"),
            ProfileProblem.BAD_VALUE,
            "ladder[0].height: expected an integer"),
        bad(
            "unquoted off as an id",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: [inspect]}",
                "{id: off, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_VALUE,
            "nodes[2].id: expected a string (YAML reads unquoted yes, no, on and off as booleans:"
                + " quote it)"),
        bad(
            "number as a rendition name",
            withLadder("  - {name: 720, height: 720, videoBitrateBps: 3000000}\n"),
            ProfileProblem.BAD_VALUE,
            "ladder[0].name: expected a string"),
        bad(
            "after as a scalar",
            yaml(
                "{id: inspect, type: inspect}",
                "{id: split, type: split, after: inspect}",
                "{id: encode, type: encode, after: [split]}",
                "{id: package, type: package, after: [encode]}"),
            ProfileProblem.BAD_VALUE,
            "nodes[1].after: expected a list"));
  }

  private static Arguments bad(String name, String yaml, ProfileProblem problem, String message) {
    return Arguments.of(name, yaml, problem, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badProfiles")
  void parse_badProfile_throwsOneClearMessage(
      String name, String yaml, ProfileProblem problem, String message) {
    assertThatThrownBy(() -> LOADER.parse(yaml, "t.yaml"))
        .isInstanceOfSatisfying(
            ProfileException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("t.yaml: " + message);
              assertThat(e.problem()).isEqualTo(problem);
              assertThat(e.source()).isEqualTo("t.yaml");
            });
  }

  @Test
  void parse_invalidYaml_namesTheLine() {
    assertThatThrownBy(() -> LOADER.parse("name: t\nnodes: [\n", "t.yaml"))
        .isInstanceOfSatisfying(
            ProfileException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(ProfileProblem.INVALID_YAML);
              assertThat(e.getMessage()).startsWith("t.yaml: invalid YAML at line ");
            });
  }

  @Test
  void parse_duplicateKey_isRejected() {
    String dup = yaml().replace("name: t\n", "name: t\nname: u\n");

    assertThatThrownBy(() -> LOADER.parse(dup, "t.yaml"))
        .isInstanceOfSatisfying(
            ProfileException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(ProfileProblem.INVALID_YAML);
              assertThat(e.getMessage())
                  .startsWith("t.yaml: invalid YAML at line 2")
                  .contains("name");
            });
  }

  @Test
  void parse_emptyOrNotAMapping_isRejected() {
    assertThatThrownBy(() -> LOADER.parse("", "t.yaml")).hasMessage("t.yaml: the file is empty");
    assertThatThrownBy(() -> LOADER.parse("- a\n- b\n", "t.yaml"))
        .hasMessage("t.yaml: a profile must be a YAML mapping of keys to values");
  }

  @Test
  void load_nameDiffersFromFileName_isRejected(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("other.yaml");
    Files.writeString(file, yaml());

    assertThatThrownBy(() -> LOADER.load(file))
        .isInstanceOf(ProfileException.class)
        .hasMessage(file + ": name 't' does not match the file name other.yaml");
  }

  @Test
  void loadAll_withoutDefault_isRejected(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("t.yaml"), yaml());

    assertThatThrownBy(() -> LOADER.loadAll(dir))
        .isInstanceOfSatisfying(
            ProfileException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(ProfileProblem.NO_DEFAULT);
              assertThat(e.getMessage())
                  .isEqualTo(dir + ": no default.yaml: videos that name no profile get that one");
            });
  }

  @Test
  void loadAll_badProfileAmongGoodOnes_failsNamingTheFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("default.yaml"), yaml().replace("name: t", "name: default"));
    Path bad = dir.resolve("broken.yaml");
    Files.writeString(
        bad, yaml().replace("name: t", "name: broken").replace("type: encode", "type: x"));

    assertThatThrownBy(() -> LOADER.loadAll(dir))
        .isInstanceOf(ProfileException.class)
        .hasMessage(bad + ": node 'encode': unknown type 'x' " + TYPES);
  }

  @Test
  void newProfile_inCode_runsTheSameChecks() {
    NodeType encode = NodeTypes.builtin().get("encode").orElseThrow();
    NodeType inspect = NodeTypes.builtin().get("inspect").orElseThrow();
    assertThatThrownBy(
            () ->
                new Profile(
                    "x",
                    "",
                    VideoSpec.defaults(),
                    AudioSpec.defaults(),
                    List.of(new Rung("720p", 720, 1)),
                    List.of(NodeSpec.of("inspect", inspect), NodeSpec.of("encode", encode))))
        .isInstanceOf(ProfileException.class)
        .hasMessage(
            "profile 'x': no sink: exactly one node must be the sink (a package node), found"
                + " none");
  }
}
