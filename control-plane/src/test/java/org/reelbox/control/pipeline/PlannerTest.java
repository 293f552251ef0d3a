package org.reelbox.control.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reelbox.control.pipeline.Profiles.yaml;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlannerTest {
  private static final Planner PLANNER = new Planner();

  private static List<List<String>> stageIds(Plan plan) {
    return plan.stages().stream()
        .map(s -> s.nodes().stream().map(PlannedNode::id).toList())
        .toList();
  }

  @Test
  void plan_defaultProfile_ordersTheDagIntoFourStages() {
    Plan plan = PLANNER.plan(Profiles.shipped("default"), PlanOptions.defaults());

    assertThat(stageIds(plan))
        .containsExactly(
            List.of("inspect"),
            List.of("split", "audio", "thumbnail"),
            List.of("encode"),
            List.of("package"));
    PlannedNode encode = plan.node("encode").orElseThrow();
    // The watermark is off: bypassed, so encode reads the split's chunks directly.
    assertThat(encode.inputs()).containsExactly("split");
    assertThat(encode.filters()).isEmpty();
    assertThat(plan.node("watermark")).isEmpty();
    assertThat(plan.node("package").orElseThrow().inputs())
        .containsExactly("encode", "audio", "thumbnail");
    assertThat(plan.ladder())
        .extracting(Rung::name)
        .containsExactly("1080p", "720p", "480p", "360p", "240p");
  }

  @Test
  void plan_watermarkOn_fusesTheFilterIntoEncode() {
    Plan plan =
        PLANNER.plan(Profiles.shipped("default"), PlanOptions.defaults().withWatermark(true));

    assertThat(stageIds(plan))
        .containsExactly(
            List.of("inspect"),
            List.of("split", "audio", "thumbnail"),
            List.of("encode"),
            List.of("package"));
    PlannedNode encode = plan.node("encode").orElseThrow();
    assertThat(encode.inputs()).containsExactly("split");
    assertThat(encode.filters()).hasSize(1);
    Filter f = encode.filters().get(0);
    assertThat(f.id()).isEqualTo("watermark");
    assertThat(f.params())
        .containsExactly(
            Map.entry("image", "assets/watermark.png"),
            Map.entry("position", "top-right"),
            Map.entry("marginPx", 16));
    assertThat(plan.node("watermark")).isEmpty();
  }

  @Test
  void plan_chainedFilters_applyUpstreamFirstAndBypassTheOneSwitchedOff() {
    String yaml =
        yaml(
            "{id: inspect, type: inspect}",
            "{id: split, type: split, after: [inspect]}",
            "{id: logo, type: watermark, after: [split], params: {image: a.png}}",
            "{id: dimmed, type: watermark, after: [logo], enabled: false, params: {image: b.png}}",
            "{id: badge, type: watermark, after: [dimmed], params: {image: c.png,"
                + " position: bottom-left}}",
            "{id: encode, type: encode, after: [badge, inspect]}",
            "{id: package, type: package, after: [encode]}");
    Profile profile = ProfileLoader.builtin().parse(yaml, "t.yaml");

    Plan plan = PLANNER.plan(profile, PlanOptions.defaults());

    PlannedNode encode = plan.node("encode").orElseThrow();
    assertThat(encode.filters()).extracting(Filter::id).containsExactly("logo", "badge");
    assertThat(encode.inputs()).containsExactly("inspect", "split");
    assertThat(stageIds(plan))
        .containsExactly(
            List.of("inspect"), List.of("split"), List.of("encode"), List.of("package"));

    // The watermark option switches every watermark node, the one the profile had off included.
    Plan off = PLANNER.plan(profile, PlanOptions.defaults().withWatermark(false));
    assertThat(off.node("encode").orElseThrow().filters()).isEmpty();
    Plan on = PLANNER.plan(profile, PlanOptions.defaults().withWatermark(true));
    assertThat(on.node("encode").orElseThrow().filters())
        .extracting(Filter::id)
        .containsExactly("logo", "dimmed", "badge");
  }

  @Test
  void plan_nodesListedOutOfOrder_stagesStillFollowTheEdges() {
    String yaml =
        yaml(
            "{id: package, type: package, after: [encode, audio]}",
            "{id: encode, type: encode, after: [split]}",
            "{id: audio, type: audio, after: [inspect]}",
            "{id: split, type: split, after: [inspect]}",
            "{id: inspect, type: inspect}");

    Plan plan = PLANNER.plan(ProfileLoader.builtin().parse(yaml, "t.yaml"), PlanOptions.defaults());

    assertThat(stageIds(plan))
        .containsExactly(
            List.of("inspect"), List.of("audio", "split"), List.of("encode"), List.of("package"));
  }

  @Test
  void plan_renditionSubset_keepsProfileOrder() {
    Plan plan =
        PLANNER.plan(
            Profiles.shipped("default"),
            PlanOptions.defaults().withRenditions(List.of("360p", "720p")));

    assertThat(plan.ladder()).extracting(Rung::name).containsExactly("720p", "360p");
  }

  @Test
  void plan_customThumbnail_setsTheThumbnailImage() {
    Plan plan =
        PLANNER.plan(
            Profiles.shipped("default"),
            PlanOptions.defaults().withThumbnailImage("uploads/abc/cover.JPG"));

    assertThat(plan.node("thumbnail").orElseThrow().params())
        .containsExactly(Map.entry("count", 3), Map.entry("image", "uploads/abc/cover.JPG"));
  }

  @Test
  void plan_watermarkOffOnAProfileWithoutOne_isANoOp() {
    Plan plan = PLANNER.plan(Profiles.shipped("fast"), PlanOptions.defaults().withWatermark(false));

    assertThat(stageIds(plan))
        .containsExactly(
            List.of("inspect"), List.of("split", "audio"), List.of("encode"), List.of("package"));
  }

  static Stream<Arguments> badOptions() {
    PlanOptions none = PlanOptions.defaults();
    return Stream.of(
        Arguments.of(
            "default",
            none.withRenditions(List.of("720p", "4k")),
            "renditions: unknown rendition '4k' (profile default has 1080p, 720p, 480p, 360p,"
                + " 240p)"),
        Arguments.of(
            "default",
            none.withRenditions(List.of()),
            "renditions: name at least one rendition, or leave it out"),
        Arguments.of(
            "default",
            none.withRenditions(List.of("720p", "720p")),
            "renditions: '720p' is named twice"),
        Arguments.of(
            "fast",
            none.withWatermark(true),
            "watermark: profile fast has no watermark node to switch on"),
        Arguments.of(
            "fast",
            none.withThumbnailImage("uploads/a/cover.jpg"),
            "thumbnailImage: profile fast makes no thumbnails"),
        Arguments.of(
            "default",
            none.withThumbnailImage("uploads/a/cover.gif"),
            "thumbnailImage must end with .jpg, .jpeg or .png, got 'uploads/a/cover.gif'"),
        Arguments.of(
            "default",
            none.withThumbnailImage("../secrets/cover.jpg"),
            "thumbnailImage is an invalid blob key \"../secrets/cover.jpg\": segment 1 starts"
                + " with '.'"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badOptions")
  void plan_badOptions_throwsOptionsExceptionNamingTheOption(
      String profile, PlanOptions options, String message) {
    assertThatThrownBy(() -> PLANNER.plan(Profiles.shipped(profile), options))
        .isInstanceOf(OptionsException.class)
        .hasMessage(message);
  }

  @Test
  void optionsException_toApiException_isA400ValidationFailure() {
    OptionsException e = new OptionsException("renditions: nope");

    assertThat(e.toApiException().httpStatus()).isEqualTo(400);
    assertThat(e.toApiException().body().error()).isEqualTo("VALIDATION_FAILED");
  }

  @Test
  void plan_newNodeTypes_needNoPlannerChange() {
    // A captions generator that runs once after inspect, and a per-frame blur filter: only the
    // registry knows about them.
    NodeType captions =
        NodeType.builder("captions")
            .description("speech to text")
            .requires(NodeTypes.INSPECT)
            .params(ParamSpec.choice("language", "auto", "auto", "en", "fr"))
            .build();
    NodeType blur =
        NodeType.builder("blur")
            .description("blurs faces")
            .traits(NodeType.Trait.PER_FRAME_FILTER)
            .params(ParamSpec.integer("radius", 1, 50, 8))
            .build();
    ProfileLoader loader = new ProfileLoader(NodeTypes.builtin().with(captions, blur));
    String yaml =
        yaml(
            "{id: inspect, type: inspect}",
            "{id: split, type: split, after: [inspect]}",
            "{id: blur, type: blur, after: [split]}",
            "{id: encode, type: encode, after: [blur]}",
            "{id: captions, type: captions, after: [inspect], params: {language: fr}}",
            "{id: package, type: package, after: [encode, captions]}");

    Plan plan = PLANNER.plan(loader.parse(yaml, "t.yaml"), PlanOptions.defaults());
    ExpandedPlan x = plan.expand(PlanExpandTest.source(1280, 720, 30, 8_000_000), 2);

    assertThat(stageIds(plan))
        .containsExactly(
            List.of("inspect"),
            List.of("split", "captions"),
            List.of("encode"),
            List.of("package"));
    assertThat(plan.node("encode").orElseThrow().filters())
        .extracting(Filter::id)
        .containsExactly("blur");
    assertThat(x.task("captions").orElseThrow().params()).isEqualTo(Map.of("language", "fr"));
    assertThat(x.task("package").orElseThrow().dependsOn())
        .containsExactly(
            "encode/c0000/720p",
            "encode/c0000/360p",
            "encode/c0001/720p",
            "encode/c0001/360p",
            "captions");
    assertThatThrownBy(() -> ProfileLoader.builtin().parse(yaml, "t.yaml"))
        .hasMessageStartingWith("t.yaml: node 'blur': unknown type 'blur'");
  }
}
