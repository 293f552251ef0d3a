package org.reelbox.control.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTypesTest {
  @Test
  void builtin_hasTheSevenTypesWithTheirTraits() {
    NodeTypes types = NodeTypes.builtin();

    assertThat(types.names())
        .containsExactly(
            "audio", "encode", "inspect", "package", "split", "thumbnail", "watermark");
    NodeType encode = types.get("encode").orElseThrow();
    assertThat(encode.mapsOverChunks()).isTrue();
    assertThat(encode.fanout()).isEqualTo(Fanout.PER_CHUNK_AND_RENDITION);
    assertThat(encode.acceptsFilters()).isTrue();
    NodeType watermark = types.get("watermark").orElseThrow();
    assertThat(watermark.isPerFrameFilter()).isTrue();
    assertThat(watermark.optional()).isTrue();
    assertThat(types.get("split").orElseThrow().producesChunks()).isTrue();
    assertThat(types.get("package").orElseThrow().isSink()).isTrue();
    assertThat(types.get("nope")).isEmpty();
  }

  @Test
  void resolveParams_fillsDefaultsInDeclarationOrder() {
    NodeType watermark = NodeTypes.builtin().get("watermark").orElseThrow();

    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("marginPx", 4);
    raw.put("image", "a/b.PNG");

    assertThat(watermark.resolveParams(raw))
        .containsExactly(
            Map.entry("image", "a/b.PNG"),
            Map.entry("position", "top-right"),
            Map.entry("marginPx", 4));
  }

  @Test
  void resolveParams_longWithinRange_becomesInteger() {
    NodeType split = NodeTypes.builtin().get("split").orElseThrow();

    assertThat(split.resolveParams(Map.of("chunkSeconds", 6L)))
        .isEqualTo(Map.of("chunkSeconds", 6));
    assertThatThrownBy(() -> split.resolveParams(Map.of("chunkSeconds", 4.0)))
        .hasMessage("param 'chunkSeconds' must be an integer from 1 to 60, got 4.0");
    assertThatThrownBy(() -> split.resolveParams(Map.of("chunkSeconds", Long.MAX_VALUE)))
        .hasMessage("param 'chunkSeconds' must be an integer from 1 to 60, got " + Long.MAX_VALUE);
  }

  @Test
  void with_duplicateName_isRejected() {
    assertThatThrownBy(() -> NodeTypes.builtin().with(NodeType.builder("encode").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate node type encode");
  }

  @Test
  void with_requirementOnUnknownOrOptionalType_isRejected() {
    assertThatThrownBy(
            () -> NodeTypes.builtin().with(NodeType.builder("x").requires("nothing").build()))
        .hasMessage("node type x requires unknown type nothing");
    assertThatThrownBy(
            () -> NodeTypes.builtin().with(NodeType.builder("x").requires("watermark").build()))
        .hasMessage("node type x requires optional type watermark");
  }

  @Test
  void nodeType_filterWithFanout_isRejected() {
    assertThatThrownBy(
            () ->
                NodeType.builder("x")
                    .traits(NodeType.Trait.PER_FRAME_FILTER)
                    .fanout(Fanout.PER_CHUNK)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("node type x: a per-frame filter is fused");
    assertThatThrownBy(
            () ->
                NodeType.builder("x").traits(NodeType.Trait.SINK, NodeType.Trait.OPTIONAL).build())
        .hasMessageStartingWith("node type x: the sink and the chunk producer");
    assertThatThrownBy(() -> NodeType.builder("Bad Name").build())
        .hasMessageStartingWith("node type name must match");
    assertThatThrownBy(
            () ->
                NodeType.builder("x")
                    .params(ParamSpec.integer("a", 1, 2, 1), ParamSpec.bool("a", true))
                    .build())
        .hasMessage("node type x: duplicate param a");
  }

  @Test
  void h264Level_parse_acceptsShortAndLongForms() {
    assertThat(H264Level.parse("4.1")).hasValue(H264Level.L4_1);
    assertThat(H264Level.parse("4")).hasValue(H264Level.L4);
    assertThat(H264Level.parse("4.0")).hasValue(H264Level.L4);
    assertThat(H264Level.parse("3.0")).hasValue(H264Level.L3);
    assertThat(H264Level.parse("1b")).isEmpty();
    assertThat(H264Level.parse("41")).isEmpty();
    assertThat(H264Level.parse("4.10")).isEmpty();
  }

  @Test
  void h264Level_lowestFitting_matchesTheUsualLadderLevels() {
    FrameRate fps30 = FrameRate.of(30);
    List<String> levels =
        List.of(
                new int[] {1920, 1080},
                new int[] {1280, 720},
                new int[] {854, 480},
                new int[] {640, 360},
                new int[] {426, 240})
            .stream()
            .map(
                s ->
                    H264Level.lowestFitting(
                            s[0],
                            s[1],
                            fps30,
                            1_000_000,
                            H264Profile.forHeight(s[1]),
                            H264Level.L4_1)
                        .orElseThrow()
                        .label())
            .toList();

    assertThat(levels).containsExactly("4.0", "3.1", "3.1", "3.0", "2.1");
  }

  @Test
  void frameRate_isReducedAndBounded() {
    assertThat(new FrameRate(60, 2)).isEqualTo(FrameRate.of(30));
    assertThat(new FrameRate(30000, 1001).toString()).isEqualTo("30000/1001");
    assertThat(FrameRate.of(60).divide(2)).isEqualTo(FrameRate.of(30));
    assertThatThrownBy(() -> FrameRate.of(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FrameRate.of(241)).isInstanceOf(IllegalArgumentException.class);
  }
}
