package org.reelbox.media.mp4;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Walks the box tree of an MP4/MOV file (ISO/IEC 14496-12 §4.2) and refuses a broken one before a
 * demuxer sees it. Demuxers trust sizes: jcodec's reads a {@code moov} into one buffer of the size
 * its header claims, and allocates sample tables of the length their {@code entry_count} claims, so
 * a box whose size points past the end of the file, or a table that claims a billion entries, makes
 * them allocate gigabytes or loop. This walker reads only box headers and the first bytes of sample
 * tables, so it runs in time proportional to the number of boxes (at most {@link #MAX_BOXES}) and
 * in constant memory, whatever the file claims.
 *
 * <h2>What it checks</h2>
 *
 * <ul>
 *   <li>the file is not empty; every box header fits in its parent (8 bytes, 16 with a 64-bit
 *       {@code largesize});
 *   <li>every size is at least its header and ends within its parent (the file at top level); size
 *       0 ("to the end of the file") only at top level; up to 7 stray bytes at the end of the file
 *       are tolerated;
 *   <li>box types are printable (ASCII or ©); nesting at most {@link #MAX_DEPTH} levels; at most
 *       {@link #MAX_BOXES} boxes in all;
 *   <li>exactly one {@code moov}, at most {@link #MAX_MOOV_BYTES} long;
 *   <li>the sample tables {@code stts}, {@code ctts}, {@code stss}, {@code stsc}, {@code stco},
 *       {@code co64}, {@code stsz} and {@code stsd} hold the entries their {@code entry_count}
 *       claims.
 * </ul>
 *
 * It descends into the containers that hold the movie's structure ({@code moov}, {@code trak},
 * {@code mdia}, {@code minf}, {@code stbl}, {@code edts}, {@code dinf}, {@code mvex}, {@code moof},
 * {@code traf}); others (including {@code udta} and {@code meta}, whose layouts vary) are skipped
 * whole once their size is checked.
 */
public final class Mp4Boxes {

  /** The deepest nesting accepted (moov/trak/mdia/minf/stbl/stsd is 6). */
  public static final int MAX_DEPTH = 12;

  /** The most boxes accepted in one file. */
  public static final int MAX_BOXES = 200_000;

  /** The largest {@code moov} accepted: demuxers hold it in memory. */
  public static final long MAX_MOOV_BYTES = 256L << 20;

  /** Box types that may come first in a file: what {@link ContainerFormat#sniff} looks for. */
  static final Set<String> TOP_LEVEL_TYPES =
      Set.of("ftyp", "moov", "mdat", "free", "skip", "wide", "pnot", "uuid", "styp", "sidx");

  private static final Set<String> CONTAINERS =
      Set.of("moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "mvex", "moof", "traf");

  private final SeekableByteChannel in;
  private final long fileSize;
  private final ByteBuffer header = ByteBuffer.allocate(24);
  private int boxes;
  private long moovOffset = -1;
  private long moovSize;
  private boolean fragmented;

  private Mp4Boxes(SeekableByteChannel in, long fileSize) {
    this.in = in;
    this.fileSize = fileSize;
  }

  /**
   * What the walk found in a file that passed.
   *
   * @param sizeBytes the file's size
   * @param moovOffset where its {@code moov} box starts
   * @param moovSizeBytes the {@code moov} box's size, header included
   * @param boxCount how many boxes were walked
   * @param fragmented whether it has {@code moof} boxes (fragmented MP4)
   */
  public record Layout(
      long sizeBytes, long moovOffset, long moovSizeBytes, int boxCount, boolean fragmented) {}

  /**
   * Checks the box structure of the whole channel (from position 0 to its size).
   *
   * @throws Mp4FormatException if the structure breaks a rule of the class comment
   * @throws IOException if reading fails
   */
  public static Layout check(SeekableByteChannel in) throws IOException, Mp4FormatException {
    requireNonNull(in, "in");
    long size = in.size();
    if (size == 0) {
      throw new Mp4FormatException(0, "the file is empty");
    }
    Mp4Boxes walker = new Mp4Boxes(in, size);
    walker.walk(0, size, 0);
    if (walker.moovOffset < 0) {
      throw new Mp4FormatException(size, "no moov box: the file is truncated or not a movie");
    }
    return new Layout(size, walker.moovOffset, walker.moovSize, walker.boxes, walker.fragmented);
  }

  private void walk(long from, long to, int depth) throws IOException, Mp4FormatException {
    long offset = from;
    while (offset < to) {
      long left = to - offset;
      if (depth == 0 && left < 8) {
        return; // stray bytes at the end of the file
      }
      if (left < 8) {
        throw new Mp4FormatException(
            offset, left + " bytes left in the parent box: no room for a box header");
      }
      if (++boxes > MAX_BOXES) {
        throw new Mp4FormatException(offset, "more than " + MAX_BOXES + " boxes");
      }
      read(offset, (int) Math.min(16, left));
      long size = header.getInt(0) & 0xFFFFFFFFL;
      String type = type(header, 4);
      if (type == null) {
        throw new Mp4FormatException(offset, "not a box header (the type is not printable)");
      }
      int headerLength = 8;
      if (size == 1) {
        if (left < 16) {
          throw new Mp4FormatException(offset, "box '" + type + "' has a 64-bit size cut off");
        }
        size = header.getLong(8);
        headerLength = 16;
        if (size < 0) {
          throw new Mp4FormatException(offset, "box '" + type + "' has a 64-bit size past 2^63");
        }
      } else if (size == 0) {
        if (depth > 0) {
          throw new Mp4FormatException(
              offset, "box '" + type + "' has size 0 (to the end of the file) inside another box");
        }
        size = left;
      }
      if (size < headerLength) {
        throw new Mp4FormatException(
            offset, "box '" + type + "' has size " + size + ", less than its header");
      }
      if (size > left) {
        throw new Mp4FormatException(
            offset,
            "box '"
                + type
                + "' claims "
                + size
                + " bytes, past the end of "
                + (depth == 0 ? "the file (" + fileSize + " bytes)" : "its parent box"));
      }
      long body = offset + headerLength;
      long bodySize = size - headerLength;
      switch (type) {
        case "moov" -> {
          if (depth != 0) {
            throw new Mp4FormatException(offset, "moov box inside another box");
          }
          if (moovOffset >= 0) {
            throw new Mp4FormatException(offset, "a second moov box");
          }
          if (size > MAX_MOOV_BYTES) {
            throw new Mp4FormatException(
                offset, "moov box of " + size + " bytes, more than " + MAX_MOOV_BYTES);
          }
          moovOffset = offset;
          moovSize = size;
        }
        case "moof" -> fragmented = true;
        default -> {}
      }
      if (CONTAINERS.contains(type)) {
        if (depth + 1 > MAX_DEPTH) {
          throw new Mp4FormatException(offset, "boxes nested more than " + MAX_DEPTH + " deep");
        }
        walk(body, body + bodySize, depth + 1);
      } else {
        checkTable(type, offset, body, bodySize);
      }
      offset += size;
    }
  }

  /**
   * Checks that a sample table holds the entries it claims: {@code entry_count} (after the 4 bytes
   * of version and flags) times the entry size fits in the box.
   */
  private void checkTable(String type, long offset, long body, long bodySize)
      throws IOException, Mp4FormatException {
    int entryBytes;
    int countAt = 4;
    switch (type) {
      case "stts", "ctts", "co64" -> entryBytes = 8;
      case "stss", "stco" -> entryBytes = 4;
      case "stsc" -> entryBytes = 12;
      case "stsd" -> entryBytes = 8; // each entry is a box of at least 8 bytes
      case "stsz" -> {
        entryBytes = 4;
        countAt = 8; // version/flags, sample_size, then sample_count
      }
      default -> {
        return;
      }
    }
    if (bodySize < countAt + 4) {
      throw new Mp4FormatException(offset, "'" + type + "' box too short for its entry count");
    }
    read(body, countAt + 4);
    long count = header.getInt(countAt) & 0xFFFFFFFFL;
    if (type.equals("stsz") && header.getInt(4) != 0) {
      return; // one sample_size for all: no table follows
    }
    long needed = countAt + 4 + count * entryBytes;
    if (needed > bodySize) {
      throw new Mp4FormatException(
          offset,
          "'" + type + "' claims " + count + " entries, more than its " + bodySize + " bytes hold");
    }
  }

  private void read(long position, int length) throws IOException, Mp4FormatException {
    header.clear().limit(length);
    in.position(position);
    while (header.hasRemaining()) {
      if (in.read(header) < 0) {
        throw new Mp4FormatException(position, "the file ends inside a box header");
      }
    }
  }

  /** The 4-character type at {@code at}, or null when a character is not printable. */
  private static String type(ByteBuffer b, int at) {
    for (int i = at; i < at + 4; i++) {
      int c = b.get(i) & 0xFF;
      if ((c < 0x20 || c > 0x7E) && c != 0xA9) {
        return null;
      }
    }
    return new String(b.array(), at, 4, StandardCharsets.ISO_8859_1);
  }
}
