package org.reelbox.control.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reelbox.common.testing.MutableClock;
import org.reelbox.control.cost.TrafficLedger.Day;
import org.reelbox.control.cost.TrafficLedger.Source;

/**
 * The traffic ledger on a real database (H2 and PostgreSQL subclasses) with a manual clock: deltas,
 * restarts and UTC days.
 */
abstract class TrafficLedgerContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T23:59:00Z"));
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private DataSource dataSource;
  private TrafficLedger ledger;

  /** A freshly migrated, empty database. */
  protected abstract DataSource dataSource() throws Exception;

  protected abstract void release() throws Exception;

  @BeforeEach
  void open() throws Exception {
    dataSource = dataSource();
    ledger = new TrafficLedger(dataSource, clock, metrics);
  }

  @AfterEach
  void close() throws Exception {
    release();
  }

  @Test
  void report_deltasRestartsAndMidnight_figuresEqualTheBytesCounted() {
    long day1Edge = 0;
    long day2Edge = 0;
    long day2Origin = 0;
    // Box a: first report counts whole, then only what is new.
    assertThat(ledger.report(Source.EDGE, "box-a", 1_000, 3)).isEqualTo(1_000);
    day1Edge += 1_000;
    assertThat(ledger.report(Source.EDGE, "box-a", 1_500, 4)).isEqualTo(500);
    day1Edge += 500;
    // The same counters again add nothing (a retried heartbeat).
    assertThat(ledger.report(Source.EDGE, "box-b", 7_000, 1)).isEqualTo(7_000);
    assertThat(ledger.report(Source.EDGE, "box-b", 7_000, 1)).isEqualTo(0);
    day1Edge += 7_000;

    clock.advance(Duration.ofMinutes(2)); // 2026-03-02, UTC
    // Box a restarted: its byte counter went down, so all 200 bytes are new.
    assertThat(ledger.report(Source.EDGE, "box-a", 200, 1)).isEqualTo(200);
    day2Edge += 200;
    // Box b restarted and already served more bytes than before: the request counter tells.
    assertThat(ledger.report(Source.EDGE, "box-b", 9_000, 0)).isEqualTo(9_000);
    day2Edge += 9_000;
    assertThat(ledger.report(Source.EDGE, "box-a", 260, 2)).isEqualTo(60);
    day2Edge += 60;
    // An origin and an edge with the same id are different sources.
    assertThat(ledger.report(Source.ORIGIN, "box-a", 4_321, 9)).isEqualTo(4_321);
    assertThat(ledger.report(Source.ORIGIN, "box-a", 5_000, 10)).isEqualTo(679);
    day2Origin += 5_000;

    List<Day> days = ledger.lastDays(3);
    assertThat(days)
        .containsExactly(
            new Day(LocalDate.parse("2026-02-28"), 0, 0),
            new Day(LocalDate.parse("2026-03-01"), day1Edge, 0),
            new Day(LocalDate.parse("2026-03-02"), day2Edge, day2Origin));
    assertThat(metrics.get("reelbox.traffic.bytes").tag("source", "edge").counter().count())
        .isEqualTo((double) (day1Edge + day2Edge));
    assertThat(metrics.get("reelbox.traffic.bytes").tag("source", "origin").counter().count())
        .isEqualTo((double) day2Origin);
  }

  @Test
  void report_survivesANewLedgerOnTheSameDatabase() {
    ledger.report(Source.EDGE, "box-a", 1_000, 3);
    TrafficLedger restarted = new TrafficLedger(dataSource, clock, new SimpleMeterRegistry());
    assertThat(restarted.report(Source.EDGE, "box-a", 1_250, 4)).isEqualTo(250);
    assertThat(restarted.lastDays(1))
        .containsExactly(new Day(LocalDate.parse("2026-03-01"), 1_250, 0));
  }

  @Test
  void report_negativeCounter_rejectedAndNothingBooked() {
    assertThatThrownBy(() -> ledger.report(Source.EDGE, "box-a", -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ledger.lastDays(1)).containsExactly(new Day(LocalDate.parse("2026-03-01"), 0, 0));
    assertThatThrownBy(() -> ledger.lastDays(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pricing_bookFigures_exact() {
    CostPricing pricing = new CostPricing(new BigDecimal("0.02"));
    Day day = new Day(LocalDate.parse("2026-03-01"), 3_000_000_000L, 1_000_000_000L);
    assertThat(pricing.cdnEquivalentUsd(day)).isEqualByComparingTo("0.08");
    assertThat(pricing.savingUsd(day)).isEqualByComparingTo("0.06");
    // The book: 5M users x 5 views x 0.3 GB at $0.02 = $150,000 a day.
    assertThat(pricing.usd(5_000_000L * 5 * 300_000_000L)).isEqualByComparingTo("150000");
    assertThat(pricing.usd(1)).isEqualByComparingTo("0.000000");
  }
}
