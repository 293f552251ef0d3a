package org.reelbox.launcher;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reelbox.common.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code reelbox plan}: the capacity planner (docs/capacity.md). Every figure is an option; each
 * default is the book's number or one measured on reelbox, and the output names where each came
 * from. A bad option exits 2 with one line naming it.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Estimates storage, egress, CDN cost, edge boxes, origin and encoder nodes for a load.",
      "Defaults: System Design Interview's 'Design YouTube' load, and per-machine figures",
      "measured on reelbox (docs/capacity.md names the source of each).",
    })
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  // ---- the load (the book's numbers)

  @Option(
      names = "--dau",
      defaultValue = "5000000",
      description = "Daily active users (book: ${DEFAULT-VALUE}).")
  BigDecimal dau;

  @Option(
      names = "--views-per-user",
      defaultValue = "5",
      description = "Videos watched per user a day (book: ${DEFAULT-VALUE}).")
  BigDecimal viewsPerUser;

  @Option(
      names = "--upload-ratio",
      defaultValue = "0.1",
      description = "Share of users who upload, 0-1 (book: ${DEFAULT-VALUE}).")
  BigDecimal uploadRatio;

  @Option(
      names = "--uploads-per-uploader",
      defaultValue = "1",
      description = "Videos a day per uploading user (book: ${DEFAULT-VALUE}).")
  BigDecimal uploadsPerUploader;

  @Option(
      names = "--avg-size-mb",
      defaultValue = "300",
      description = "Average video size, MB = 10^6 bytes (book: ${DEFAULT-VALUE}).")
  BigDecimal avgSizeMb;

  @Option(
      names = "--cdn-price-per-gb",
      defaultValue = "0.02",
      description = "CDN price, US\\$ per GB = 10^9 bytes (book: ${DEFAULT-VALUE}).")
  BigDecimal cdnPricePerGb;

  // ---- assumptions the book does not give

  @Option(
      names = "--peak-factor",
      defaultValue = "2",
      description = "Peak egress / the day's average, >= 1 (assumption: ${DEFAULT-VALUE}).")
  BigDecimal peakFactor;

  @Option(
      names = "--target-utilization",
      defaultValue = "0.7",
      description = "Share of a machine planned for, (0,1] (assumption: ${DEFAULT-VALUE}).")
  BigDecimal targetUtilization;

  @Option(
      names = "--edge-byte-hit-ratio",
      defaultValue = "0.9",
      description = "Bytes the boxes serve from their cache, 0-1 (assumption: ${DEFAULT-VALUE}).")
  BigDecimal edgeByteHitRatio;

  // ---- per-machine figures (measured on reelbox, see docs/capacity.md)

  @Option(
      names = "--edge-req-per-core",
      defaultValue = "900",
      description =
          "Edge cache hits/s per core of --edge-object-mib objects (docs/edge-cache.md: ${DEFAULT-VALUE}).")
  BigDecimal edgeReqPerCore;

  @Option(
      names = "--edge-object-mib",
      defaultValue = "1",
      description = "Object size of the hit benchmark, MiB (docs/edge-cache.md: ${DEFAULT-VALUE}).")
  BigDecimal edgeObjectMib;

  @Option(
      names = "--edge-cores",
      defaultValue = "8",
      description = "Cores of an edge box (assumption: ${DEFAULT-VALUE}).")
  BigDecimal edgeCores;

  @Option(
      names = "--edge-nic-gbps",
      defaultValue = "10",
      description = "Network link of an edge box, Gbit/s (assumption: ${DEFAULT-VALUE}).")
  BigDecimal edgeNicGbps;

  @Option(
      names = "--origin-req-per-core",
      defaultValue = "226",
      description = "Origin segment requests/s per core (docs/edge-cache.md: ${DEFAULT-VALUE}).")
  BigDecimal originReqPerCore;

  @Option(
      names = "--origin-cores",
      defaultValue = "16",
      description = "Cores of an origin node (assumption: ${DEFAULT-VALUE}).")
  BigDecimal originCores;

  @Option(
      names = "--origin-nic-gbps",
      defaultValue = "25",
      description = "Network link of an origin node, Gbit/s (assumption: ${DEFAULT-VALUE}).")
  BigDecimal originNicGbps;

  @Option(
      names = "--source-mbps",
      defaultValue = "8",
      description =
          "Bitrate of an upload, Mbit/s: gives its duration (docs/transcoding.md benchmark source: ${DEFAULT-VALUE}).")
  BigDecimal sourceMbps;

  @Option(
      names = "--ladder-mbps",
      defaultValue = "5.728",
      description =
          "Bitrate of the whole HLS ladder, Mbit/s (conf/pipelines/default.yaml, 720p source: ${DEFAULT-VALUE}).")
  BigDecimal ladderMbps;

  @Option(
      names = "--encode-cpu-s-per-video-s",
      defaultValue = "2.72",
      description =
          "CPU seconds to transcode one second of video (docs/transcoding.md: ${DEFAULT-VALUE}).")
  BigDecimal encodeCpuSecondsPerVideoSecond;

  @Option(
      names = "--encoder-cores",
      defaultValue = "16",
      description = "Cores of an encoder node (assumption: ${DEFAULT-VALUE}).")
  BigDecimal encoderCores;

  @Option(names = "--json", description = "Print JSON (inputs and results) instead of tables.")
  boolean json;

  /** Where each default comes from, printed beside the inputs. */
  private static final Map<String, String> SOURCES = sources();

  private static Map<String, String> sources() {
    String book = "System Design Interview, Design YouTube";
    String edgeBench =
        "docs/edge-cache.md hit benchmark: 897-912 req/s of 1 MiB on one core, loaded 2-core box";
    Map<String, String> s = new LinkedHashMap<>();
    s.put("dau", book);
    s.put("viewsPerUser", book);
    s.put("uploadRatio", book);
    s.put("uploadsPerUploader", book);
    s.put("avgSizeMb", book);
    s.put("cdnPricePerGb", book);
    s.put("peakFactor", "assumption (the book gives none)");
    s.put("targetUtilization", "assumption: headroom for failures and bursts");
    s.put("edgeByteHitRatio", "assumption (a target; see docs/capacity.md)");
    s.put("edgeReqPerCore", edgeBench);
    s.put("edgeObjectMib", edgeBench);
    s.put("edgeCores", "assumption");
    s.put("edgeNicGbps", "assumption");
    s.put(
        "originReqPerCore",
        "docs/edge-cache.md harness check: origin 226 req/s of 1 MiB on one core, load 11");
    s.put("originCores", "assumption");
    s.put("originNicGbps", "assumption");
    s.put("sourceMbps", "docs/transcoding.md benchmark source (720p30, 8 Mbit/s)");
    s.put("ladderMbps", "conf/pipelines/default.yaml: 720p+480p+360p+240p video + 128k audio");
    s.put(
        "encodeCpuSecondsPerVideoSecond",
        "docs/transcoding.md: 163 CPU s for 60 s of 720p to 3 rungs");
    s.put("encoderCores", "assumption");
    return s;
  }

  @Override
  public Integer call() {
    Map<String, BigDecimal> inputs = inputs();
    validate(inputs);
    CapacityPlan plan = new CapacityPlan(toInputs());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("inputs", inputs);
      body.put("sources", SOURCES);
      body.put("results", plan.results());
      out.println(Json.write(body));
    } else {
      print(out, inputs, plan.results());
    }
    out.flush();
    return 0;
  }

  private Map<String, BigDecimal> inputs() {
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    m.put("dau", dau);
    m.put("viewsPerUser", viewsPerUser);
    m.put("uploadRatio", uploadRatio);
    m.put("uploadsPerUploader", uploadsPerUploader);
    m.put("avgSizeMb", avgSizeMb);
    m.put("cdnPricePerGb", cdnPricePerGb);
    m.put("peakFactor", peakFactor);
    m.put("targetUtilization", targetUtilization);
    m.put("edgeByteHitRatio", edgeByteHitRatio);
    m.put("edgeReqPerCore", edgeReqPerCore);
    m.put("edgeObjectMib", edgeObjectMib);
    m.put("edgeCores", edgeCores);
    m.put("edgeNicGbps", edgeNicGbps);
    m.put("originReqPerCore", originReqPerCore);
    m.put("originCores", originCores);
    m.put("originNicGbps", originNicGbps);
    m.put("sourceMbps", sourceMbps);
    m.put("ladderMbps", ladderMbps);
    m.put("encodeCpuSecondsPerVideoSecond", encodeCpuSecondsPerVideoSecond);
    m.put("encoderCores", encoderCores);
    return m;
  }

  private CapacityPlan.Inputs toInputs() {
    return new CapacityPlan.Inputs(
        dau,
        viewsPerUser,
        uploadRatio,
        uploadsPerUploader,
        avgSizeMb,
        cdnPricePerGb,
        peakFactor,
        targetUtilization,
        edgeByteHitRatio,
        edgeReqPerCore,
        edgeObjectMib,
        edgeCores,
        edgeNicGbps,
        originReqPerCore,
        originCores,
        originNicGbps,
        sourceMbps,
        ladderMbps,
        encodeCpuSecondsPerVideoSecond,
        encoderCores);
  }

  /** Every rule an option breaks, as one usage error (exit 2). */
  private void validate(Map<String, BigDecimal> in) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, BigDecimal> e : in.entrySet()) {
      BigDecimal v = e.getValue();
      String name = e.getKey();
      boolean ok =
          switch (name) {
            // Zero is a load; every machine figure below must be positive.
            case "dau", "viewsPerUser", "uploadsPerUploader", "cdnPricePerGb" -> v.signum() >= 0;
            case "uploadRatio", "edgeByteHitRatio" ->
                v.signum() >= 0 && v.compareTo(BigDecimal.ONE) <= 0;
            case "targetUtilization" -> v.signum() > 0 && v.compareTo(BigDecimal.ONE) <= 0;
            case "peakFactor" -> v.compareTo(BigDecimal.ONE) >= 0;
            default -> v.signum() > 0;
          };
      if (!ok) {
        problems.add("--" + kebab(name) + " " + rule(name) + ", got " + v.toPlainString());
      }
    }
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }

  private static String rule(String name) {
    return switch (name) {
      case "dau", "viewsPerUser", "uploadsPerUploader", "cdnPricePerGb" -> "must be >= 0";
      case "uploadRatio", "edgeByteHitRatio" -> "must be between 0 and 1";
      case "targetUtilization" -> "must be above 0 and at most 1";
      case "peakFactor" -> "must be >= 1";
      default -> "must be > 0";
    };
  }

  static String kebab(String camel) {
    if (camel.equals("encodeCpuSecondsPerVideoSecond")) {
      return "encode-cpu-s-per-video-s";
    }
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static void print(PrintWriter out, Map<String, BigDecimal> in, Map<String, Object> r) {
    out.println("Capacity plan (docs/capacity.md)");
    out.println();
    out.println("Inputs");
    for (Map.Entry<String, BigDecimal> e : in.entrySet()) {
      out.printf(
          "  --%-27s %12s   %s%n",
          kebab(e.getKey()), e.getValue().toPlainString(), SOURCES.get(e.getKey()));
    }
    out.println();
    out.println("Storage");
    row(out, "uploads a day", r.get("uploadsPerDay"), "");
    row(out, "new originals a day", r.get("newOriginalsTbPerDay"), "TB");
    row(out, "video uploaded a day", r.get("videoHoursUploadedPerDay"), "hours");
    row(out, "new HLS renditions a day", r.get("newTranscodedTbPerDay"), "TB");
    out.println("Egress");
    row(out, "views a day", r.get("viewsPerDay"), "");
    row(out, "egress to viewers a day", r.get("egressPbPerDay"), "PB");
    row(out, "on a rented CDN", r.get("cdnUsdPerDay"), "US$ a day");
    row(out, "average egress", r.get("averageEgressGbps"), "Gbit/s");
    row(out, "peak egress", r.get("peakEgressGbps"), "Gbit/s");
    out.println("Edge boxes");
    row(out, "hits per core", r.get("edgeGbpsPerCore"), "Gbit/s");
    row(out, "per box", r.get("edgeBoxGbps"), "Gbit/s");
    row(out, "edge boxes", r.get("edgeBoxes"), "");
    out.println("Origin");
    row(out, "origin to boxes a day", r.get("originEgressTbPerDay"), "TB");
    row(out, "origin peak", r.get("originPeakGbps"), "Gbit/s");
    row(out, "per node", r.get("originNodeGbps"), "Gbit/s");
    row(out, "origin nodes", r.get("originNodes"), "");
    out.println("Encoders");
    row(out, "cores busy (day average)", r.get("encoderCoresBusy"), "");
    row(out, "encoder nodes", r.get("encoderNodes"), "");
  }

  private static void row(PrintWriter out, String label, Object value, String unit) {
    String v =
        value instanceof BigDecimal b
            ? String.format("%,.3f", b).replaceAll("\\.?0+$", "")
            : String.format("%,d", (Long) value);
    out.printf("  %-28s %16s %s%n", label, v, unit);
  }
}
