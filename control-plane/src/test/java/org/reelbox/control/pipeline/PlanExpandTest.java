package org.reelbox.control.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanExpandTest {
  private static final Planner PLANNER = new Planner();

  static SourceInfo source(int width, int height, int fps, long durationUs) {
    return new SourceInfo(width, height, FrameRate.of(fps), durationUs);
  }

  private static Plan plan(String profile) {
    return PLANNER.plan(Profiles.shipped(profile), PlanOptions.defaults());
  }

  /**
   * Invariants of every expansion: unique ids, dependencies known, earlier and in earlier stages.
   */
  private static void assertWellFormed(ExpandedPlan x) {
    Map<String, Task> seen = new HashMap<>();
    for (Task t : x.tasks()) {
      for (String d : t.dependsOn()) {
        assertThat(seen).as("%s depends on %s", t.id(), d).containsKey(d);
        assertThat(seen.get(d).stage()).isLessThan(t.stage());
      }
      assertThat(seen.put(t.id(), t)).as("duplicate id %s", t.id()).isNull();
    }
    // Every task but the sink's is needed by another.
    Map<String, Integer> used = new HashMap<>();
    x.tasks().forEach(t -> t.dependsOn().forEach(d -> used.merge(d, 1, Integer::sum)));
    for (Task t : x.tasks()) {
      if (!t.type().isSink()) {
        assertThat(used).as("nothing uses %s", t.id()).containsKey(t.id());
      }
    }
  }

  @Test
  void expand_default720pSource_fansEncodeOutOverChunksAndRenditions() {
    ExpandedPlan x = plan("default").expand(source(1280, 720, 30, 30_000_000), 8);

    assertThat(x.ladder())
        .extracting(Rendition::name)
        .containsExactly("720p", "480p", "360p", "240p");
    // inspect, split, audio, thumbnail, 8 × 4 encodes, package.
    assertThat(x.tasks()).hasSize(4 + 32 + 1);
    assertThat(x.tasks().subList(0, 5))
        .extracting(Task::id)
        .containsExactly("inspect", "split", "audio", "thumbnail", "encode/c0000/720p");
    Task encode = x.task("encode/c0003/480p").orElseThrow();
    assertThat(encode.dependsOn()).containsExactly("split");
    assertThat(encode.chunk()).hasValue(3);
    assertThat(encode.rendition().orElseThrow().width()).isEqualTo(854);
    assertThat(encode.params()).isEqualTo(Map.of("preset", "veryfast"));
    Task pkg = x.task("package").orElseThrow();
    assertThat(pkg.dependsOn()).hasSize(34);
    assertThat(pkg.dependsOn().subList(0, 2))
        .containsExactly("encode/c0000/720p", "encode/c0000/480p");
    assertThat(pkg.dependsOn().subList(32, 34)).containsExactly("audio", "thumbnail");
    assertThat(x.task("audio").orElseThrow().dependsOn()).containsExactly("inspect");
    assertWellFormed(x);
  }

  @Test
  void expand_watermarkOn_encodeTasksCarryTheFilterChain() {
    Plan plan =
        PLANNER.plan(Profiles.shipped("default"), PlanOptions.defaults().withWatermark(true));

    ExpandedPlan x = plan.expand(source(1280, 720, 30, 30_000_000), 8);

    assertThat(x.task("encode/c0007/240p").orElseThrow().filters())
        .extracting(Filter::id)
        .containsExactly("watermark");
    assertThat(x.task("watermark")).isEmpty();
    assertWellFormed(x);
  }

  @Test
  void expand_4k60Source_keepsTheWholeLadderAndHalves1080pTo30FpsForLevel41() {
    ExpandedPlan x = plan("default").expand(source(3840, 2160, 60, 30_000_000), 8);

    Map<String, Rendition> byName = new HashMap<>();
    x.ladder().forEach(r -> byName.put(r.name(), r));
    assertThat(byName.keySet()).containsExactlyInAnyOrder("1080p", "720p", "480p", "360p", "240p");
    Rendition hd = byName.get("1080p");
    assertThat(hd.width()).isEqualTo(1920);
    assertThat(hd.frameRate()).isEqualTo(FrameRate.of(30));
    assertThat(hd.level()).isEqualTo(H264Level.L4);
    assertThat(hd.profile()).isEqualTo(H264Profile.HIGH);
    // 720p60 fits level 3.2 exactly (3600 macroblocks × 60 = 216000).
    assertThat(byName.get("720p").frameRate()).isEqualTo(FrameRate.of(60));
    assertThat(byName.get("720p").level()).isEqualTo(H264Level.L3_2);
    assertThat(byName.get("480p").profile()).isEqualTo(H264Profile.MAIN);
    assertWellFormed(x);
  }

  @Test
  void expand_sourceBelowTheSmallestRung_keepsOneRungAtTheSourceSize() {
    ExpandedPlan x = plan("default").expand(source(320, 181, 25, 10_000_000), 3);

    assertThat(x.ladder()).hasSize(1);
    Rendition r = x.ladder().get(0);
    assertThat(r.name()).isEqualTo("180p");
    assertThat(r.height()).isEqualTo(180);
    assertThat(r.width()).isEqualTo(320);
    // The 240p rung's bits per pixel: 400000 × (320×180)/(426×240).
    assertThat(r.videoBitrateBps()).isEqualTo(225_352);
    assertThat(r.profile()).isEqualTo(H264Profile.MAIN);
    assertThat(x.tasks()).extracting(Task::id).contains("encode/c0002/180p");
    assertWellFormed(x);
  }

  @Test
  void expand_subsetAboveTheSource_keepsOneRungScaledFromTheSmallestChosen() {
    Plan plan =
        PLANNER.plan(
            Profiles.shipped("default"), PlanOptions.defaults().withRenditions(List.of("1080p")));

    ExpandedPlan x = plan.expand(source(1280, 720, 30, 10_000_000), 3);

    assertThat(x.ladder())
        .containsExactly(
            new Rendition(
                "720p", 1280, 720, FrameRate.of(30), 2_222_222, H264Profile.HIGH, H264Level.L3_1));
  }

  @Test
  void expand_cinemascopeAnd4x3Sources_fitEachRungsBox() {
    assertThat(plan("default").expand(source(3840, 1606, 24, 10_000_000), 3).ladder())
        .extracting(r -> r.name() + "=" + r.width() + "x" + r.height())
        .containsExactly(
            "1080p=1920x804", "720p=1280x536", "480p=854x358", "360p=640x268", "240p=426x178");
    assertThat(plan("default").expand(source(1440, 1080, 30, 10_000_000), 3).ladder())
        .extracting(r -> r.name() + "=" + r.width() + "x" + r.height())
        .containsExactly(
            "1080p=1440x1080", "720p=960x720", "480p=640x480", "360p=480x360", "240p=320x240");
  }

  @Test
  void expand_portraitSource_boxesTurnUpright() {
    ExpandedPlan x = plan("default").expand(source(1080, 1920, 30, 10_000_000), 3);

    assertThat(x.ladder())
        .extracting(r -> r.name() + "=" + r.width() + "x" + r.height())
        .containsExactly(
            "1080p=1080x1920", "720p=720x1280", "480p=480x854", "360p=360x640", "240p=240x426");
    assertWellFormed(x);
  }

  @Test
  void expand_manySources_neverUpscalesAndNeverExceedsLevel41() {
    int[][] sizes = {
      {3840, 2160}, {1920, 1080}, {1920, 800}, {1280, 720}, {1279, 719}, {720, 1280},
      {640, 480}, {480, 480}, {176, 144}, {16, 16}, {7680, 4320}, {4096, 2160}
    };
    FrameRate[] rates = {
      FrameRate.of(24),
      new FrameRate(24000, 1001),
      FrameRate.of(25),
      new FrameRate(30000, 1001),
      FrameRate.of(30),
      FrameRate.of(50),
      new FrameRate(60000, 1001),
      FrameRate.of(60),
      FrameRate.of(120),
      FrameRate.of(240)
    };
    for (String profile : List.of("default", "fast")) {
      Plan plan = plan(profile);
      for (int[] size : sizes) {
        for (FrameRate rate : rates) {
          SourceInfo s = new SourceInfo(size[0], size[1], rate, 30_000_000);
          ExpandedPlan x = plan.expand(s, 8);
          List<String> where = new ArrayList<>();
          where.add(profile + " " + size[0] + "x" + size[1] + "@" + rate);
          assertThat(x.ladder()).as("%s", where).isNotEmpty();
          for (Rendition r : x.ladder()) {
            assertThat(r.width()).as("%s %s", where, r).isLessThanOrEqualTo(size[0]);
            assertThat(r.height()).as("%s %s", where, r).isLessThanOrEqualTo(size[1]);
            assertThat(r.level()).as("%s %s", where, r).isLessThanOrEqualTo(H264Level.L4_1);
            assertThat(
                    r.level()
                        .fits(
                            r.width(), r.height(), r.frameRate(), r.videoBitrateBps(), r.profile()))
                .as("%s %s", where, r)
                .isTrue();
            assertThat(r.frameRate().fps()).as("%s %s", where, r).isLessThanOrEqualTo(rate.fps());
            int rungHeight = Integer.parseInt(r.name().replace("p", ""));
            assertThat(r.profile())
                .isEqualTo(rungHeight > 480 ? H264Profile.HIGH : H264Profile.MAIN);
          }
          assertWellFormed(x);
        }
      }
    }
  }

  @Test
  void expand_ntscRate_isHalvedExactly() {
    ExpandedPlan x =
        plan("default")
            .expand(new SourceInfo(1920, 1080, new FrameRate(60000, 1001), 5_000_000), 2);

    assertThat(x.ladder().get(0).frameRate()).isEqualTo(new FrameRate(30000, 1001));
  }

  @Test
  void expand_sameInputs_giveTheSameTasks() {
    Plan plan = plan("default");
    SourceInfo s = source(1920, 1080, 30, 30_000_000);

    assertThat(plan.expand(s, 8)).isEqualTo(plan.expand(s, 8));
  }

  @Test
  void expand_badChunkCount_isRejected() {
    Plan plan = plan("fast");
    SourceInfo s = source(1280, 720, 30, 1_000_000);

    assertThatThrownBy(() -> plan.expand(s, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chunkCount must be from 1 to 100000, got 0");
    assertThatThrownBy(() -> plan.expand(s, 31))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chunkCount 31 is more than the source has frames (30)");
    assertThat(plan.expand(s, 30).tasks()).hasSize(4 + 30 * 2);
  }

  @Test
  void taskId_formats_nodeChunkAndRendition() {
    assertThat(Task.id("inspect", -1, null)).isEqualTo("inspect");
    assertThat(Task.id("encode", 3, "720p")).isEqualTo("encode/c0003/720p");
    assertThat(Task.id("scan", 12345, null)).isEqualTo("scan/c12345");
    assertThat(Task.id("pack", -1, "240p")).isEqualTo("pack/240p");
  }
}
