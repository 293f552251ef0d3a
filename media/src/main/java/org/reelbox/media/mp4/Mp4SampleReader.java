package org.reelbox.media.mp4;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads the sample tables of a progressive (non-fragmented) MP4 whose video is H.264 and whose
 * audio, if any, is AAC: what a remuxer needs to copy its samples into another container without
 * decoding them (ISO/IEC 14496-12 §8.5–8.7, §8.6.6; 14496-15 §5.3; 14496-14 §3.1).
 *
 * <h2>Trust</h2>
 *
 * The file is hostile until proven otherwise. {@link Mp4Boxes#check} walks the box tree first
 * (sizes inside parents, tables holding the entries they claim). Then the {@code moov} is read into
 * memory (at most {@link #MAX_MOOV_BYTES}) and every table is cross-checked before a sample array
 * is sized from it: the sample count of {@code stsz} must match the sum of {@code stts} counts and
 * of what {@code stsc} assigns to the {@code stco} chunks, each track holds at most {@link
 * #MAX_SAMPLES}, each sample is at most {@link #MAX_SAMPLE_BYTES} and lies wholly inside the file,
 * and all samples together are no bigger than the file. So memory is bounded by the moov's size and
 * the file's size, and time by the number of entries read.
 *
 * <h2>What is refused</h2>
 *
 * With {@link Mp4UnsupportedException}, in words: fragmented MP4 ({@code moof}, {@code mvex}); no
 * video track, or more than one; a video codec other than {@code avc1} (HEVC, MPEG-4 Part 2, {@code
 * avc3} with in-band parameter sets…); audio other than AAC Main/LC/SSR/LTP in {@code mp4a} (MP3,
 * AC-3, Opus, HE-AAC signalled explicitly, a program config element); several sample descriptions
 * in one track; edit lists other than "an optional empty edit, then one edit at rate 1" (what
 * FFmpeg and phones write); a first video sample that is not a sync sample. A second audio track is
 * ignored (the first one plays). Broken structure is {@link Mp4FormatException}.
 */
public final class Mp4SampleReader {
  /** The largest {@code moov} read into memory. */
  public static final int MAX_MOOV_BYTES = 64 << 20;

  /** The most samples one track may have (over 18 hours of 30 fps video). */
  public static final int MAX_SAMPLES = 2_000_000;

  /** The largest single sample accepted. */
  public static final int MAX_SAMPLE_BYTES = 32 << 20;

  private final ByteBuffer moov;
  private final long moovOffset;
  private final long fileSize;
  private long movieTimescale;

  private Mp4SampleReader(ByteBuffer moov, long moovOffset, long fileSize) {
    this.moov = moov;
    this.moovOffset = moovOffset;
    this.fileSize = fileSize;
  }

  /**
   * Indexes the movie in {@code in} (from position 0 to its size).
   *
   * @throws Mp4FormatException if the structure or a table is broken
   * @throws Mp4UnsupportedException if it is well formed but not remuxable (see the class comment)
   * @throws IOException if reading fails
   */
  public static Mp4Movie read(SeekableByteChannel in)
      throws IOException, Mp4FormatException, Mp4UnsupportedException {
    requireNonNull(in, "in");
    Mp4Boxes.Layout layout = Mp4Boxes.check(in);
    if (layout.fragmented()) {
      throw new Mp4UnsupportedException("fragmented MP4 (moof boxes) is not supported");
    }
    if (layout.moovSizeBytes() > MAX_MOOV_BYTES) {
      throw new Mp4UnsupportedException(
          "the moov box is " + layout.moovSizeBytes() + " bytes, more than " + MAX_MOOV_BYTES);
    }
    ByteBuffer moov = ByteBuffer.allocate((int) layout.moovSizeBytes());
    in.position(layout.moovOffset());
    while (moov.hasRemaining()) {
      if (in.read(moov) < 0) {
        throw new Mp4FormatException(layout.moovOffset(), "the file ends inside the moov box");
      }
    }
    moov.flip();
    Mp4SampleReader reader = new Mp4SampleReader(moov, layout.moovOffset(), layout.sizeBytes());
    try {
      return reader.parse();
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      // Every read is bounds-checked against its box; this is the net under a missed case.
      throw new Mp4FormatException(layout.moovOffset(), "a box of the moov is cut short");
    }
  }

  // ---- boxes inside the moov buffer (positions are indexes into it)

  private record Box(String type, int offset, int body, int end) {}

  private List<Box> children(int from, int to) throws Mp4FormatException {
    List<Box> out = new ArrayList<>();
    int at = from;
    while (to - at >= 8) {
      long size = moov.getInt(at) & 0xFFFFFFFFL;
      String type = type(at + 4);
      int header = 8;
      if (size == 1) {
        if (to - at < 16) {
          throw error(at, "box '" + type + "' has a 64-bit size cut off");
        }
        size = moov.getLong(at + 8);
        header = 16;
      } else if (size == 0) {
        size = to - at;
      }
      if (size < header || size > to - at) {
        throw error(at, "box '" + type + "' has a size of " + size + " outside its parent");
      }
      out.add(new Box(type, at, at + header, (int) (at + size)));
      at += (int) size;
    }
    return out;
  }

  private Optional<Box> child(Box parent, String type) throws Mp4FormatException {
    for (Box b : children(parent.body, parent.end)) {
      if (b.type.equals(type)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  private Box required(Box parent, String type) throws Mp4FormatException {
    return child(parent, type)
        .orElseThrow(() -> error(parent.offset, "'" + parent.type + "' has no '" + type + "'"));
  }

  private String type(int at) {
    byte[] t = new byte[4];
    moov.get(at, t);
    return new String(t, StandardCharsets.ISO_8859_1);
  }

  private Mp4FormatException error(int at, String reason) {
    return new Mp4FormatException(moovOffset + at, reason);
  }

  private void need(Box box, int at, int bytes) throws Mp4FormatException {
    if (at < box.body || (long) at + bytes > box.end) {
      throw error(box.offset, "'" + box.type + "' is too short");
    }
  }

  private long u32(int at) {
    return moov.getInt(at) & 0xFFFFFFFFL;
  }

  private int u16(int at) {
    return moov.getShort(at) & 0xFFFF;
  }

  private int u8(int at) {
    return moov.get(at) & 0xFF;
  }

  // ---- the movie

  private Mp4Movie parse() throws Mp4FormatException, Mp4UnsupportedException {
    Box moovBox = children(0, moov.limit()).get(0);
    if (child(moovBox, "mvex").isPresent()) {
      throw new Mp4UnsupportedException("fragmented MP4 (mvex box) is not supported");
    }
    Box mvhd = required(moovBox, "mvhd");
    int version = u8(mvhd.body);
    need(mvhd, mvhd.body, version == 1 ? 24 : 16);
    movieTimescale = u32(mvhd.body + (version == 1 ? 20 : 12));
    if (movieTimescale == 0) {
      throw error(mvhd.offset, "mvhd timescale is 0");
    }
    Track video = null;
    Track audio = null;
    for (Box trak : children(moovBox.body, moovBox.end)) {
      if (!trak.type.equals("trak")) {
        continue;
      }
      Box mdia = required(trak, "mdia");
      Box hdlr = required(mdia, "hdlr");
      need(hdlr, hdlr.body, 12);
      String handler = type(hdlr.body + 8);
      if (handler.equals("vide")) {
        if (video != null) {
          throw new Mp4UnsupportedException("more than one video track is not supported");
        }
        video = track(trak, mdia, true);
      } else if (handler.equals("soun") && audio == null) {
        audio = track(trak, mdia, false);
      }
    }
    if (video == null) {
      throw new Mp4UnsupportedException("the file has no video track");
    }
    if (video.samples.count() == 0) {
      throw new Mp4UnsupportedException("the video track has no samples");
    }
    if (!video.samples.isSync(0)) {
      throw new Mp4UnsupportedException("the first video sample is not a sync sample (IDR)");
    }
    if (audio != null && audio.samples.count() == 0) {
      audio = null;
    }
    return new Mp4Movie(
        fileSize,
        (AvcConfig) video.config,
        video.samples,
        Optional.ofNullable(audio).map(a -> (AacConfig) a.config),
        audio == null ? null : audio.samples);
  }

  private record Track(Object config, SampleTable samples) {}

  private Track track(Box trak, Box mdia, boolean video)
      throws Mp4FormatException, Mp4UnsupportedException {
    Box mdhd = required(mdia, "mdhd");
    int version = u8(mdhd.body);
    need(mdhd, mdhd.body, version == 1 ? 24 : 16);
    long timescale = u32(mdhd.body + (version == 1 ? 20 : 12));
    if (timescale == 0 || timescale > Integer.MAX_VALUE) {
      throw error(mdhd.offset, "mdhd timescale " + timescale + " is not usable");
    }
    Box stbl = required(required(mdia, "minf"), "stbl");
    Object config = video ? avc(required(stbl, "stsd")) : aac(required(stbl, "stsd"));
    long[] edit = edit(trak, (int) timescale);
    SampleTable samples = samples(stbl, (int) timescale, edit[0] - edit[1], video);
    return new Track(config, samples);
  }

  // ---- sample descriptions

  /** The one sample entry of an stsd. */
  private Box entry(Box stsd, String kind) throws Mp4FormatException, Mp4UnsupportedException {
    need(stsd, stsd.body, 8);
    long count = u32(stsd.body + 4);
    if (count != 1) {
      throw new Mp4UnsupportedException(
          "the " + kind + " track has " + count + " sample descriptions; one is supported");
    }
    List<Box> entries = children(stsd.body + 8, stsd.end);
    if (entries.isEmpty()) {
      throw error(stsd.offset, "stsd has no sample entry");
    }
    return entries.get(0);
  }

  private AvcConfig avc(Box stsd) throws Mp4FormatException, Mp4UnsupportedException {
    Box e = entry(stsd, "video");
    if (!e.type.equals("avc1")) {
      throw new Mp4UnsupportedException(
          "the video codec is " + videoCodecName(e.type) + ", not H.264 in 'avc1'");
    }
    // VisualSampleEntry (14496-12 §12.1.3): 6 reserved, data_reference_index, 16 bytes of
    // pre_defined/reserved, width, height, … 78 bytes in all before the child boxes.
    need(e, e.body, 78);
    int width = u16(e.body + 24);
    int height = u16(e.body + 26);
    Box avcC = null;
    for (Box b : children(e.body + 78, e.end)) {
      if (b.type.equals("avcC")) {
        avcC = b;
      }
    }
    if (avcC == null) {
      throw error(e.offset, "avc1 sample entry has no avcC");
    }
    int at = avcC.body;
    need(avcC, at, 6);
    if (u8(at) != 1) {
      throw error(avcC.offset, "avcC configurationVersion is " + u8(at) + ", not 1");
    }
    int profile = u8(at + 1);
    int constraints = u8(at + 2);
    int level = u8(at + 3);
    int lengthSize = (u8(at + 4) & 3) + 1;
    if (lengthSize == 3) {
      throw new Mp4UnsupportedException("H.264 with 3-byte NAL lengths is not supported");
    }
    List<byte[]> sps = new ArrayList<>();
    List<byte[]> pps = new ArrayList<>();
    at += 5;
    int nSps = u8(at) & 0x1F;
    at++;
    at = parameterSets(avcC, at, nSps, sps);
    need(avcC, at, 1);
    int nPps = u8(at);
    at++;
    parameterSets(avcC, at, nPps, pps);
    if (sps.isEmpty() || pps.isEmpty()) {
      throw new Mp4UnsupportedException("the avcC carries no SPS or no PPS");
    }
    if (width == 0 || height == 0) {
      throw error(e.offset, "avc1 sample entry has a zero width or height");
    }
    return new AvcConfig(width, height, profile, constraints, level, lengthSize, sps, pps);
  }

  private int parameterSets(Box avcC, int at, int count, List<byte[]> out)
      throws Mp4FormatException {
    for (int i = 0; i < count; i++) {
      need(avcC, at, 2);
      int len = u16(at);
      need(avcC, at + 2, len);
      if (len == 0) {
        throw error(avcC.offset, "avcC has an empty parameter set");
      }
      byte[] nal = new byte[len];
      moov.get(at + 2, nal);
      out.add(nal);
      at += 2 + len;
    }
    return at;
  }

  private static String videoCodecName(String fourcc) {
    return switch (fourcc) {
      case "hvc1", "hev1" -> "HEVC ('" + fourcc + "')";
      case "mp4v" -> "MPEG-4 Part 2 ('mp4v')";
      case "av01" -> "AV1 ('av01')";
      case "vp09" -> "VP9 ('vp09')";
      case "avc3" -> "H.264 with in-band parameter sets ('avc3')";
      case "encv" -> "encrypted ('encv')";
      default -> "'" + fourcc + "'";
    };
  }

  private AacConfig aac(Box stsd) throws Mp4FormatException, Mp4UnsupportedException {
    Box e = entry(stsd, "audio");
    if (!e.type.equals("mp4a")) {
      throw new Mp4UnsupportedException("the audio codec is '" + e.type + "', not AAC ('mp4a')");
    }
    // AudioSampleEntry (14496-12 §12.2.3): 28 bytes; QuickTime sound description version 1 adds
    // 16 bytes, version 2 adds 36, before the child boxes.
    need(e, e.body, 28);
    int qtVersion = u16(e.body + 8);
    int fixed =
        switch (qtVersion) {
          case 0 -> 28;
          case 1 -> 44;
          case 2 -> 64;
          default ->
              throw new Mp4UnsupportedException("mp4a sound description version " + qtVersion);
        };
    need(e, e.body, fixed);
    Box esds = null;
    for (Box b : children(e.body + fixed, e.end)) {
      if (b.type.equals("esds")) {
        esds = b;
      } else if (b.type.equals("wave")) {
        // QuickTime wraps the esds in a 'wave' box.
        esds = child(b, "esds").orElse(esds);
      }
    }
    if (esds == null) {
      throw error(e.offset, "mp4a sample entry has no esds");
    }
    return audioSpecificConfig(esds);
  }

  /** ES_Descriptor → DecoderConfigDescriptor → DecoderSpecificInfo (14496-1 §7.2.6). */
  private AacConfig audioSpecificConfig(Box esds)
      throws Mp4FormatException, Mp4UnsupportedException {
    int[] at = {esds.body + 4}; // version and flags
    int len = descriptor(esds, at, 0x03);
    int esEnd = at[0] + len;
    need(esds, at[0], 3);
    int flags = u8(at[0] + 2);
    at[0] += 3;
    if ((flags & 0x80) != 0) {
      at[0] += 2; // dependsOn_ES_ID
    }
    if ((flags & 0x40) != 0) {
      need(esds, at[0], 1);
      at[0] += 1 + u8(at[0]); // URL
    }
    if ((flags & 0x20) != 0) {
      at[0] += 2; // OCR_ES_Id
    }
    int dcLen = descriptor(esds, at, 0x04);
    int dcEnd = at[0] + dcLen;
    if (dcEnd > esEnd) {
      throw error(esds.offset, "esds DecoderConfigDescriptor overruns its ES_Descriptor");
    }
    need(esds, at[0], 13);
    int objectType = u8(at[0]);
    if (objectType != 0x40 && objectType != 0x66 && objectType != 0x67 && objectType != 0x68) {
      throw new Mp4UnsupportedException(
          String.format(
              "the audio in 'mp4a' is not AAC (objectTypeIndication 0x%02x%s)",
              objectType, objectType == 0x69 || objectType == 0x6B ? ", MP3" : ""));
    }
    at[0] += 13;
    int asLen = descriptor(esds, at, 0x05);
    if (asLen < 2 || at[0] + asLen > dcEnd) {
      throw error(esds.offset, "esds AudioSpecificConfig is missing or too short");
    }
    int b0 = u8(at[0]);
    int b1 = u8(at[0] + 1);
    int aot = b0 >> 3;
    int freqIndex = ((b0 & 7) << 1) | (b1 >> 7);
    int channels = (b1 >> 3) & 0xF;
    if (objectType != 0x40) {
      aot = objectType - 0x65; // MPEG-2 AAC Main, LC, SSR: 0x66..0x68 → 1..3
    }
    if (aot < 1 || aot > 4) {
      throw new Mp4UnsupportedException(
          "AAC audio object type " + aot + " (HE-AAC or other) has no ADTS form; AAC-LC is needed");
    }
    if (freqIndex > 12) {
      throw new Mp4UnsupportedException("AAC with an explicit sampling frequency is not supported");
    }
    if (channels < 1 || channels > 7) {
      throw new Mp4UnsupportedException(
          "AAC channel configuration " + channels + " is not supported");
    }
    return new AacConfig(aot, freqIndex, channels);
  }

  /** Reads a descriptor's tag and expandable length at {@code at[0]}; leaves it at the body. */
  private int descriptor(Box esds, int[] at, int tag) throws Mp4FormatException {
    need(esds, at[0], 1);
    if (u8(at[0]) != tag) {
      throw error(esds.offset, String.format("esds: expected descriptor tag 0x%02x", tag));
    }
    at[0]++;
    int len = 0;
    for (int i = 0; i < 4; i++) {
      need(esds, at[0], 1);
      int b = u8(at[0]++);
      len = (len << 7) | (b & 0x7F);
      if ((b & 0x80) == 0) {
        break;
      }
    }
    need(esds, at[0], len);
    return len;
  }

  // ---- edit list

  /**
   * The track's edit as {@code {mediaTime, emptyDelay}} in the track's timescale: the media time
   * shown first, and how long the presentation waits before it (an empty edit). No edit list is
   * {@code {0, 0}}.
   */
  private long[] edit(Box trak, int timescale) throws Mp4FormatException, Mp4UnsupportedException {
    Optional<Box> edts = child(trak, "edts");
    if (edts.isEmpty()) {
      return new long[] {0, 0};
    }
    Optional<Box> elst = child(edts.get(), "elst");
    if (elst.isEmpty()) {
      return new long[] {0, 0};
    }
    Box b = elst.get();
    need(b, b.body, 8);
    int version = u8(b.body);
    long count = u32(b.body + 4);
    int entryBytes = version == 1 ? 20 : 12;
    if (count > 16) {
      throw new Mp4UnsupportedException("an edit list of " + count + " entries is not supported");
    }
    need(b, b.body + 8, (int) count * entryBytes);
    long delay = 0;
    Long mediaTime = null;
    for (int i = 0; i < count; i++) {
      int at = b.body + 8 + i * entryBytes;
      long duration = version == 1 ? moov.getLong(at) : u32(at);
      long time = version == 1 ? moov.getLong(at + 8) : moov.getInt(at + 4);
      int rate = moov.getInt(at + entryBytes - 4);
      if (time == -1) {
        if (mediaTime != null || i > 0) {
          throw new Mp4UnsupportedException("an edit list with an empty edit after others");
        }
        if (duration < 0 || duration > (1L << 40)) {
          throw error(b.offset, "empty edit of duration " + duration);
        }
        delay = duration * timescale / movieTimescale;
        continue;
      }
      if (mediaTime != null) {
        // FFmpeg writes a second edit only for odd inputs; several real edits mean cuts.
        throw new Mp4UnsupportedException("an edit list with more than one edit is not supported");
      }
      if (rate != 0x10000) {
        throw new Mp4UnsupportedException("an edit at a rate other than 1 is not supported");
      }
      if (time < 0 || time > (1L << 40)) {
        throw error(b.offset, "edit media_time " + time + " out of range");
      }
      mediaTime = time;
    }
    return new long[] {mediaTime == null ? 0 : mediaTime, delay};
  }

  // ---- sample tables

  /**
   * @param shift what is subtracted from media times to put them on the presentation timeline: the
   *     edit's media_time less any empty edit before it
   */
  private SampleTable samples(Box stbl, int timescale, long shift, boolean video)
      throws Mp4FormatException, Mp4UnsupportedException {
    String kind = video ? "video" : "audio";
    // stsz / stz2: the sample count and sizes.
    int[] sizes;
    Optional<Box> stszBox = child(stbl, "stsz");
    if (stszBox.isPresent()) {
      Box b = stszBox.get();
      need(b, b.body, 12);
      long fixed = u32(b.body + 4);
      long count = checkCount(b, u32(b.body + 8), kind);
      sizes = new int[(int) count];
      if (fixed != 0) {
        if (fixed > MAX_SAMPLE_BYTES || fixed * count > fileSize) {
          throw error(b.offset, count + " samples of " + fixed + " bytes do not fit the file");
        }
        java.util.Arrays.fill(sizes, (int) fixed);
      } else {
        need(b, b.body + 12, (int) count * 4);
        for (int i = 0; i < count; i++) {
          sizes[i] = sampleSize(b, u32(b.body + 12 + 4 * i));
        }
      }
    } else {
      Box b = child(stbl, "stz2").orElseThrow(() -> error(stbl.offset, "stbl has no stsz or stz2"));
      need(b, b.body, 12);
      int field = u8(b.body + 7);
      long count = checkCount(b, u32(b.body + 8), kind);
      if (field != 4 && field != 8 && field != 16) {
        throw error(b.offset, "stz2 field size " + field);
      }
      need(b, b.body + 12, (int) ((count * field + 7) / 8));
      sizes = new int[(int) count];
      for (int i = 0; i < count; i++) {
        long v =
            switch (field) {
              case 4 -> (u8(b.body + 12 + i / 2) >> (i % 2 == 0 ? 4 : 0)) & 0xF;
              case 8 -> u8(b.body + 12 + i);
              default -> u16(b.body + 12 + 2 * i);
            };
        sizes[i] = sampleSize(b, v);
      }
    }
    int n = sizes.length;
    long total = 0;
    for (int s : sizes) {
      total += s;
    }
    if (total > fileSize) {
      throw error(stbl.offset, "the " + kind + " samples add up to more bytes than the file has");
    }

    // stts: decoding times.
    long[] dts = new long[n];
    long endDts;
    {
      Box b = required(stbl, "stts");
      need(b, b.body, 8);
      long entries = u32(b.body + 4);
      need(b, b.body + 8, (int) Math.min(entries * 8, Integer.MAX_VALUE));
      long t = 0;
      int i = 0;
      long lastDelta = 0;
      for (int e = 0; e < entries; e++) {
        long count = u32(b.body + 8 + 8 * e);
        long delta = u32(b.body + 12 + 8 * e);
        if (count > n - i) {
          throw error(b.offset, "stts covers more samples than stsz has (" + n + ")");
        }
        if (delta > Integer.MAX_VALUE) {
          throw error(b.offset, "stts delta " + delta);
        }
        for (long k = 0; k < count; k++) {
          dts[i++] = t;
          t += delta;
        }
        if (count > 0) {
          lastDelta = delta;
        }
      }
      if (i != n) {
        throw error(b.offset, "stts covers " + i + " samples, stsz has " + n);
      }
      endDts = t;
      if (n > 0 && lastDelta == 0 && n > 1) {
        // A last delta of 0 (some muxers) would make the last frame last nothing: use the one
        // before it.
        endDts = t + (dts[n - 1] - dts[n - 2]);
      }
    }

    // ctts: composition offsets.
    int[] cts = null;
    Optional<Box> cttsBox = child(stbl, "ctts");
    if (cttsBox.isPresent()) {
      Box b = cttsBox.get();
      need(b, b.body, 8);
      long entries = u32(b.body + 4);
      need(b, b.body + 8, (int) Math.min(entries * 8, Integer.MAX_VALUE));
      cts = new int[n];
      int i = 0;
      for (int e = 0; e < entries; e++) {
        long count = u32(b.body + 8 + 8 * e);
        int offset = moov.getInt(b.body + 12 + 8 * e); // signed in version 1; FFmpeg's are small
        if (count > n - i) {
          throw error(b.offset, "ctts covers more samples than stsz has (" + n + ")");
        }
        // PTS − DTS beyond a minute is no B-frame reordering: garbage, and more than a TS's
        // 2^32-tick PTS/DTS distance at small timescales.
        if (Math.abs((long) offset) > 60L * timescale) {
          throw error(b.offset, "ctts offset " + offset + " is more than a minute");
        }
        for (long k = 0; k < count; k++) {
          cts[i++] = offset;
        }
      }
      if (i != n) {
        throw error(b.offset, "ctts covers " + i + " samples, stsz has " + n);
      }
    }

    // stss: sync samples (1-based numbers).
    BitSet sync = null;
    Optional<Box> stssBox = child(stbl, "stss");
    if (stssBox.isPresent()) {
      Box b = stssBox.get();
      need(b, b.body, 8);
      long entries = u32(b.body + 4);
      need(b, b.body + 8, (int) Math.min(entries * 4, Integer.MAX_VALUE));
      sync = new BitSet(n);
      for (int e = 0; e < entries; e++) {
        long number = u32(b.body + 8 + 4 * e);
        if (number < 1 || number > n) {
          throw error(b.offset, "stss names sample " + number + " of " + n);
        }
        sync.set((int) number - 1);
      }
    }

    // stco / co64 and stsc: where each sample lies.
    long[] chunkOffsets;
    Optional<Box> stco = child(stbl, "stco");
    if (stco.isPresent()) {
      Box b = stco.get();
      need(b, b.body, 8);
      long entries = checkCount(b, u32(b.body + 4), kind + " chunk");
      need(b, b.body + 8, (int) entries * 4);
      chunkOffsets = new long[(int) entries];
      for (int e = 0; e < entries; e++) {
        chunkOffsets[e] = u32(b.body + 8 + 4 * e);
      }
    } else {
      Box b = child(stbl, "co64").orElseThrow(() -> error(stbl.offset, "stbl has no stco/co64"));
      need(b, b.body, 8);
      long entries = checkCount(b, u32(b.body + 4), kind + " chunk");
      need(b, b.body + 8, (int) entries * 8);
      chunkOffsets = new long[(int) entries];
      for (int e = 0; e < entries; e++) {
        chunkOffsets[e] = moov.getLong(b.body + 8 + 8 * e);
      }
    }
    long[] offsets = new long[n];
    {
      Box b = required(stbl, "stsc");
      need(b, b.body, 8);
      long entries = u32(b.body + 4);
      need(b, b.body + 8, (int) Math.min(entries * 12, Integer.MAX_VALUE));
      int sample = 0;
      long prevFirst = 0;
      for (int e = 0; e < entries; e++) {
        long first = u32(b.body + 8 + 12 * e);
        long perChunk = u32(b.body + 12 + 12 * e);
        long nextFirst =
            e + 1 < entries ? u32(b.body + 8 + 12 * (e + 1)) : chunkOffsets.length + 1L;
        if (first <= prevFirst || first > chunkOffsets.length || nextFirst <= first) {
          throw error(b.offset, "stsc entry " + e + " has first_chunk " + first + " out of order");
        }
        if (nextFirst > chunkOffsets.length + 1L) {
          throw error(b.offset, "stsc names chunk " + nextFirst + " of " + chunkOffsets.length);
        }
        prevFirst = first;
        for (long c = first; c < nextFirst; c++) {
          if (perChunk > n - sample) {
            throw error(b.offset, "stsc assigns more samples than stsz has (" + n + ")");
          }
          long at = chunkOffsets[(int) c - 1];
          for (long k = 0; k < perChunk; k++) {
            int s = sizes[sample];
            if (at < 0 || at + s > fileSize) {
              throw error(b.offset, kind + " sample " + sample + " lies past the end of the file");
            }
            offsets[sample++] = at;
            at += s;
          }
        }
      }
      if (sample != n) {
        throw error(b.offset, "stsc assigns " + sample + " samples, stsz has " + n);
      }
    }

    // The edit list: media time media_time is shown at presentation time 0 (+ any empty edit).
    if (shift > endDts) {
      throw new Mp4UnsupportedException("the " + kind + " edit list starts after the track ends");
    }
    for (int i = 0; i < n; i++) {
      dts[i] -= shift;
    }
    endDts -= shift;
    return new SampleTable(timescale, offsets, sizes, dts, cts, sync, endDts);
  }

  private long checkCount(Box b, long count, String kind) throws Mp4FormatException {
    if (count > MAX_SAMPLES) {
      throw error(
          b.offset,
          "the " + kind + " track claims " + count + " entries, more than " + MAX_SAMPLES);
    }
    return count;
  }

  private int sampleSize(Box b, long size) throws Mp4FormatException {
    if (size > MAX_SAMPLE_BYTES) {
      throw error(b.offset, "a sample of " + size + " bytes, more than " + MAX_SAMPLE_BYTES);
    }
    return (int) size;
  }
}
