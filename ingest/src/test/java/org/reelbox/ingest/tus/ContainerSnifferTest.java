package org.reelbox.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reelbox.ingest.tus.ContainerSniffer.Container;
import org.reelbox.ingest.tus.ContainerSniffer.Outcome;

class ContainerSnifferTest {

  static Stream<Arguments> table() {
    return Stream.of(
        // name, bytes, complete, outcome, container
        row("mp4 ftyp isom", box(24, "ftyp", "isom"), false, Outcome.ACCEPT, Container.MP4),
        row("mov ftyp qt", box(20, "ftyp", "qt  "), false, Outcome.ACCEPT, Container.MOV),
        row("mov moov first", box(1000, "moov", ""), false, Outcome.ACCEPT, Container.MOV),
        row("mov mdat first", box(1000, "mdat", ""), false, Outcome.ACCEPT, Container.MOV),
        row("mov free first", box(8, "free", ""), false, Outcome.ACCEPT, Container.MOV),
        row("mov wide first", box(8, "wide", ""), false, Outcome.ACCEPT, Container.MOV),
        row("mov skip first", box(16, "skip", ""), false, Outcome.ACCEPT, Container.MOV),
        row("mp4 size 0 (to end)", box(0, "ftyp", "mp42"), false, Outcome.ACCEPT, Container.MP4),
        row("mp4 size 1 (64-bit)", box(1, "mdat", ""), false, Outcome.ACCEPT, Container.MOV),
        row("mp4 impossible size 4", box(4, "ftyp", "isom"), true, Outcome.REJECT, null),
        row("mp4 unknown box", box(24, "abcd", ""), true, Outcome.REJECT, null),
        row(
            "matroska",
            bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F),
            false,
            Outcome.ACCEPT,
            Container.MATROSKA),
        row("matroska 3 bytes", bytes(0x1A, 0x45, 0xDF), false, Outcome.NEED_MORE, null),
        row("matroska 3 bytes, complete", bytes(0x1A, 0x45, 0xDF), true, Outcome.REJECT, null),
        row("mpeg-ts", ts(188, 0, 2), false, Outcome.ACCEPT, Container.MPEG_TS),
        row("mpeg-ts one packet so far", ts(188, 0, 1), false, Outcome.NEED_MORE, null),
        row("mpeg-ts one packet, complete", ts(188, 0, 1), true, Outcome.REJECT, null),
        row("mpeg-ts bad second sync", broken(ts(188, 0, 2), 188), false, Outcome.REJECT, null),
        row("m2ts", ts(192, 4, 2), false, Outcome.ACCEPT, Container.M2TS),
        row("m2ts bad second sync", broken(ts(192, 4, 2), 196), false, Outcome.REJECT, null),
        row("empty", new byte[0], false, Outcome.NEED_MORE, null),
        row("empty, complete", new byte[0], true, Outcome.REJECT, null),
        row("text", ascii("hello, this is not a video at all"), false, Outcome.REJECT, null),
        row("html", ascii("<!DOCTYPE html><html>"), false, Outcome.REJECT, null),
        row("text starting with G", ascii("GET / HTTP/1.1"), false, Outcome.NEED_MORE, null),
        row("text starting with G, complete", ascii("GET / HTTP/1.1"), true, Outcome.REJECT, null),
        row("png", bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A), false, Outcome.REJECT, null),
        row("zip", bytes('P', 'K', 3, 4, 20, 0, 0, 0), false, Outcome.REJECT, null),
        row(
            "4 bytes of ftyp box",
            Arrays.copyOf(box(24, "ftyp", "isom"), 6),
            false,
            Outcome.NEED_MORE,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void sniff_table(String name, byte[] bytes, boolean complete, Outcome outcome, Container c) {
    ContainerSniffer.Verdict verdict = ContainerSniffer.sniff(bytes, bytes.length, complete);

    assertThat(verdict.outcome()).as(name).isEqualTo(outcome);
    assertThat(verdict.container()).as(name).isEqualTo(c);
  }

  @Test
  void sniff_neverNeedsMoreThanBytesNeeded() {
    byte[] zeros = new byte[ContainerSniffer.BYTES_NEEDED];

    assertThat(ContainerSniffer.sniff(zeros, zeros.length, false).outcome())
        .isEqualTo(Outcome.REJECT);
  }

  @Test
  void sniff_lengthShorterThanArray_looksOnlyAtLength() {
    byte[] ts = ts(188, 0, 2);

    assertThat(ContainerSniffer.sniff(ts, 100, false).outcome()).isEqualTo(Outcome.NEED_MORE);
  }

  private static Arguments row(
      String name, byte[] bytes, boolean complete, Outcome outcome, Container container) {
    return Arguments.of(name, bytes, complete, outcome, container);
  }

  private static byte[] box(long size, String type, String brand) {
    byte[] b = new byte[Math.max(12, 8 + brand.length())];
    b[0] = (byte) (size >>> 24);
    b[1] = (byte) (size >>> 16);
    b[2] = (byte) (size >>> 8);
    b[3] = (byte) size;
    System.arraycopy(ascii(type), 0, b, 4, 4);
    System.arraycopy(ascii(brand), 0, b, 8, brand.length());
    return b;
  }

  /** {@code packets} packets of {@code size} bytes, the sync byte at {@code syncAt} in each. */
  private static byte[] ts(int size, int syncAt, int packets) {
    byte[] b = new byte[size * packets];
    for (int p = 0; p < packets; p++) {
      b[p * size + syncAt] = 0x47;
    }
    return b;
  }

  private static byte[] broken(byte[] b, int at) {
    b[at] = 0x48;
    return b;
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
