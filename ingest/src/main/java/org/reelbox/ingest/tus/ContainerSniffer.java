package org.reelbox.ingest.tus;

import static java.util.Objects.requireNonNull;

/**
 * Decides from an upload's first bytes whether it is a video container reelbox can process, so that
 * anything else is refused before the rest of it arrives. Pure: no I/O, no state.
 *
 * <p>Accepted, by their signatures:
 *
 * <ul>
 *   <li>MP4 / QuickTime MOV (ISO BMFF): a first box whose type is {@code ftyp}, or one of the
 *       classic QuickTime top-level atoms {@code moov mdat free wide skip}, with a plausible size
 *       (0 = to the end of the file, 1 = a 64-bit size follows, else at least 8);
 *   <li>Matroska / WebM: the EBML magic {@code 1A 45 DF A3};
 *   <li>MPEG-TS: the sync byte {@code 0x47} at offsets 0 and 188 (two 188-byte packets);
 *   <li>M2TS (Blu-ray BDAV): 192-byte packets, a 4-byte timestamp then {@code 0x47}: sync bytes at
 *       offsets 4 and 196.
 * </ul>
 *
 * <p>At most {@value #BYTES_NEEDED} bytes are needed. With fewer, the answer may be {@link
 * Verdict#needMore()}; when those are all the bytes there will ever be ({@code complete}), an
 * undecided answer becomes a rejection.
 */
public final class ContainerSniffer {
  /** The most leading bytes any decision needs: the second M2TS sync byte, at offset 196. */
  public static final int BYTES_NEEDED = 197;

  private static final String[] MP4_FIRST_BOXES = {"ftyp", "moov", "mdat", "free", "wide", "skip"};
  private static final byte[] EBML_MAGIC = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};
  private static final int TS_SYNC = 0x47;
  private static final int TS_PACKET = 188;
  private static final int M2TS_PACKET = 192;

  private ContainerSniffer() {}

  /** What the bytes were recognized as. */
  public enum Container {
    MP4("mp4"),
    MOV("mov"),
    MATROSKA("matroska"),
    MPEG_TS("mpeg-ts"),
    M2TS("m2ts");

    private final String wireName;

    Container(String wireName) {
      this.wireName = wireName;
    }

    /** A short lower-case name, as recorded with the upload. */
    public String wireName() {
      return wireName;
    }
  }

  /** The outcome of a sniff. */
  public enum Outcome {
    ACCEPT,
    REJECT,
    NEED_MORE
  }

  /**
   * @param outcome accept, reject, or undecided
   * @param container what was recognized, when accepted; else null
   */
  public record Verdict(Outcome outcome, Container container) {
    public Verdict {
      requireNonNull(outcome, "outcome");
      if ((outcome == Outcome.ACCEPT) != (container != null)) {
        throw new IllegalArgumentException("a container goes with ACCEPT only");
      }
    }

    public static Verdict accept(Container container) {
      return new Verdict(Outcome.ACCEPT, requireNonNull(container, "container"));
    }

    public static Verdict reject() {
      return new Verdict(Outcome.REJECT, null);
    }

    public static Verdict needMore() {
      return new Verdict(Outcome.NEED_MORE, null);
    }
  }

  private enum Match {
    YES,
    NO,
    MAYBE
  }

  /**
   * Sniffs the first {@code length} bytes of {@code head}.
   *
   * @param complete whether these are all the bytes of the upload
   */
  public static Verdict sniff(byte[] head, int length, boolean complete) {
    requireNonNull(head, "head");
    if (length < 0 || length > head.length) {
      throw new IllegalArgumentException("length must be 0.." + head.length + ", got " + length);
    }
    boolean undecided = false;
    Match ebml = prefix(head, length, 0, EBML_MAGIC);
    if (ebml == Match.YES) {
      return Verdict.accept(Container.MATROSKA);
    }
    undecided |= ebml == Match.MAYBE;

    Container mp4 = null;
    for (String box : MP4_FIRST_BOXES) {
      Match m = isoBox(head, length, box);
      if (m == Match.YES) {
        mp4 = box.equals("ftyp") ? ftypContainer(head, length) : Container.MOV;
        break;
      }
      undecided |= m == Match.MAYBE;
    }
    if (mp4 != null) {
      return Verdict.accept(mp4);
    }

    Match ts = syncBytes(head, length, 0, TS_PACKET);
    if (ts == Match.YES) {
      return Verdict.accept(Container.MPEG_TS);
    }
    undecided |= ts == Match.MAYBE;

    Match m2ts = syncBytes(head, length, 4, M2TS_PACKET);
    if (m2ts == Match.YES) {
      return Verdict.accept(Container.M2TS);
    }
    undecided |= m2ts == Match.MAYBE;

    return undecided && !complete ? Verdict.needMore() : Verdict.reject();
  }

  /** Whether the bytes at {@code at} are {@code expected}, as far as they go. */
  private static Match prefix(byte[] head, int length, int at, byte[] expected) {
    for (int i = 0; i < expected.length; i++) {
      if (at + i >= length) {
        return Match.MAYBE;
      }
      if (head[at + i] != expected[i]) {
        return Match.NO;
      }
    }
    return Match.YES;
  }

  /** An ISO BMFF box header: a 32-bit big-endian size, then a four-character type. */
  private static Match isoBox(byte[] head, int length, String type) {
    if (length >= 4) {
      long size =
          ((head[0] & 0xffL) << 24)
              | ((head[1] & 0xff) << 16)
              | ((head[2] & 0xff) << 8)
              | (head[3] & 0xff);
      // 0: the box runs to the end of the file; 1: a 64-bit size follows the type.
      if (size > 1 && size < 8) {
        return Match.NO;
      }
    }
    byte[] expected = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return prefix(head, length, 4, expected);
  }

  /** An {@code ftyp} box whose major brand is {@code qt } is QuickTime; any other is MP4. */
  private static Container ftypContainer(byte[] head, int length) {
    boolean quickTime =
        length >= 12 && head[8] == 'q' && head[9] == 't' && head[10] == ' ' && head[11] == ' ';
    return quickTime ? Container.MOV : Container.MP4;
  }

  /** Sync bytes at {@code first} and {@code first + packet}. */
  private static Match syncBytes(byte[] head, int length, int first, int packet) {
    if (length <= first) {
      return Match.MAYBE;
    }
    if ((head[first] & 0xff) != TS_SYNC) {
      return Match.NO;
    }
    int second = first + packet;
    if (length <= second) {
      return Match.MAYBE;
    }
    return (head[second] & 0xff) == TS_SYNC ? Match.YES : Match.NO;
  }
}
