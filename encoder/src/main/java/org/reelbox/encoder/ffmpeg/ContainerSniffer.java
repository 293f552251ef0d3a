package org.reelbox.encoder.ffmpeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.reelbox.common.work.FailureCode;
import org.reelbox.encoder.backend.TaskFailedException;

/**
 * Decides from the first bytes which container a file is, before ffmpeg sees it, so that ffmpeg is
 * always told the input format ({@code -f}) and never probes: a playlist (HLS, concat, ffconcat),
 * an image, or any text renamed {@code .mp4} is refused here and never opened.
 *
 * <p>Classification, chosen so that every bad input gets one code:
 *
 * <ul>
 *   <li>an empty file: {@code CORRUPT_INPUT} (a truncated upload);
 *   <li>no known magic (random bytes, text, playlists, images, other containers): {@code
 *       UNSUPPORTED_CONTAINER};
 *   <li>MP4/MOV whose top-level boxes do not add up (a size past the end of the file, a size below
 *       8) or that has no {@code moov}: {@code CORRUPT_INPUT};
 *   <li>otherwise the container, which ffprobe then reads with {@code -f} forced; if that fails the
 *       file is {@code CORRUPT_INPUT}.
 * </ul>
 */
final class ContainerSniffer {
  /** A container as reelbox names it ({@code MediaInfo.container}) and ffmpeg's demuxer. */
  enum Container {
    MP4("mp4", "mov"),
    MATROSKA("matroska", "matroska"),
    MPEGTS("mpegts", "mpegts");

    final String name;
    final String demuxer;

    Container(String name, String demuxer) {
      this.name = name;
      this.demuxer = demuxer;
    }
  }

  private static final int TS_PACKET = 188;
  private static final int MAX_BOXES = 100_000;
  private static final Set<String> MP4_FIRST_BOXES =
      Set.of("ftyp", "moov", "mdat", "free", "skip", "wide", "pnot", "uuid");

  private ContainerSniffer() {}

  static Container sniff(Path file) throws TaskFailedException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size == 0) {
        throw new TaskFailedException(FailureCode.CORRUPT_INPUT, "the file is empty");
      }
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 4 * TS_PACKET + 8));
      readFully(channel, head, 0);
      byte[] b = head.array();
      int n = head.position();
      if (n >= 4
          && (b[0] & 0xff) == 0x1a
          && (b[1] & 0xff) == 0x45
          && (b[2] & 0xff) == 0xdf
          && (b[3] & 0xff) == 0xa3) {
        return Container.MATROSKA;
      }
      if (isTs(b, n, 0, TS_PACKET) || isTs(b, n, 4, 192)) {
        return Container.MPEGTS;
      }
      if (n >= 8 && MP4_FIRST_BOXES.contains(new String(b, 4, 4, StandardCharsets.ISO_8859_1))) {
        checkMp4Boxes(channel, size);
        return Container.MP4;
      }
      throw new TaskFailedException(
          FailureCode.UNSUPPORTED_CONTAINER,
          "not an MP4/MOV, Matroska/WebM or MPEG-TS file" + describeText(b, n));
    } catch (IOException e) {
      throw new TaskFailedException(
          FailureCode.MISSING_INPUT, "cannot read the source: " + e.getMessage(), e);
    }
  }

  /** Three sync bytes one packet apart (or as many as the file holds, at least one packet). */
  private static boolean isTs(byte[] b, int n, int offset, int packet) {
    int seen = 0;
    for (int at = offset; at < n && seen < 4; at += packet) {
      if (b[at] != 0x47) {
        return false;
      }
      seen++;
    }
    return seen >= Math.min(3, Math.max(1, (n - offset) / packet));
  }

  /** Walks the top-level boxes: each must end within the file, and one must be {@code moov}. */
  private static void checkMp4Boxes(FileChannel channel, long size)
      throws IOException, TaskFailedException {
    ByteBuffer header = ByteBuffer.allocate(16);
    long offset = 0;
    boolean moov = false;
    for (int boxes = 0; offset < size; boxes++) {
      if (boxes >= MAX_BOXES) {
        throw new TaskFailedException(
            FailureCode.CORRUPT_INPUT, "more than " + MAX_BOXES + " top-level MP4 boxes");
      }
      if (size - offset < 8) {
        throw new TaskFailedException(
            FailureCode.CORRUPT_INPUT, "the file ends inside an MP4 box header at " + offset);
      }
      header.clear();
      header.limit((int) Math.min(16, size - offset));
      readFully(channel, header, offset);
      long boxSize = header.getInt(0) & 0xffffffffL;
      String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
      int headerSize = 8;
      if (boxSize == 1) {
        if (header.position() < 16) {
          throw new TaskFailedException(
              FailureCode.CORRUPT_INPUT, "the file ends inside box '" + printable(type) + "'");
        }
        boxSize = header.getLong(8);
        headerSize = 16;
      } else if (boxSize == 0) {
        boxSize = size - offset; // ISO/IEC 14496-12 §4.2: size 0 means "to the end of the file"
      }
      if (boxSize < headerSize) {
        throw new TaskFailedException(
            FailureCode.CORRUPT_INPUT,
            "MP4 box '" + printable(type) + "' at " + offset + " has an invalid size " + boxSize);
      }
      if (boxSize > size - offset) {
        throw new TaskFailedException(
            FailureCode.CORRUPT_INPUT,
            "MP4 box '"
                + printable(type)
                + "' at "
                + offset
                + " claims "
                + boxSize
                + " bytes, past the end of the file ("
                + size
                + " bytes): truncated or corrupt");
      }
      moov |= type.equals("moov");
      offset += boxSize;
    }
    if (!moov) {
      throw new TaskFailedException(
          FailureCode.CORRUPT_INPUT, "the MP4 file has no moov box (truncated upload?)");
    }
  }

  private static String describeText(byte[] b, int n) {
    String start = new String(b, 0, Math.min(n, 16), StandardCharsets.ISO_8859_1);
    if (start.startsWith("#EXTM3U")) {
      return " (it is an HLS playlist)";
    }
    if (start.startsWith("ffconcat") || start.startsWith("file ")) {
      return " (it is an ffmpeg concat list)";
    }
    return "";
  }

  private static String printable(String type) {
    return type.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? type : "?";
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long offset)
      throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, offset + buffer.position());
      if (n < 0) {
        break;
      }
    }
  }
}
