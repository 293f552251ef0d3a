package org.reelbox.encoder.jcodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.containers.mp4.boxes.Edit;
import org.jcodec.containers.mp4.boxes.MovieBox;
import org.jcodec.containers.mp4.boxes.SampleEntry;
import org.jcodec.containers.mp4.boxes.TrakBox;
import org.jcodec.containers.mp4.demuxer.MP4Demuxer;
import org.reelbox.common.work.FailureCode;
import org.reelbox.encoder.backend.TaskFailedException;
import org.reelbox.media.mp4.ContainerFormat;
import org.reelbox.media.mp4.Mp4Boxes;
import org.reelbox.media.mp4.Mp4FormatException;

/**
 * An MP4/MOV source opened for the jcodec backend: its structure checked by {@link Mp4Boxes} before
 * jcodec parses the {@code moov}, then the first video and audio tracks with their sample tables,
 * and sample bytes read by index.
 *
 * <h2>Timeline</h2>
 *
 * The source timeline of the work protocol puts the first presented video frame at 0. A track's
 * presentation time is {@code dts + cto} shifted by its edit list (the empty edits before it add
 * delay; the first media edit's {@code media_time} is cut), so audio keeps its offset to video.
 * MPEG-TS timestamps are that timeline plus {@link #tsBase90k}, 1.4 s like ffmpeg's muxer, more if
 * decode times start earlier than that before the first frame.
 */
final class Mp4Source implements AutoCloseable {
  private final FileChannel channel;
  final long fileSize;
  final MovieBox movie;
  final int trackCount;
  final TrakBox video; // null: none
  final TrakBox audio; // null: none
  private SampleTable videoSamples;
  private SampleTable audioSamples;

  private Mp4Source(FileChannel channel, long fileSize, MovieBox movie) {
    this.channel = channel;
    this.fileSize = fileSize;
    this.movie = movie;
    TrakBox[] tracks = movie.getTracks();
    this.trackCount = tracks.length;
    TrakBox v = null;
    TrakBox a = null;
    for (TrakBox t : tracks) {
      String handler = t.getHandlerType();
      if (v == null && "vide".equals(handler)) {
        v = t;
      } else if (a == null && "soun".equals(handler)) {
        a = t;
      }
    }
    this.video = v;
    this.audio = a;
  }

