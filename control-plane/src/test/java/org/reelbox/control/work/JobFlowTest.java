package org.reelbox.control.work;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.reelbox.control.pipeline.ExpandedPlan;
import org.reelbox.control.pipeline.FrameRate;
import org.reelbox.control.pipeline.PlanOptions;
import org.reelbox.control.pipeline.SourceInfo;
import org.reelbox.control.pipeline.Task;

/** The job flow's pure rules: claim ranks, early publishing and fuse keys. */
class JobFlowTest {
  // The shipped default profile on a 720p30 source in 8 chunks: 720p, 480p, 360p, 240p.
  private static final ExpandedPlan DEFAULT =
      ProfileCatalog.load("")
          .plan("default", PlanOptions.defaults())
          .expand(new SourceInfo(1280, 720, FrameRate.of(30), 30_000_000), 8);

  private static Task task(String id) {
    return DEFAULT.task(id).orElseThrow();
  }

  @Test
  void claimRank_encodesByPixelsTimesFps_othersZero() {
    assertThat(JobFlow.claimRank(task("encode/c0000/240p")))
        .isLessThan(JobFlow.claimRank(task("encode/c0000/360p")));
    assertThat(JobFlow.claimRank(task("encode/c0000/720p"))).isEqualTo(1280L * 720 * 30);
    assertThat(JobFlow.claimRank(task("split"))).isZero();
  }

  @Test
  void publishesEarly_aLadderOfTwoOrMore_encryptedOrNot() {
    assertThat(JobFlow.publishesEarly(4)).isTrue();
    assertThat(JobFlow.publishesEarly(2)).isTrue();
    assertThat(JobFlow.publishesEarly(1)).isFalse();
  }

  @Test
  void fuseKey_publishesEarly_cheapestRenditionAloneTheOthersKeyedByChunk() {
    boolean early = true;
    assertThat(JobFlow.fuseKey(task("encode/c0003/240p"), DEFAULT.ladder(), early)).isNull();
    assertThat(JobFlow.fuseKey(task("encode/c0003/360p"), DEFAULT.ladder(), early))
        .isEqualTo("encode/c0003");
    assertThat(JobFlow.fuseKey(task("encode/c0003/480p"), DEFAULT.ladder(), early))
        .isEqualTo("encode/c0003");
    assertThat(JobFlow.fuseKey(task("encode/c0003/720p"), DEFAULT.ladder(), early))
        .isEqualTo("encode/c0003");
    assertThat(JobFlow.fuseKey(task("encode/c0004/720p"), DEFAULT.ladder(), early))
        .isEqualTo("encode/c0004");
  }

  @Test
  void fuseKey_noEarlyPublishing_everyRenditionKeyedByChunk() {
    for (String r : new String[] {"240p", "360p", "480p", "720p"}) {
      assertThat(JobFlow.fuseKey(task("encode/c0000/" + r), DEFAULT.ladder(), false))
          .isEqualTo("encode/c0000");
    }
  }

  @Test
  void fuseKey_tasksOtherThanEncodes_null() {
    for (String id : new String[] {"inspect", "split", "audio", "thumbnail", "package"}) {
      assertThat(JobFlow.fuseKey(task(id), DEFAULT.ladder(), false)).as(id).isNull();
    }
  }
}
