package org.reelbox.media.hls;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Writes playlists as RFC 8216 text: UTF-8 without a BOM, LF line endings, one tag per line, a
 * final LF, no blank lines or comments. The output is a pure function of the playlist, so golden
 * files can pin it byte for byte, and {@link PlaylistParser} reads it back to an equal playlist.
 *
 * <p>Choices, where RFC 8216 leaves room:
 *
 * <ul>
 *   <li>{@code EXTINF} durations are written with exactly six decimals ({@code 6.006000}), computed
 *       from microseconds in integer arithmetic: exact, locale-free, and what FFmpeg writes. Below
 *       version 3 they are decimal-integers, as §4.3.2.1 requires.
 *   <li>{@code FRAME-RATE} has three decimals ({@code 29.970}), as §4.3.4.2 asks.
 *   <li>The IV, when the key has one, is {@code 0x} and 32 lowercase hex digits: all 128 bits. A
 *       key without an IV is written without one, which §4.3.2.4 defines as "each segment's media
 *       sequence number"; a single explicit IV would instead apply to every segment.
 *   <li>Byte ranges always carry their offset ({@code 75232@0}), so no segment depends on the one
 *       before it.
 *   <li>{@code DEFAULT} and {@code AUTOSELECT} are always written, {@code YES} or {@code NO}.
 *   <li>Order: header tags, then (media) the key and the segments, each as DISCONTINUITY, EXTINF,
 *       BYTERANGE, URI; or (master) EXT-X-MEDIA, then EXT-X-STREAM-INF with its URI, then
 *       EXT-X-I-FRAME-STREAM-INF. Attributes follow the order of their definitions in §4.3.4.
 * </ul>
 */
public final class PlaylistWriter {

  private static final long US_PER_SECOND = 1_000_000L;

  private PlaylistWriter() {}

  public static String write(Playlist playlist) {
    if (playlist instanceof MediaPlaylist media) {
      return write(media);
    }
    return write((MasterPlaylist) playlist);
  }

  public static String write(MediaPlaylist playlist) {
    StringBuilder out = new StringBuilder();
    line(out, "#EXTM3U");
    line(out, "#EXT-X-VERSION:" + playlist.version());
    line(out, "#EXT-X-TARGETDURATION:" + playlist.targetDurationSeconds());
    line(out, "#EXT-X-MEDIA-SEQUENCE:" + playlist.mediaSequence());
    playlist.playlistType().ifPresent(type -> line(out, "#EXT-X-PLAYLIST-TYPE:" + type.name()));
    if (playlist.independentSegments()) {
      line(out, "#EXT-X-INDEPENDENT-SEGMENTS");
    }
    if (playlist.iFramesOnly()) {
      line(out, "#EXT-X-I-FRAMES-ONLY");
    }
    playlist
        .encryptionKey()
        .ifPresent(
            key -> {
              Attributes attributes =
                  new Attributes()
                      .enumerated("METHOD", EncryptionKey.METHOD_AES_128)
                      .quoted("URI", key.uri());
              key.iv().ifPresent(iv -> attributes.hexadecimal("IV", iv));
              line(out, "#EXT-X-KEY:" + attributes);
            });
    for (Segment segment : playlist.segments()) {
      if (segment.discontinuity()) {
        line(out, "#EXT-X-DISCONTINUITY");
      }
      line(
          out,
          "#EXTINF:"
              + formatDuration(segment.durationUs(), playlist.version())
              + ","
              + segment.title());
      segment
          .byteRange()
          .ifPresent(
              range ->
                  line(out, "#EXT-X-BYTERANGE:" + range.lengthBytes() + "@" + range.offsetBytes()));
      line(out, segment.uri());
    }
    if (playlist.endList()) {
      line(out, "#EXT-X-ENDLIST");
    }
    return out.toString();
  }

