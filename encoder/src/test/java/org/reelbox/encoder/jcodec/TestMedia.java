package org.reelbox.encoder.jcodec;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.reelbox.common.work.FailureCode;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;

/** Inputs made in the test: small H.264 MP4s from jcodec, richer ones from ffmpeg when present. */
final class TestMedia {
  static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
  static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

  private TestMedia() {}

  static boolean hasFfmpeg() {
    return Files.isExecutable(FFMPEG) && Files.isExecutable(FFPROBE);
  }

  /** A jcodec H.264 MP4: a moving box over a colour sweep, IDR every 25 frames (1 s). */
  static void jcodecMp4(Path file, int width, int height, int fps, int frames) throws IOException {
    System.setProperty("java.awt.headless", "true");
    AWTSequenceEncoder encoder = AWTSequenceEncoder.createSequenceEncoder(file.toFile(), fps);
    BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = frame.createGraphics();
    for (int i = 0; i < frames; i++) {
      float t = (float) i / frames;
      g.setColor(Color.getHSBColor(t, 0.6f, 0.9f));
      g.fillRect(0, 0, width, height);
      g.setColor(Color.WHITE);
      int box = Math.max(4, height / 4);
      int x = (int) ((width - box) * Math.abs(Math.sin(Math.PI * 2 * t)));
      g.fillRect(x, height / 2 - box / 2, box, box);
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, width / 3, height / 6);
      encoder.encodeImage(frame);
    }
    g.dispose();
    encoder.finish();
  }

  /** Runs ffmpeg (quietly) and fails on a non-zero exit. */
  static void ffmpeg(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of(FFMPEG.toString(), "-hide_banner", "-loglevel", "error", "-y"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ffmpeg failed: " + output);
    }
  }

  /** ffprobe's answer for the given entries, as {@code key=value} lines. */
  static String ffprobe(Path file, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(FFPROBE.toString(), "-v", "error"));
    cmd.addAll(List.of(args));
    cmd.add(file.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return output;
  }

  /** A task control that never stops, or one cancelled from the start. */
  static TaskControl control(boolean cancelled) {
    return new TaskControl() {
      @Override
      public Instant deadline() {
        return Instant.now().plusSeconds(600);
      }

      @Override
      public boolean isCancelled() {
        return cancelled;
      }

      @Override
      public void checkNotCancelled() throws TaskFailedException {
        if (cancelled) {
          throw new TaskFailedException(FailureCode.WORKER_SHUTDOWN, "cancelled");
        }
      }
    };
  }
}
