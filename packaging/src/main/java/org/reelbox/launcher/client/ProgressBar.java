package org.reelbox.launcher.client;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A one-line progress bar: percent, speed, time left. Redraws at most five times a second. */
public final class ProgressBar {
  private final PrintWriter out;
  private final long total;
  private final Clock clock;
  private final long startMs;
  private final AtomicLong sent = new AtomicLong();
  private volatile long lastDrawMs;

  public ProgressBar(PrintWriter out, long total, Clock clock) {
    this.out = out;
    this.total = Math.max(1, total);
    this.clock = clock;
    this.startMs = clock.millis();
  }

  /** Counts {@code n} more bytes sent. Thread-safe. */
  public void add(long n) {
    long now = sent.addAndGet(n);
    long t = clock.millis();
    if (t - lastDrawMs >= 200 || now >= total) {
      lastDrawMs = t;
      draw(Math.min(now, total), t);
    }
  }

  /** Draws the final state and ends the line. */
  public synchronized void finish() {
    draw(Math.min(sent.get(), total), clock.millis());
    out.println();
    out.flush();
  }

  static String render(long sentBytes, long totalBytes, long elapsedMs) {
    double fraction = (double) sentBytes / totalBytes;
    int width = 30;
    int filled = (int) Math.round(fraction * width);
    double seconds = Math.max(elapsedMs, 1) / 1000.0;
    double bps = sentBytes / seconds;
    long etaSeconds = bps > 0 ? (long) ((totalBytes - sentBytes) / bps) : -1;
    String eta =
        etaSeconds < 0 ? "--:--" : String.format("%02d:%02d", etaSeconds / 60, etaSeconds % 60);
    return String.format(
        "[%s%s] %5.1f%%  %7.1f MB/s  ETA %s  (%.1f / %.1f MB)",
        "#".repeat(filled),
        " ".repeat(width - filled),
        fraction * 100,
        bps / 1e6,
        eta,
        sentBytes / 1e6,
        totalBytes / 1e6);
  }

  private synchronized void draw(long now, long t) {
    out.print("\r" + render(now, total, t - startMs));
    out.flush();
  }
}
