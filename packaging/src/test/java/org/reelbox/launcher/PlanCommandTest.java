package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.reelbox.common.json.Json;
import picocli.CommandLine;

/** {@code reelbox plan}: the book's figures from the defaults, the arithmetic, bad options. */
class PlanCommandTest {
  private record Run(int exit, String out, String err) {}

  private static Run plan(String... args) {
    CommandLine cli = Reelbox.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "plan";
    System.arraycopy(args, 0, all, 1, args.length);
    return new Run(cli.execute(all), out.toString(), err.toString());
  }

  private static JsonNode json(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--json";
    Run run = plan(all);
    assertThat(run.exit()).as(run.err()).isZero();
    return Json.mapper().readTree(run.out()).get("results");
  }

  @Test
  void plan_defaults_theBooksFigures() throws Exception {
    JsonNode r = json();
    // 5M x 10% x 300 MB = 150 TB; 5M x 5 x 0.3 GB x $0.02 = $150,000.
    assertThat(r.get("newOriginalsTbPerDay").decimalValue()).isEqualByComparingTo("150");
    assertThat(r.get("cdnUsdPerDay").decimalValue()).isEqualByComparingTo("150000");
    assertThat(r.get("uploadsPerDay").decimalValue()).isEqualByComparingTo("500000");
    assertThat(r.get("viewsPerDay").decimalValue()).isEqualByComparingTo("25000000");
    assertThat(r.get("egressPbPerDay").decimalValue()).isEqualByComparingTo("7.5");
  }

  @Test
  void plan_defaults_capacityFromTheMeasuredFigures() throws Exception {
    JsonNode r = json();
    // 7.5 PB a day = 694.4 Gbit/s average, x2 at peak = 1388.9.
    assertThat(r.get("averageEgressGbps").decimalValue()).isEqualByComparingTo("694.4");
    assertThat(r.get("peakEgressGbps").decimalValue()).isEqualByComparingTo("1388.9");
    // 900 hits/s x 1 MiB x 8 = 7.55 Gbit/s a core; 8 cores exceed the 10 Gbit/s link.
    assertThat(r.get("edgeGbpsPerCore").decimalValue()).isEqualByComparingTo("7.55");
    assertThat(r.get("edgeBoxGbps").decimalValue()).isEqualByComparingTo("10");
    // 1388.9 / (10 x 0.7) = 198.4 -> 199 boxes.
    assertThat(r.get("edgeBoxes").asLong()).isEqualTo(199);
    // 10% misses: 138.9 Gbit/s; 16 cores x 226 x 1 MiB x 8 = 30.3 > 25 Gbit/s link; /(25 x 0.7).
    assertThat(r.get("originPeakGbps").decimalValue()).isEqualByComparingTo("138.9");
    assertThat(r.get("originNodes").asLong()).isEqualTo(8);
    // 500k uploads x 300 s (300 MB at 8 Mbit/s) x 2.72 CPU s / 86400 s = 4722.2 cores; /(16 x 0.7).
    assertThat(r.get("encoderCoresBusy").decimalValue()).isEqualByComparingTo("4722.2");
    assertThat(r.get("encoderNodes").asLong()).isEqualTo(422);
    // 500k x 300 s x 5.728 Mbit/s / 8 = 107.4 TB of renditions.
    assertThat(r.get("newTranscodedTbPerDay").decimalValue()).isEqualByComparingTo("107.4");
  }

  @Test
  void plan_options_changeTheFigures() throws Exception {
    JsonNode r =
        json(
            "--dau",
            "1000",
            "--views-per-user",
            "2",
            "--upload-ratio",
            "0.5",
            "--avg-size-mb",
            "100",
            "--cdn-price-per-gb",
            "0.05");
    assertThat(r.get("newOriginalsTbPerDay").decimalValue()).isEqualByComparingTo("0.05");
    // 2000 views x 0.1 GB x $0.05.
    assertThat(r.get("cdnUsdPerDay").decimalValue()).isEqualByComparingTo("10");
    assertThat(r.get("edgeBoxes").asLong()).isEqualTo(1);
    JsonNode none = json("--dau", "0");
    assertThat(none.get("edgeBoxes").asLong()).isZero();
    assertThat(none.get("encoderNodes").asLong()).isZero();
  }

  @Test
  void plan_table_showsFiguresAndSources() {
    Run run = plan();
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("new originals a day")
        .containsPattern("new originals a day +150 TB")
        .containsPattern("on a rented CDN +150,000 US\\$ a day")
        .containsPattern("edge boxes +199")
        .contains("docs/edge-cache.md hit benchmark")
        .contains("System Design Interview, Design YouTube");
  }

  @Test
  void plan_badOptions_exit2WithTheOptionNamed() {
    String[][] bad = {
      {"--dau", "-1"},
      {"--upload-ratio", "1.5"},
      {"--target-utilization", "0"},
      {"--peak-factor", "0.5"},
      {"--edge-cores", "0"},
      {"--dau", "many"},
      {"--no-such-option"},
    };
    for (String[] args : bad) {
      Run run = plan(args);
      assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err()).as(String.join(" ", args)).contains(args[0]);
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void plan_help_listsEveryOptionWithItsDefault() {
    Run run = plan("--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("--dau", "5000000", "--avg-size-mb", "--edge-req-per-core", "900", "--json");
  }
}
