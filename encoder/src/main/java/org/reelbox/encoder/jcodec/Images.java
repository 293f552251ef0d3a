package org.reelbox.encoder.jcodec;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.AWTUtil;

/** Picture conversions, scaling, overlays and the black-frame test of the jcodec backend. */
final class Images {
  private Images() {}

  /** A decoded picture (cropped to its display size) as a BGR image. */
  static BufferedImage toImage(Picture picture) {
    Picture p = picture.getCrop() == null ? picture : picture.cropped();
    return AWTUtil.toBufferedImage(p);
  }

  /**
   * Scales to exactly {@code width}×{@code height}. Downscaling by more than 2 halves the image
   * step by step with bilinear filtering first (each step averages 2×2 pixels), then does the last
   * step bilinear: close to an area filter's quality at a fraction of its cost.
   */
  static BufferedImage scale(BufferedImage src, int width, int height) {
    BufferedImage current = src;
    int w = src.getWidth();
    int h = src.getHeight();
    if (w == width && h == height) {
      return src;
    }
    while (w / 2 >= width && h / 2 >= height) {
      w /= 2;
      h /= 2;
      current = draw(current, w, h);
    }
    return draw(current, width, height);
  }

  private static BufferedImage draw(BufferedImage src, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** The size that fits {@code w}×{@code h} into a box, aspect kept, even sides, at least 2. */
  static int[] fit(int w, int h, int boxWidth, int boxHeight) {
    double s = Math.min((double) boxWidth / w, (double) boxHeight / h);
    int fw = Math.max(2, (int) Math.round(w * s / 2) * 2);
    int fh = Math.max(2, (int) Math.round(h * s / 2) * 2);
    return new int[] {Math.min(fw, boxWidth), Math.min(fh, boxHeight)};
  }

  /**
   * Draws a watermark onto a frame at a corner with a margin. A watermark wider than a quarter of
   * the frame is scaled down to that (aspect kept), so small renditions are not covered by it.
   */
  static void overlay(BufferedImage frame, BufferedImage mark, String position, int marginPx) {
    int mw = mark.getWidth();
    int mh = mark.getHeight();
    int maxWidth = Math.max(1, frame.getWidth() / 4);
    if (mw > maxWidth) {
      mh = Math.max(1, mh * maxWidth / mw);
      mw = maxWidth;
    }
    boolean right = position == null || position.endsWith("right");
    boolean bottom = position != null && position.startsWith("bottom");
    int x = right ? frame.getWidth() - mw - marginPx : marginPx;
    int y = bottom ? frame.getHeight() - mh - marginPx : marginPx;
    Graphics2D g = frame.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(mark, x, y, mw, mh, null);
    } finally {
      g.dispose();
    }
  }

  /**
   * Mean and standard deviation of a picture's luma (plane 0, 8-bit, offset by 128 as jcodec stores
   * it), sampled on a grid of at most about 64×64 points.
   */
  static double[] lumaStats(Picture p) {
    byte[] y = p.getPlaneData(0);
    int stride = p.getPlaneWidth(0);
    int w = p.getCroppedWidth();
    int h = p.getCroppedHeight();
    int stepX = Math.max(1, w / 64);
    int stepY = Math.max(1, h / 64);
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    for (int r = 0; r < h; r += stepY) {
      for (int c = 0; c < w; c += stepX) {
        int v = y[r * stride + c] + 128;
        sum += v;
        sumSq += (double) v * v;
        n++;
      }
    }
    double mean = sum / n;
    return new double[] {mean, Math.sqrt(Math.max(0, sumSq / n - mean * mean))};
  }

  static BufferedImage rotate(BufferedImage img, int rotation) {
    return switch (rotation) {
      case 90 -> AWTUtil.rotate90ToRight(img);
      case 180 -> AWTUtil.rotate180(img);
      case 270 -> AWTUtil.rotate90ToLeft(img);
      default -> img;
    };
  }
}
