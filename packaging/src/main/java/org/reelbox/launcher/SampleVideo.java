package org.reelbox.launcher;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.jcodec.api.awt.AWTSequenceEncoder;

/**
 * The demo's sample video, made in pure Java with jcodec (H.264 in MP4), so that {@code reelbox
 * demo} needs no ffmpeg and no video file in the repository: a moving box over a colour sweep and a
 * frame counter, {@code seconds} long at 25 fps.
 */
final class SampleVideo {
  static final int WIDTH = 640;
  static final int HEIGHT = 360;
  static final int FPS = 25;

  private SampleVideo() {}

  static void write(Path file, int seconds) throws IOException {
    System.setProperty("java.awt.headless", "true");
    AWTSequenceEncoder encoder = AWTSequenceEncoder.createSequenceEncoder(file.toFile(), FPS);
    BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = frame.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 36));
    int frames = seconds * FPS;
    boolean text = true;
    for (int i = 0; i < frames; i++) {
      float t = (float) i / frames;
      g.setColor(Color.getHSBColor(t, 0.6f, 0.9f));
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.WHITE);
      int x = (int) ((WIDTH - 80) * Math.abs(Math.sin(Math.PI * 2 * t)));
      g.fillRect(x, HEIGHT / 2 - 40, 80, 80);
      g.setColor(Color.BLACK);
      if (text) {
        try {
          g.drawString("reelbox demo  " + (i / FPS) + "." + (i % FPS * 4 / 10) + " s", 24, 48);
        } catch (RuntimeException | LinkageError noFonts) {
          // A headless JDK without fontconfig fonts cannot draw text: draw the frames without it.
          text = false;
        }
      }
      encoder.encodeImage(frame);
    }
    g.dispose();
    encoder.finish();
  }
}
