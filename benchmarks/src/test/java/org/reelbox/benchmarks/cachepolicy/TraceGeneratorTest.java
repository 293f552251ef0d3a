package org.reelbox.benchmarks.cachepolicy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceGeneratorTest {
  private static final TraceModel SMALL = new TraceModel(300, 2_000, 0.8, 2, 0.5, 42);

  @Test
  void generate_sameModel_sameTrace() {
    Trace a = TraceGenerator.generate(SMALL);
    Trace b = TraceGenerator.generate(SMALL);
    assertThat(a.length()).isEqualTo(b.length()).isGreaterThan(2_000);
    for (int i = 0; i < a.length(); i++) {
      assertThat(a.objectAt(i)).isEqualTo(b.objectAt(i));
    }
    assertThat(a.catalogBytes()).isEqualTo(b.catalogBytes());
  }

  @Test
  void generate_sizesWithinThirtyPercentOfTheRenditionsNominalSize() {
    Trace t = TraceGenerator.generate(SMALL);
    for (int o = 0; o < t.objects(); o++) {
      int nominal = TraceGenerator.NOMINAL_BYTES[t.renditionOf(o)];
      assertThat(t.sizeOf(o)).isBetween((int) (nominal * 0.7), (int) Math.ceil(nominal * 1.3));
    }
    assertThat(t.footprintBytes()).isLessThan(t.catalogBytes());
  }

  @Test
  void generate_sessionsStartAtSegmentZeroAndMostStopEarly() {
    Trace t = TraceGenerator.generate(SMALL);
    long firstSegments = 0;
    for (int i = 0; i < t.length(); i++) {
      if (t.segmentOf(t.objectAt(i)) == 0) {
        firstSegments++;
      }
    }
    // Every session requests its segment 0 once (a rendition switch never happens before it).
    assertThat(firstSegments).isEqualTo(SMALL.sessions());
    // Partial viewing: far fewer requests than if every session watched its whole video.
    assertThat(t.countFrom()).isPositive().isLessThan(t.length());
  }

  @Test
  void generate_alphaChangesPopularityNotTheCatalog() {
    Trace flat = TraceGenerator.generate(new TraceModel(300, 2_000, 0.6, 2, 0.5, 42));
    Trace skewed = TraceGenerator.generate(new TraceModel(300, 2_000, 1.0, 2, 0.5, 42));
    assertThat(flat.catalogBytes()).isEqualTo(skewed.catalogBytes());
    // More skew, fewer distinct segments for the same sessions.
    assertThat(skewed.objects()).isLessThan(flat.objects());
  }
}