  /**
   * Opens and checks a source.
   *
   * @throws TaskFailedException {@code CORRUPT_INPUT} (empty, random or broken), {@code
   *     UNSUPPORTED_CONTAINER} (another container: Matroska, MPEG-TS, a playlist, ...)
   */
  static Mp4Source open(Path file) throws TaskFailedException, IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    boolean ok = false;
    try {
      long size = ch.size();
      if (size == 0) {
        throw corrupt("the file is empty", null);
      }
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, ContainerFormat.SNIFF_BYTES));
      while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
        // fill
      }
      byte[] bytes = head.array();
      ContainerFormat format = ContainerFormat.sniff(bytes, head.position());
      if (format == ContainerFormat.MATROSKA || format == ContainerFormat.MPEG_TS) {
        throw unsupportedContainer(
            format == ContainerFormat.MATROSKA ? "Matroska/WebM" : "MPEG-TS");
      }
      if (format == ContainerFormat.UNKNOWN) {
        String other = otherContainer(bytes, head.position());
        if (other != null) {
          throw unsupportedContainer(other);
        }
      }
      try {
        Mp4Boxes.check(ch);
      } catch (Mp4FormatException e) {
        throw corrupt("not a readable MP4/MOV file: " + e.getMessage(), e);
      }
      MovieBox movie;
      try {
        ch.position(0);
        MP4Demuxer demuxer =
            MP4Demuxer.createRawMP4Demuxer(new org.jcodec.common.io.FileChannelWrapper(ch));
        movie = demuxer.getMovie();
      } catch (RuntimeException | IOException e) {
        throw corrupt("the MP4 movie header (moov) cannot be parsed: " + e, e);
      }
      if (movie == null) {
        throw corrupt("the MP4 file has no movie header (moov)", null);
      }
      Mp4Source source = new Mp4Source(ch, size, movie);
      ok = true;
      return source;
    } finally {
      if (!ok) {
        ch.close();
      }
    }
  }

  /** The video track's samples; checked when first asked for. */
  SampleTable videoSamples() throws TaskFailedException {
    if (videoSamples == null) {
      videoSamples = samples(video, "video");
    }
    return videoSamples;
  }

  SampleTable audioSamples() throws TaskFailedException {
    if (audioSamples == null) {
      audioSamples = samples(audio, "audio");
    }
    return audioSamples;
  }

  private SampleTable samples(TrakBox trak, String what) throws TaskFailedException {
    try {
      return SampleTable.of(trak, fileSize);
    } catch (RuntimeException e) {
      throw corrupt("the " + what + " track's sample tables are broken: " + e.getMessage(), e);
    }
  }

  /** The first sample entry of a track (its codec), or null. */
  static SampleEntry sampleEntry(TrakBox trak) {
    SampleEntry[] entries = trak.getSampleEntries();
    return entries == null || entries.length == 0 ? null : entries[0];
  }

  /**
   * The shift from a track's media time to presentation time, in its media timescale: the empty
   * edits at the start of its edit list delay it; the first media edit's {@code media_time} is cut.
   */
  long editShift(TrakBox trak) {
    List<Edit> edits = trak.getEdits();
    if (edits == null || edits.isEmpty()) {
      return 0;
    }
    long delayMovie = 0;
    for (Edit e : edits) {
      if (e.getMediaTime() == -1) {
        delayMovie += e.getDuration();
        continue;
      }
      long movieTimescale = Math.max(1, movie.getTimescale());
      return delayMovie * trak.getTimescale() / movieTimescale - e.getMediaTime();
    }
    return 0;
  }

  /** Reads sample {@code i} of a table. */
  byte[] read(SampleTable t, int i) throws IOException {
    byte[] data = new byte[t.size[i]];
    ByteBuffer b = ByteBuffer.wrap(data);
    long position = t.offset[i];
    while (b.hasRemaining()) {
      int n = channel.read(b, position + b.position());
      if (n < 0) {
        throw new IOException("the file ends inside sample " + i);
      }
    }
    return data;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  static TaskFailedException corrupt(String message, Throwable cause) {
    return new TaskFailedException(FailureCode.CORRUPT_INPUT, message, cause);
  }

  private static TaskFailedException unsupportedContainer(String what) {
    return new TaskFailedException(
        FailureCode.UNSUPPORTED_CONTAINER,
        "the source is "
            + what
            + "; the jcodec backend reads MP4/MOV only (a worker with ffmpeg reads it)");
  }

  /** A container or format recognised by its magic bytes that is not MP4, or null. */
  private static String otherContainer(byte[] head, int n) {
    String text = new String(head, 0, Math.min(n, 16), StandardCharsets.ISO_8859_1);
    if (text.startsWith("#EXTM3U")) {
      return "an HLS playlist";
    }
    if (text.startsWith("RIFF")) {
      return "RIFF (AVI/WAV)";
    }
    if (text.startsWith("FLV")) {
      return "FLV";
    }
    if (text.startsWith("OggS")) {
      return "Ogg";
    }
    if (text.startsWith("ID3")) {
      return "MP3 audio";
    }
    if (n >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 1 && (head[3] & 0xFF) == 0xBA) {
      return "MPEG program stream";
    }
    return null;
  }

  static ByteBuffer wrap(byte[] data) {
    return ByteBuffer.wrap(data);
  }

  static String fourcc(SampleEntry entry) {
    return entry == null ? "" : entry.getFourcc();
  }

  static void closeQuietly(Mp4Source s) {
    if (s != null) {
      NIOUtils.closeQuietly(s.channel);
    }
  }
}
