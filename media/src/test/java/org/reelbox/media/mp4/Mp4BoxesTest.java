package org.reelbox.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4BoxesTest {
  @TempDir Path dir;

  static byte[] box(String type, byte[]... children) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] c : children) {
      body.writeBytes(c);
    }
    ByteBuffer b = ByteBuffer.allocate(8 + body.size());
    b.putInt(8 + body.size()).put(type.getBytes(StandardCharsets.ISO_8859_1));
    b.put(body.toByteArray());
    return b.array();
  }

  static byte[] table(String type, int claimedEntries, int actualBytes) {
    ByteBuffer b = ByteBuffer.allocate(8 + actualBytes);
    b.putInt(0).putInt(claimedEntries);
    return box(type, b.array());
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] movie(byte[] stblChild) {
    return concat(
        box("ftyp", "isom".getBytes(StandardCharsets.ISO_8859_1), new byte[4]),
        box("moov", box("trak", box("mdia", box("minf", box("stbl", stblChild))))),
        box("mdat", new byte[100]));
  }

  private Mp4Boxes.Layout check(byte[] file) throws Exception {
    Path p = Files.write(dir.resolve("f.mp4"), file);
    try (SeekableByteChannel ch = Files.newByteChannel(p)) {
      return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Mp4Boxes.check(ch));
    }
  }

  @Test
  void check_wellFormedMovie_findsMoov() throws Exception {
    byte[] file = movie(table("stts", 2, 16));

    Mp4Boxes.Layout layout = check(file);

    assertThat(layout.sizeBytes()).isEqualTo(file.length);
    assertThat(layout.moovOffset()).isEqualTo(16);
    assertThat(layout.boxCount()).isEqualTo(8);
    assertThat(layout.fragmented()).isFalse();
    assertThat(ContainerFormat.sniff(file, file.length)).isEqualTo(ContainerFormat.MP4);
  }

  @Test
  void check_emptyFile_isRefused() {
    assertThatThrownBy(() -> check(new byte[0]))
        .isInstanceOf(Mp4FormatException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void check_randomBytes_isRefusedQuickly() {
    byte[] random = new byte[64 * 1024];
    new Random(7).nextBytes(random);

    assertThatThrownBy(() -> check(random)).isInstanceOf(Mp4FormatException.class);
    assertThat(ContainerFormat.sniff(random, random.length)).isEqualTo(ContainerFormat.UNKNOWN);
  }

  @Test
  void check_truncatedBeforeMoov_isRefused() {
    byte[] file =
        concat(box("ftyp", new byte[8]), box("mdat", new byte[1000]), box("moov", new byte[50]));
    byte[] cut = java.util.Arrays.copyOf(file, 16 + 1008);

    assertThatThrownBy(() -> check(cut))
        .isInstanceOf(Mp4FormatException.class)
        .hasMessageContaining("no moov");
  }

  @Test
  void check_mdatCutShort_sizePastTheEnd() {
    byte[] file = concat(box("ftyp", new byte[8]), box("mdat", new byte[1000]));
    byte[] cut = java.util.Arrays.copyOf(file, 500);

    assertThatThrownBy(() -> check(cut))
        .isInstanceOf(Mp4FormatException.class)
        .hasMessageContaining("past the end of the file");
  }

  @Test
  void check_hugeSizeField_isRefusedWithoutAllocating() {
    byte[] moov = box("moov", new byte[32]);
    ByteBuffer.wrap(moov).putInt(0, 0x7FFF_FFF0);

    assertThatThrownBy(() -> check(concat(box("ftyp", new byte[8]), moov)))
        .isInstanceOf(Mp4FormatException.class)
        .hasMessageContaining("'moov' claims 2147483632 bytes");
  }

  @Test
  void check_64BitSize_isRead() throws Exception {
    ByteBuffer mdat = ByteBuffer.allocate(16 + 40);
    mdat.putInt(1).put("mdat".getBytes(StandardCharsets.ISO_8859_1)).putLong(56);
    byte[] file = concat(box("ftyp", new byte[8]), mdat.array(), box("moov", box("free")));

    assertThat(check(file).moovOffset()).isEqualTo(16 + 56);

    ByteBuffer.wrap(file).putLong(16 + 8, 1L << 40);
    assertThatThrownBy(() -> check(file)).hasMessageContaining("past the end");
  }

  @Test
  void check_sizeZero_meansToTheEndAtTopLevelOnly() throws Exception {
    byte[] mdat = box("mdat", new byte[30]);
    ByteBuffer.wrap(mdat).putInt(0, 0);
    assertThat(check(concat(box("moov", box("free")), mdat)).boxCount()).isEqualTo(3);

    byte[] inner = box("trak", new byte[8]);
    ByteBuffer.wrap(inner).putInt(0, 0);
    assertThatThrownBy(() -> check(box("moov", inner))).hasMessageContaining("size 0");
  }

  @Test
  void check_tableClaimingMoreEntriesThanItHolds_isRefused() {
    // stsz: version and flags, sample_size 0 (a table follows), sample_count 1000, no table.
    byte[] stsz = box("stsz", ByteBuffer.allocate(12).putInt(0).putInt(0).putInt(1000).array());
    assertThatThrownBy(() -> check(movie(stsz))).hasMessageContaining("'stsz' claims 1000 entries");
    assertThatThrownBy(() -> check(movie(table("stco", 1_000_000_000, 16))))
        .isInstanceOf(Mp4FormatException.class)
        .hasMessageContaining("'stco' claims 1000000000 entries");
  }

  @Test
  void check_deepNesting_isRefused() {
    byte[] b = box("moov", new byte[0]);
    for (int i = 0; i < 20; i++) {
      b = box("trak", b);
    }
    byte[] deep = box("moov", b);

    assertThatThrownBy(() -> check(deep)).hasMessageContaining("nested more than");
  }

  @Test
  void check_twoMoovBoxes_isRefused() {
    assertThatThrownBy(() -> check(concat(box("moov", box("free")), box("moov", box("free")))))
        .hasMessageContaining("second moov");
  }

  @Test
  void sniff_otherContainers() throws IOException {
    byte[] mkv = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 0, 0, 0, 0};
    assertThat(ContainerFormat.sniff(mkv, mkv.length)).isEqualTo(ContainerFormat.MATROSKA);
    byte[] ts = new byte[400];
    ts[0] = 0x47;
    ts[188] = 0x47;
    assertThat(ContainerFormat.sniff(ts, ts.length)).isEqualTo(ContainerFormat.MPEG_TS);
    assertThat(ContainerFormat.sniff(new byte[0], 0)).isEqualTo(ContainerFormat.UNKNOWN);
  }
}
