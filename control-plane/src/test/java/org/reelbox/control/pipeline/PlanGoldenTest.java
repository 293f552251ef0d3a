package org.reelbox.control.pipeline;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner's output for the shipped profiles, profile → ladder → stages → tasks, against
 * src/test/resources/golden/plans. Regenerate with {@code -Dreelbox.golden.update=true}.
 */
class PlanGoldenTest {
  private static final SourceInfo SOURCE_720P =
      new SourceInfo(1280, 720, FrameRate.of(30), 30_000_000);
  private static final SourceInfo SOURCE_4K60 =
      new SourceInfo(3840, 2160, FrameRate.of(60), 30_000_000);

  static Stream<Arguments> cases() {
    PlanOptions creator =
        PlanOptions.defaults()
            .withRenditions(List.of("720p", "360p"))
            .withWatermark(true)
            .withThumbnailImage("uploads/cover.jpg");
    return Stream.of(
        Arguments.of("default-720p30-8chunks", "default", PlanOptions.defaults(), SOURCE_720P, 8),
        Arguments.of("fast-720p30-8chunks", "fast", PlanOptions.defaults(), SOURCE_720P, 8),
        Arguments.of("default-4k60-8chunks", "default", PlanOptions.defaults(), SOURCE_4K60, 8),
        Arguments.of("fast-4k60-8chunks", "fast", PlanOptions.defaults(), SOURCE_4K60, 8),
        Arguments.of("default-options-720p30-8chunks", "default", creator, SOURCE_720P, 8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void render_shippedProfile_matchesGolden(
      String name, String profile, PlanOptions options, SourceInfo source, int chunks)
      throws IOException {
    Plan plan = new Planner().plan(Profiles.shipped(profile), options);

    String dump =
        "# "
            + name
            + ": conf/pipelines/"
            + profile
            + ".yaml planned and expanded by PlanGoldenTest.\n"
            + "# Generated; do not edit. Regenerate with -D"
            + Golden.UPDATE_PROPERTY
            + "=true.\n\n"
            + PlanDump.render(plan.expand(source, chunks));

    Golden.assertMatches("plans/" + name + ".txt", dump);
  }
}