  public static String write(MasterPlaylist playlist) {
    StringBuilder out = new StringBuilder();
    line(out, "#EXTM3U");
    line(out, "#EXT-X-VERSION:" + playlist.version());
    if (playlist.independentSegments()) {
      line(out, "#EXT-X-INDEPENDENT-SEGMENTS");
    }
    for (Rendition rendition : playlist.renditions()) {
      Attributes attributes =
          new Attributes()
              .enumerated("TYPE", rendition.type().name())
              .quoted("GROUP-ID", rendition.groupId())
              .quoted("NAME", rendition.name())
              .quoted("LANGUAGE", rendition.language())
              .enumerated("DEFAULT", yesNo(rendition.isDefault()))
              .enumerated("AUTOSELECT", yesNo(rendition.autoselect()))
              .quoted("URI", rendition.uri());
      line(out, "#EXT-X-MEDIA:" + attributes);
    }
    for (Variant variant : playlist.variants()) {
      Attributes attributes =
          new Attributes()
              .decimalInteger("BANDWIDTH", variant.bandwidthBps())
              .decimalInteger("AVERAGE-BANDWIDTH", variant.averageBandwidthBps())
              .codecs(variant.codecs())
              .resolution(variant.resolution())
              .frameRate(variant.frameRate())
              .quoted("AUDIO", variant.audioGroupId())
              .quoted("SUBTITLES", variant.subtitlesGroupId());
      line(out, "#EXT-X-STREAM-INF:" + attributes);
      line(out, variant.uri());
    }
    for (IFrameVariant variant : playlist.iFrameVariants()) {
      Attributes attributes =
          new Attributes()
              .decimalInteger("BANDWIDTH", variant.bandwidthBps())
              .decimalInteger("AVERAGE-BANDWIDTH", variant.averageBandwidthBps())
              .codecs(variant.codecs())
              .resolution(variant.resolution())
              .quoted("URI", variant.uri());
      line(out, "#EXT-X-I-FRAME-STREAM-INF:" + attributes);
    }
    return out.toString();
  }

  /**
   * An {@code EXTINF} duration: a decimal-floating-point with six decimals from version 3 on, a
   * decimal-integer before (RFC 8216 §4.3.2.1; the playlist guarantees whole seconds there).
   */
  static String formatDuration(long durationUs, int version) {
    long seconds = durationUs / US_PER_SECOND;
    if (version < 3) {
      return Long.toString(seconds);
    }
    return String.format(Locale.ROOT, "%d.%06d", seconds, durationUs % US_PER_SECOND);
  }

  private static String yesNo(boolean value) {
    return value ? "YES" : "NO";
  }

  private static void line(StringBuilder out, String line) {
    out.append(line).append('\n');
  }

  /**
   * An attribute-list (RFC 8216 §4.2) in the making. Each method writes its value in the one syntax
   * its attribute is defined with: a quoted-string in double quotes, an enumerated-string,
   * decimal-integer, hexadecimal-sequence, decimal-floating-point or decimal-resolution bare.
   */
  private static final class Attributes {
    private final StringBuilder text = new StringBuilder();

    private Attributes name(String name) {
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(name).append('=');
      return this;
    }

    Attributes quoted(String name, String value) {
      name(name).text.append('"').append(value).append('"');
      return this;
    }

    Attributes quoted(String name, Optional<String> value) {
      value.ifPresent(v -> quoted(name, v));
      return this;
    }

    Attributes enumerated(String name, String value) {
      name(name).text.append(value);
      return this;
    }

    Attributes decimalInteger(String name, long value) {
      name(name).text.append(value);
      return this;
    }

    Attributes decimalInteger(String name, OptionalLong value) {
      value.ifPresent(v -> decimalInteger(name, v));
      return this;
    }

    Attributes hexadecimal(String name, BigInteger value) {
      name(name).text.append(String.format(Locale.ROOT, "0x%032x", value));
      return this;
    }

    Attributes codecs(List<String> codecs) {
      return codecs.isEmpty() ? this : quoted("CODECS", String.join(",", codecs));
    }

    Attributes resolution(Optional<Resolution> resolution) {
      resolution.ifPresent(r -> name("RESOLUTION").text.append(r));
      return this;
    }

    Attributes frameRate(OptionalDouble frameRate) {
      frameRate.ifPresent(
          fps -> name("FRAME-RATE").text.append(String.format(Locale.ROOT, "%.3f", fps)));
      return this;
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
