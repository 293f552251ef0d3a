package org.reelbox.launcher;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The capacity estimate of {@code reelbox plan} (docs/capacity.md): System Design Interview's
 * back-of-the-envelope numbers for "Design YouTube", made a calculation over figures measured on
 * reelbox itself. Pure arithmetic, in decimal so that the book's round figures come out exact: MB,
 * GB and TB are 10^6, 10^9 and 10^12 bytes (as storage and CDN bills count), a MiB 2^20.
 *
 * <p>Volumes are per day; capacity is sized for the peak rate ({@code peakFactor} × the day's
 * average) at {@code targetUtilization} of each machine, and rounded up to whole machines. Every
 * viewer byte leaves through an edge box (routing sends viewers to a healthy box of their region);
 * the origin sends the boxes their misses, {@code 1 − edgeByteHitRatio} of it.
 */
record CapacityPlan(Inputs in) {
  private static final MathContext MC = MathContext.DECIMAL64;
  private static final BigDecimal MB = BigDecimal.valueOf(1_000_000L);
  private static final BigDecimal GB = BigDecimal.valueOf(1_000_000_000L);
  private static final BigDecimal TB = BigDecimal.valueOf(1_000_000_000_000L);
  private static final BigDecimal MIB = BigDecimal.valueOf(1L << 20);
  private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);
  private static final BigDecimal BITS = BigDecimal.valueOf(8);
  private static final BigDecimal GIGA = BigDecimal.valueOf(1_000_000_000L);

  /** The options of {@code reelbox plan}; validated by the command before they get here. */
  record Inputs(
      BigDecimal dau,
      BigDecimal viewsPerUser,
      BigDecimal uploadRatio,
      BigDecimal uploadsPerUploader,
      BigDecimal avgSizeMb,
      BigDecimal cdnPricePerGb,
      BigDecimal peakFactor,
      BigDecimal targetUtilization,
      BigDecimal edgeByteHitRatio,
      BigDecimal edgeReqPerCore,
      BigDecimal edgeObjectMib,
      BigDecimal edgeCores,
      BigDecimal edgeNicGbps,
      BigDecimal originReqPerCore,
      BigDecimal originCores,
      BigDecimal originNicGbps,
      BigDecimal sourceMbps,
      BigDecimal ladderMbps,
      BigDecimal encodeCpuSecondsPerVideoSecond,
      BigDecimal encoderCores) {
    Inputs {
      // List.of refuses nulls: every figure must be given (the command's defaults see to it).
      List.of(
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
  }

  CapacityPlan {
    requireNonNull(in, "in");
  }

  BigDecimal uploadsPerDay() {
    return in.dau().multiply(in.uploadRatio()).multiply(in.uploadsPerUploader());
  }

  /** Originals kept byte for byte (the book's "150 TB a day"). */
  BigDecimal newOriginalsTbPerDay() {
    return uploadsPerDay().multiply(in.avgSizeMb()).multiply(MB).divide(TB, MC);
  }

  /** Seconds of video uploaded a day: each upload's bytes at the source bitrate. */
  BigDecimal videoSecondsPerDay() {
    BigDecimal secondsPerUpload =
        in.avgSizeMb().multiply(MB).multiply(BITS).divide(in.sourceMbps().multiply(MB), MC);
    return uploadsPerDay().multiply(secondsPerUpload);
  }

  /** The HLS ladder written for them. */
  BigDecimal newTranscodedTbPerDay() {
    return videoSecondsPerDay()
        .multiply(in.ladderMbps())
        .multiply(MB)
        .divide(BITS, MC)
        .divide(TB, MC);
  }

  BigDecimal viewsPerDay() {
    return in.dau().multiply(in.viewsPerUser());
  }

  /** Bytes to viewers, a whole average video per view, as the book counts. */
  BigDecimal egressGbPerDay() {
    return viewsPerDay().multiply(in.avgSizeMb()).multiply(MB).divide(GB, MC);
  }

  BigDecimal egressPbPerDay() {
    return egressGbPerDay().divide(BigDecimal.valueOf(1_000_000L), MC);
  }

  /** The book's "$150,000 a day". */
  BigDecimal cdnUsdPerDay() {
    return egressGbPerDay().multiply(in.cdnPricePerGb());
  }

  BigDecimal averageEgressGbps() {
    return egressGbPerDay()
        .multiply(GB)
        .multiply(BITS)
        .divide(SECONDS_PER_DAY, MC)
        .divide(GIGA, MC);
  }

  BigDecimal peakEgressGbps() {
    return averageEgressGbps().multiply(in.peakFactor());
  }

  BigDecimal originPeakGbps() {
    return peakEgressGbps().multiply(BigDecimal.ONE.subtract(in.edgeByteHitRatio()));
  }

  /** Origin bytes a day (to the boxes, for their misses). */
  BigDecimal originEgressTbPerDay() {
    return egressGbPerDay()
        .multiply(BigDecimal.ONE.subtract(in.edgeByteHitRatio()))
        .multiply(GB)
        .divide(TB, MC);
  }

  /** What one core serves of cache hits: measured requests/s × the measured object size. */
  BigDecimal edgeGbpsPerCore() {
    return gbps(in.edgeReqPerCore(), in.edgeObjectMib());
  }

  /** A box is bound by its cores or its network link, whichever is less. */
  BigDecimal edgeBoxGbps() {
    return in.edgeCores().multiply(edgeGbpsPerCore()).min(in.edgeNicGbps());
  }

  BigDecimal originGbpsPerCore() {
    return gbps(in.originReqPerCore(), in.edgeObjectMib());
  }

  BigDecimal originNodeGbps() {
    return in.originCores().multiply(originGbpsPerCore()).min(in.originNicGbps());
  }

  long edgeBoxes() {
    return machines(peakEgressGbps(), edgeBoxGbps());
  }

  long originNodes() {
    return machines(originPeakGbps(), originNodeGbps());
  }

  /** Cores busy encoding, averaged over the day: uploads queue, so encoders need no peak. */
  BigDecimal encoderCoresBusy() {
    return videoSecondsPerDay()
        .multiply(in.encodeCpuSecondsPerVideoSecond())
        .divide(SECONDS_PER_DAY, MC);
  }

  long encoderNodes() {
    return machines(encoderCoresBusy(), in.encoderCores());
  }

  private long machines(BigDecimal load, BigDecimal perMachine) {
    BigDecimal usable = perMachine.multiply(in.targetUtilization());
    if (load.signum() == 0) {
      return 0;
    }
    return load.divide(usable, MC).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  private static BigDecimal gbps(BigDecimal requestsPerSecond, BigDecimal objectMib) {
    return requestsPerSecond.multiply(objectMib).multiply(MIB).multiply(BITS).divide(GIGA, MC);
  }

  /** The results by name, in the order printed; numbers rounded for people, not for the math. */
  Map<String, Object> results() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("uploadsPerDay", plain(uploadsPerDay(), 0));
    r.put("newOriginalsTbPerDay", plain(newOriginalsTbPerDay(), 3));
    r.put("newTranscodedTbPerDay", plain(newTranscodedTbPerDay(), 3));
    r.put(
        "videoHoursUploadedPerDay",
        plain(videoSecondsPerDay().divide(BigDecimal.valueOf(3600), MC), 1));
    r.put("viewsPerDay", plain(viewsPerDay(), 0));
    r.put("egressPbPerDay", plain(egressPbPerDay(), 3));
    r.put("cdnUsdPerDay", plain(cdnUsdPerDay(), 2));
    r.put("averageEgressGbps", plain(averageEgressGbps(), 1));
    r.put("peakEgressGbps", plain(peakEgressGbps(), 1));
    r.put("edgeGbpsPerCore", plain(edgeGbpsPerCore(), 2));
    r.put("edgeBoxGbps", plain(edgeBoxGbps(), 2));
    r.put("edgeBoxes", edgeBoxes());
    r.put("originEgressTbPerDay", plain(originEgressTbPerDay(), 3));
    r.put("originPeakGbps", plain(originPeakGbps(), 1));
    r.put("originNodeGbps", plain(originNodeGbps(), 2));
    r.put("originNodes", originNodes());
    r.put("encoderCoresBusy", plain(encoderCoresBusy(), 1));
    r.put("encoderNodes", encoderNodes());
    return r;
  }

  /** Rounded to {@code scale} decimals, trailing zeros dropped, never in exponent notation. */
  private static BigDecimal plain(BigDecimal value, int scale) {
    BigDecimal v = value.setScale(scale, RoundingMode.HALF_UP).stripTrailingZeros();
    return v.scale() < 0 ? v.setScale(0) : v;
  }
}
