package org.reelbox.control.pipeline;

/**
 * A frame rate as an exact fraction, so that NTSC rates (30000/1001) survive halving and level
 * checks without rounding. Always stored reduced.
 *
 * @param numerator frames, 1 or more
 * @param denominator per this many seconds, 1 or more
 */
public record FrameRate(int numerator, int denominator) {
  /** The highest frame rate accepted. */
  public static final int MAX_FPS = 240;

  public FrameRate {
    if (numerator <= 0 || denominator <= 0) {
      throw new IllegalArgumentException(
          "frame rate must be positive, got " + numerator + "/" + denominator);
    }
    int g = gcd(numerator, denominator);
    numerator /= g;
    denominator /= g;
    if (numerator > (long) MAX_FPS * denominator) {
      throw new IllegalArgumentException(
          "frame rate must be at most " + MAX_FPS + " fps, got " + numerator + "/" + denominator);
    }
  }

  /** A whole number of frames per second. */
  public static FrameRate of(int fps) {
    return new FrameRate(fps, 1);
  }

  /** This rate divided by {@code n}: every n-th frame kept. */
  public FrameRate divide(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("divisor must be positive, got " + n);
    }
    return new FrameRate(numerator, Math.multiplyExact(denominator, n));
  }

  /** Frames per second as a double, for display and estimates only. */
  public double fps() {
    return (double) numerator / denominator;
  }

  /** "30" or "30000/1001". */
  @Override
  public String toString() {
    return denominator == 1 ? Integer.toString(numerator) : numerator + "/" + denominator;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
