package org.reelbox.control.content;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.reelbox.common.work.BlobLayout;

/**
 * A creator's own thumbnail image: the check of an upload (a JPEG or PNG that decodes, of bounded
 * size) and its rendering into the published thumbnail sizes ({@link BlobLayout#THUMBNAIL_SIZES}),
 * the way the encoder's thumbnail task renders a frame: scaled to fit each box with the aspect kept
 * (up or down), even dimensions, JPEG.
 */
public final class ThumbnailImages {
  /** The largest upload, in bytes: 5 MiB. */
  public static final int MAX_BYTES = 5 << 20;

  /** The largest width and height, in pixels. */
  public static final int MAX_DIMENSION = 4096;

  // What "-q:v 3" of the encoder's mjpeg gives, roughly.
  private static final float JPEG_QUALITY = 0.85f;

  private ThumbnailImages() {}

  /** The two formats accepted, with the extension they are stored under. */
  public enum Format {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png");

    private final String mediaType;
    private final String extension;

    Format(String mediaType, String extension) {
      this.mediaType = mediaType;
      this.extension = extension;
    }

    public String mediaType() {
      return mediaType;
    }

    public String extension() {
      return extension;
    }

    /** The format of a {@code Content-Type} value (parameters ignored), or null for any other. */
    public static Format ofContentType(String contentType) {
      if (contentType == null) {
        return null;
      }
      int semicolon = contentType.indexOf(';');
      String type =
          (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
              .trim()
              .toLowerCase(Locale.ROOT);
      for (Format f : values()) {
        if (f.mediaType.equals(type)) {
          return f;
        }
      }
      return null;
    }
  }

  /**
   * Decodes an upload and checks it against its declared format.
   *
   * @throws IllegalArgumentException with the reason: too large, not an image of that format, or
   *     larger than {@value #MAX_DIMENSION} pixels a side
   */
  public static BufferedImage decode(byte[] bytes, Format format) throws IOException {
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "a thumbnail image may be at most " + MAX_BYTES + " bytes, got " + bytes.length);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("the body is not a JPEG or PNG image");
      }
      ImageReader reader = readers.next();
      try {
        String found = reader.getFormatName().toLowerCase(Locale.ROOT);
        boolean matches =
            format == Format.PNG
                ? found.equals("png")
                : found.equals("jpeg") || found.equals("jpg");
        if (!matches) {
          throw new IllegalArgumentException(
              "the body is a " + found + " image, not " + format.mediaType());
        }
        reader.setInput(in, true, true);
        // The header first: a decompression bomb (a small file of huge dimensions) is refused
        // before its pixels are allocated.
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width > MAX_DIMENSION || height > MAX_DIMENSION) {
          throw new IllegalArgumentException(
              "a thumbnail image may be at most "
                  + MAX_DIMENSION
                  + "×"
                  + MAX_DIMENSION
                  + " pixels, got "
                  + width
                  + "×"
                  + height);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        return reader.read(0, param);
      } catch (IOException | RuntimeException e) {
        if (e instanceof IllegalArgumentException) {
          throw e;
        }
        throw new IllegalArgumentException("the image cannot be decoded: " + e.getMessage());
      } finally {
        reader.dispose();
      }
    }
  }

  /** One rendered thumbnail: its blob key and JPEG bytes. */
  public record Rendered(String key, byte[] jpeg) {}

  /**
   * The image as thumbnail 0 in every published size: {@code hls/{id}/thumbs/{s * 10}.jpg}, the
   * names the encoder's thumbnail task writes for a creator's image.
   */
  public static List<Rendered> render(String videoId, BufferedImage image) throws IOException {
    List<Rendered> out = new ArrayList<>();
    List<int[]> sizes = BlobLayout.THUMBNAIL_SIZES;
    for (int s = 0; s < sizes.size(); s++) {
      int[] box = sizes.get(s);
      out.add(
          new Rendered(BlobLayout.thumbnailKey(videoId, s, 0), jpeg(fit(image, box[0], box[1]))));
    }
    return out;
  }

  /** Scales to fit a box, aspect kept, dimensions rounded down to even (at least 2). */
  static BufferedImage fit(BufferedImage image, int boxWidth, int boxHeight) {
    double scale =
        Math.min((double) boxWidth / image.getWidth(), (double) boxHeight / image.getHeight());
    int w = Math.max(2, (int) Math.floor(image.getWidth() * scale) & ~1);
    int h = Math.max(2, (int) Math.floor(image.getHeight() * scale) & ~1);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      // A transparent PNG goes onto black, as ffmpeg's yuvj420p conversion does.
      g.setColor(java.awt.Color.BLACK);
      g.fillRect(0, 0, w, h);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
