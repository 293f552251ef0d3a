package org.reelbox.media.hls;

import static org.reelbox.media.hls.Checks.checkArgument;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads RFC 8216 playlists: everything {@link PlaylistWriter} writes (a parse of a write gives an
 * equal playlist), and the playlists of FFmpeg's hls muxer.
 *
 * <p><b>Strict</b> where a playlist is malformed, with a {@link PlaylistParseException} that names
 * the line: no {@code #EXTM3U} first line, or a byte order mark (§4.1); a bad attribute-list —
 * lowercase or empty names, unterminated quotes, a trailing comma, an attribute twice (§4.2); an
 * attribute in the wrong syntax, e.g. an unquoted {@code CODECS} or a quoted {@code BANDWIDTH}; a
 * missing required tag or attribute; an {@code EXTINF} or {@code EXT-X-STREAM-INF} with no URI line
 * after it, or a URI line with no {@code EXTINF} before it; a duration that exceeds the target
 * duration once rounded (§4.3.3.1); a tag too new for the declared {@code EXT-X-VERSION} (§7); a
 * media playlist tag in a master playlist or the reverse (§4.3.4); a playlist tag twice (§4.3.3,
 * §4.3.5).
 *
 * <p><b>Tolerant</b> as RFC 8216 §6.3.1 requires of clients: unknown tags and unknown attributes
 * are ignored, and so are comments and blank lines. Known tags that this model does not hold and
 * whose loss does not change how the segments play are ignored too: {@code
 * EXT-X-PROGRAM-DATE-TIME}, {@code EXT-X-DATERANGE}, {@code EXT-X-DISCONTINUITY-SEQUENCE}, {@code
 * EXT-X-START}, {@code EXT-X-SESSION-DATA}, {@code EXT-X-SESSION-KEY}, and FFmpeg's {@code
 * EXT-X-ALLOW-CACHE} (removed in protocol version 7); so are attributes such as {@code CHANNELS},
 * {@code CLOSED-CAPTIONS}, {@code HDCP-LEVEL} and {@code PROGRAM-ID}. Lines may end in CRLF; spaces
 * after a codec's comma are trimmed.
 *
 * <p><b>Unsupported</b>, and rejected rather than silently dropped because the result would not
 * play the same: {@code EXT-X-MAP} (fMP4 initialization sections), keys other than {@code AES-128}
 * with the identity key format, keys that change between segments (rotation), and {@code VIDEO} or
 * {@code CLOSED-CAPTIONS} renditions.
 *
 * <p>Normalized, so the model holds one form of each meaning: a byte range without an offset gets
 * the offset it implies (§4.3.2.2); FFmpeg's key before every segment whose IV is that segment's
 * media sequence number becomes one key without an IV, which means the same (§4.3.2.4); a {@code
 * DEFAULT=YES} rendition with no {@code AUTOSELECT} (as FFmpeg writes it) becomes {@code
 * AUTOSELECT=YES}; the target duration is recomputed from the segments ({@link
 * MediaPlaylist#targetDurationSeconds()}).
 */
public final class PlaylistParser {

  private static final long US_PER_SECOND = 1_000_000L;
  private static final Pattern DURATION = Pattern.compile("[0-9]+(\\.[0-9]*)?");
  private static final Pattern BYTE_RANGE = Pattern.compile("([0-9]+)(?:@([0-9]+))?");

  private PlaylistParser() {}

  /** Parses a media or a master playlist. */
  public static Playlist parse(String text) throws PlaylistParseException {
    return new Parsing(text).run(/* expected= */ null);
  }

  /** Parses a media playlist; a master playlist is an error. */
  public static MediaPlaylist parseMedia(String text) throws PlaylistParseException {
    return (MediaPlaylist) new Parsing(text).run(Kind.MEDIA);
  }

  /** Parses a master playlist; a media playlist is an error. */
  public static MasterPlaylist parseMaster(String text) throws PlaylistParseException {
    return (MasterPlaylist) new Parsing(text).run(Kind.MASTER);
  }

  private enum Kind {
    MEDIA,
    MASTER;

    String title() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The state of one parse. */
  private static final class Parsing {
    private final String[] lines;
    private int lineNumber;
    private int lastContentLine = 1;
    private Kind kind;
    private int kindLine;
    private final Set<String> tagsSeen = new HashSet<>();
    private int version = 1;
    private boolean independentSegments;

    // Media playlist.
    private long targetDurationSeconds = -1;
    private long mediaSequence;
    private Optional<PlaylistType> playlistType = Optional.empty();
    private boolean iFramesOnly;
    private boolean endList;
    private final List<Segment> segments = new ArrayList<>();
    private final List<Integer> segmentLines = new ArrayList<>();
    private final List<EncryptionKey> segmentKeys = new ArrayList<>();
    private final List<Integer> segmentKeyLines = new ArrayList<>();
    private EncryptionKey currentKey; // null: clear segments
    private int currentKeyLine;

    // The tags of the segment whose URI line has not come yet; a line of 0 means none.
    private int pendingExtinfLine;
    private long pendingDurationUs;
    private String pendingTitle = "";
    private int pendingByteRangeLine;
    private long pendingByteRangeLength;
    private long pendingByteRangeOffset = -1;
    private int pendingDiscontinuityLine;

    // The first line using a feature that needs a higher version (RFC 8216 §7); 0 when unused.
    private int byteRangeLine;
    private int iFramesOnlyLine;
    private int fractionalDurationLine;
    private int ivLine;

    // Master playlist.
    private final List<Rendition> renditions = new ArrayList<>();
    private final List<Variant> variants = new ArrayList<>();
    private final List<Integer> variantLines = new ArrayList<>();
    private final List<IFrameVariant> iFrameVariants = new ArrayList<>();
    private AttributeList pendingStreamInf;
    private int pendingStreamInfLine;

    Parsing(String text) {
      this.lines = Objects.requireNonNull(text, "text").split("\n", -1);
    }

    Playlist run(Kind expected) throws PlaylistParseException {
      String first = stripCarriageReturn(lines[0]);
      if (first.startsWith("\uFEFF")) {
        throw new PlaylistParseException(1, "byte order mark before #EXTM3U (RFC 8216 §4.1)");
      }
      if (!first.stripTrailing().equals("#EXTM3U")) {
        throw new PlaylistParseException(
            1, "the first line must be #EXTM3U (RFC 8216 §4.3.1.1), found '" + first + "'");
      }
      for (int i = 1; i < lines.length; i++) {
        lineNumber = i + 1;
        String line = stripCarriageReturn(lines[i]);
        if (line.isBlank()) {
          continue;
        }
        lastContentLine = lineNumber;
        try {
          if (line.startsWith("#EXT")) {
            tag(line);
          } else if (!line.startsWith("#")) { // other lines starting with '#' are comments
            uri(line.strip());
          }
        } catch (IllegalArgumentException e) {
          throw new PlaylistParseException(lineNumber, e.getMessage(), e);
        }
      }
      Kind actual = kind != null ? kind : expected != null ? expected : Kind.MEDIA;
      if (expected != null && actual != expected) {
        throw new PlaylistParseException(
            kindLine,
            "expected a "
                + expected.title()
                + " playlist, but this is a "
                + actual.title()
                + " one");
      }
      return actual == Kind.MEDIA ? finishMedia() : finishMaster();
    }

    private static String stripCarriageReturn(String line) {
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private void tag(String line) throws PlaylistParseException {
      int colon = line.indexOf(':');
      String name = (colon < 0 ? line : line.substring(0, colon)).strip();
      String value = colon < 0 ? null : line.substring(colon + 1);
      switch (name) {
        case "#EXTM3U" -> throw new IllegalArgumentException("#EXTM3U must be the first line only");
        case "#EXT-X-VERSION" -> {
          once(name);
          long declared = AttributeList.parseDecimalInteger(name, required(name, value).strip());
          checkArgument(
              declared >= 1 && declared <= Integer.MAX_VALUE, "bad EXT-X-VERSION: %s", declared);
          version = (int) declared;
        }
        case "#EXT-X-INDEPENDENT-SEGMENTS" -> {
          once(name);
          noValue(name, value);
          independentSegments = true;
        }
        case "#EXTINF" -> {
          kind(Kind.MEDIA, name);
          extinf(required(name, value));
        }
        case "#EXT-X-BYTERANGE" -> {
          kind(Kind.MEDIA, name);
          byteRange(required(name, value).strip());
        }
        case "#EXT-X-DISCONTINUITY" -> {
          kind(Kind.MEDIA, name);
          noValue(name, value);
          pendingDiscontinuityLine = lineNumber;
        }
        case "#EXT-X-KEY" -> {
          kind(Kind.MEDIA, name);
          key(AttributeList.parse(required(name, value).strip()));
        }
        case "#EXT-X-MAP" -> {
          kind(Kind.MEDIA, name);
          throw new IllegalArgumentException(
              "EXT-X-MAP (fMP4 initialization sections) is not supported");
        }
        case "#EXT-X-TARGETDURATION" -> {
          kind(Kind.MEDIA, name);
          once(name);
          targetDurationSeconds =
              AttributeList.parseDecimalInteger(name, required(name, value).strip());
        }
        case "#EXT-X-MEDIA-SEQUENCE" -> {
          kind(Kind.MEDIA, name);
          once(name);
          checkArgument(
              segments.isEmpty() && pendingExtinfLine == 0,
              "EXT-X-MEDIA-SEQUENCE must appear before the first media segment (RFC 8216"
                  + " §4.3.3.2)");
          mediaSequence = AttributeList.parseDecimalInteger(name, required(name, value).strip());
        }
        case "#EXT-X-PLAYLIST-TYPE" -> {
          kind(Kind.MEDIA, name);
          once(name);
          String type = required(name, value).strip();
          checkArgument(
              type.equals("VOD") || type.equals("EVENT"),
              "EXT-X-PLAYLIST-TYPE must be VOD or EVENT: %s",
              type);
          playlistType = Optional.of(PlaylistType.valueOf(type));
        }
        case "#EXT-X-I-FRAMES-ONLY" -> {
          kind(Kind.MEDIA, name);
          once(name);
          noValue(name, value);
          iFramesOnly = true;
          iFramesOnlyLine = lineNumber;
        }
        case "#EXT-X-ENDLIST" -> {
          kind(Kind.MEDIA, name);
          once(name);
          noValue(name, value);
          endList = true;
        }
        case "#EXT-X-DISCONTINUITY-SEQUENCE" -> {
          kind(Kind.MEDIA, name);
          once(name);
          AttributeList.parseDecimalInteger(name, required(name, value).strip());
        }
        case "#EXT-X-PROGRAM-DATE-TIME", "#EXT-X-DATERANGE", "#EXT-X-ALLOW-CACHE" ->
            kind(Kind.MEDIA, name);
        case "#EXT-X-MEDIA" -> {
          kind(Kind.MASTER, name);
          rendition(AttributeList.parse(required(name, value).strip()));
        }
        case "#EXT-X-STREAM-INF" -> {
          kind(Kind.MASTER, name);
          if (pendingStreamInf != null) {
            throw noUri(pendingStreamInfLine, "EXT-X-STREAM-INF");
          }
          pendingStreamInf = AttributeList.parse(required(name, value).strip());
          pendingStreamInfLine = lineNumber;
          // Check the attributes now, so that their errors name this line.
          pendingStreamInf.requireDecimalInteger("BANDWIDTH");
        }
        case "#EXT-X-I-FRAME-STREAM-INF" -> {
          kind(Kind.MASTER, name);
          iFrameStreamInf(AttributeList.parse(required(name, value).strip()));
        }
        case "#EXT-X-SESSION-DATA", "#EXT-X-SESSION-KEY" -> kind(Kind.MASTER, name);
        default -> {
          // RFC 8216 §6.3.1: clients MUST ignore any tag they do not recognize.
        }
      }
    }

    private void kind(Kind tagKind, String tag) {
      if (kind == null) {
        kind = tagKind;
        kindLine = lineNumber;
      } else {
        // RFC 8216 §4.3.4: a playlist with both master and media playlist tags MUST fail to parse.
        checkArgument(
            kind == tagKind,
            "%s is a %s playlist tag, but line %s made this a %s playlist",
            tag,
            tagKind.title(),
            kindLine,
            kind.title());
      }
    }

    /** RFC 8216 §4.3.3 and §4.3.5: these tags MUST NOT appear more than once. */
    private void once(String tag) {
      checkArgument(tagsSeen.add(tag), "%s appears more than once", tag);
    }

    private static String required(String tag, String value) {
      checkArgument(value != null && !value.isBlank(), "%s needs a value", tag);
      return value;
    }

    private static void noValue(String tag, String value) {
      checkArgument(value == null, "%s takes no value: %s", tag, value);
    }

    private static PlaylistParseException noUri(int line, String tag) {
      return new PlaylistParseException(line, tag + " is not followed by a URI line");
    }

    private void extinf(String value) throws PlaylistParseException {
      if (pendingExtinfLine != 0) {
        throw noUri(pendingExtinfLine, "EXTINF");
      }
      int comma = value.indexOf(',');
      checkArgument(comma >= 0, "EXTINF needs a ',' after the duration: %s", value);
      pendingDurationUs = parseDurationUs(value.substring(0, comma).strip());
      pendingTitle = value.substring(comma + 1);
      pendingExtinfLine = lineNumber;
      if (pendingDurationUs % US_PER_SECOND != 0 && fractionalDurationLine == 0) {
        fractionalDurationLine = lineNumber;
      }
    }

    /**
     * An EXTINF duration, a decimal-integer or decimal-floating-point number of seconds (RFC 8216
     * §4.3.2.1), in microseconds; decimals past the sixth are rounded half up.
     */
    private static long parseDurationUs(String text) {
      checkArgument(
          DURATION.matcher(text).matches(),
          "EXTINF duration must be a non-negative decimal number: '%s'",
          text);
      try {
        return new BigDecimal(text)
            .movePointRight(6)
            .setScale(0, RoundingMode.HALF_UP)
            .longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("EXTINF duration is too large: " + text, e);
      }
    }

    private void byteRange(String value) {
      checkArgument(pendingByteRangeLine == 0, "a second EXT-X-BYTERANGE for one segment");
      Matcher matcher = BYTE_RANGE.matcher(value);
      checkArgument(matcher.matches(), "EXT-X-BYTERANGE must be <length>[@<offset>]: %s", value);
      pendingByteRangeLength = AttributeList.parseDecimalInteger("length", matcher.group(1));
      pendingByteRangeOffset =
          matcher.group(2) == null
              ? -1
              : AttributeList.parseDecimalInteger("offset", matcher.group(2));
      new ByteRange(pendingByteRangeLength, Math.max(0, pendingByteRangeOffset)); // checks it
      pendingByteRangeLine = lineNumber;
      if (byteRangeLine == 0) {
        byteRangeLine = lineNumber;
      }
    }

    private void key(AttributeList attributes) {
      String method = attributes.requireEnumeratedString("METHOD");
      switch (method) {
        case "NONE" -> {
          // RFC 8216 §4.3.2.4: with METHOD=NONE, other attributes MUST NOT be present.
          checkArgument(attributes.size() == 1, "METHOD=NONE allows no other attributes");
          currentKey = null;
        }
        case EncryptionKey.METHOD_AES_128 -> {
          attributes
              .quotedString("KEYFORMAT")
              .ifPresent(
                  format ->
                      checkArgument(
                          format.equals("identity"), "KEYFORMAT %s is not supported", format));
          Optional<BigInteger> iv = attributes.hexadecimalSequence("IV");
          if (iv.isPresent() && ivLine == 0) {
            ivLine = lineNumber;
          }
          currentKey = new EncryptionKey(attributes.requireQuotedString("URI"), iv);
        }
        case "SAMPLE-AES", "SAMPLE-AES-CTR" ->
            throw new IllegalArgumentException(
                "METHOD=" + method + " is not supported, only AES-128 and NONE");
        default -> throw new IllegalArgumentException("unknown EXT-X-KEY METHOD: " + method);
      }
      currentKeyLine = lineNumber;
    }

    private void uri(String uri) throws PlaylistParseException {
      if (kind == Kind.MASTER) {
        checkArgument(pendingStreamInf != null, "URI line without an EXT-X-STREAM-INF before it");
        Checks.checkUriLine("URI line", uri);
        try {
          variants.add(variant(pendingStreamInf, uri));
        } catch (IllegalArgumentException e) {
          throw new PlaylistParseException(pendingStreamInfLine, e.getMessage(), e);
        }
        variantLines.add(pendingStreamInfLine);
        pendingStreamInf = null;
        return;
      }
      kind(Kind.MEDIA, "a media segment");
      // RFC 8216 §4.3.2.1: the EXTINF tag is REQUIRED for each media segment.
      checkArgument(pendingExtinfLine != 0, "URI line without an EXTINF before it: %s", uri);
      Checks.checkUriLine("URI line", uri);
      Optional<ByteRange> range = Optional.empty();
      if (pendingByteRangeLine != 0) {
        long offset = pendingByteRangeOffset;
        if (offset < 0) {
          // RFC 8216 §4.3.2.2: with no offset, the sub-range starts after the previous segment's,
          // which MUST be a sub-range of the same resource.
          Segment previous = segments.isEmpty() ? null : segments.get(segments.size() - 1);
          if (previous == null || previous.byteRange().isEmpty() || !previous.uri().equals(uri)) {
            throw new PlaylistParseException(
                pendingByteRangeLine,
                "EXT-X-BYTERANGE without an offset must follow a sub-range of the same resource");
          }
          offset = previous.byteRange().get().endOffsetBytes();
        }
        range = Optional.of(new ByteRange(pendingByteRangeLength, offset));
      }
      try {
        segments.add(
            new Segment(
                uri, pendingDurationUs, range, pendingDiscontinuityLine != 0, pendingTitle));
      } catch (IllegalArgumentException e) {
        throw new PlaylistParseException(pendingExtinfLine, e.getMessage(), e);
      }
      segmentLines.add(pendingExtinfLine);
      segmentKeys.add(currentKey);
      segmentKeyLines.add(currentKey == null ? pendingExtinfLine : currentKeyLine);
      pendingExtinfLine = 0;
      pendingTitle = "";
      pendingByteRangeLine = 0;
      pendingDiscontinuityLine = 0;
    }

    private static Variant variant(AttributeList attributes, String uri) {
      return new Variant(
          uri,
          attributes.requireDecimalInteger("BANDWIDTH"),
          attributes.decimalInteger("AVERAGE-BANDWIDTH"),
          codecs(attributes),
          attributes.decimalResolution("RESOLUTION"),
          attributes.decimalFloatingPoint("FRAME-RATE"),
          attributes.quotedString("AUDIO"),
          attributes.quotedString("SUBTITLES"));
    }

    private void iFrameStreamInf(AttributeList attributes) {
      iFrameVariants.add(
          new IFrameVariant(
              attributes.requireQuotedString("URI"),
              attributes.requireDecimalInteger("BANDWIDTH"),
              attributes.decimalInteger("AVERAGE-BANDWIDTH"),
              codecs(attributes),
              attributes.decimalResolution("RESOLUTION")));
    }

    private static List<String> codecs(AttributeList attributes) {
      return attributes.quotedString("CODECS").map(Codecs::split).orElse(List.of());
    }

    private void rendition(AttributeList attributes) {
      String typeName = attributes.requireEnumeratedString("TYPE");
      Rendition.Type type =
          switch (typeName) {
            case "AUDIO" -> Rendition.Type.AUDIO;
            case "SUBTITLES" -> Rendition.Type.SUBTITLES;
            case "VIDEO", "CLOSED-CAPTIONS" ->
                throw new IllegalArgumentException(
                    "EXT-X-MEDIA TYPE=" + typeName + " is not supported");
            default -> throw new IllegalArgumentException("unknown EXT-X-MEDIA TYPE: " + typeName);
          };
      boolean isDefault = attributes.yesNo("DEFAULT");
      // RFC 8216 §4.3.4.1 only constrains AUTOSELECT when it is present (it MUST be YES if DEFAULT
      // is); FFmpeg writes DEFAULT=YES alone. A default rendition is one a client may pick, so it
      // reads as AUTOSELECT=YES, which the writer then states.
      boolean autoselect =
          attributes.contains("AUTOSELECT") ? attributes.yesNo("AUTOSELECT") : isDefault;
      renditions.add(
          new Rendition(
              type,
              attributes.requireQuotedString("GROUP-ID"),
              attributes.requireQuotedString("NAME"),
              attributes.quotedString("LANGUAGE"),
              isDefault,
              autoselect,
              attributes.quotedString("URI")));
    }

    private MediaPlaylist finishMedia() throws PlaylistParseException {
      if (pendingExtinfLine != 0) {
        throw noUri(pendingExtinfLine, "EXTINF");
      }
      if (pendingByteRangeLine != 0) {
        throw new PlaylistParseException(
            pendingByteRangeLine, "EXT-X-BYTERANGE is not followed by a media segment");
      }
      if (pendingDiscontinuityLine != 0) {
        throw new PlaylistParseException(
            pendingDiscontinuityLine, "EXT-X-DISCONTINUITY is not followed by a media segment");
      }
      if (targetDurationSeconds < 0) {
        throw new PlaylistParseException(
            lastContentLine,
            "end of playlist without EXT-X-TARGETDURATION, which RFC 8216 §4.3.3.1 requires");
      }
      requireVersion(byteRangeLine, 4, "EXT-X-BYTERANGE");
      requireVersion(iFramesOnlyLine, 4, "EXT-X-I-FRAMES-ONLY");
      requireVersion(fractionalDurationLine, 3, "a fractional EXTINF duration");
      requireVersion(ivLine, 2, "the IV attribute");
      // RFC 8216 §4.3.3.1: each duration rounded to the nearest integer MUST be <= the target
      // duration. Ties are accepted either way: FFmpeg rounds them to even.
      long limitUs =
          targetDurationSeconds > Long.MAX_VALUE / US_PER_SECOND - 1
              ? Long.MAX_VALUE
              : targetDurationSeconds * US_PER_SECOND + US_PER_SECOND / 2;
      for (int i = 0; i < segments.size(); i++) {
        Segment segment = segments.get(i);
        if (segment.durationUs() > limitUs) {
          throw new PlaylistParseException(
              segmentLines.get(i),
              "EXTINF duration "
                  + PlaylistWriter.formatDuration(segment.durationUs(), 3)
                  + " exceeds EXT-X-TARGETDURATION "
                  + targetDurationSeconds
                  + " once rounded (RFC 8216 §4.3.3.1)");
        }
        if (iFramesOnly && segment.byteRange().isEmpty()) {
          throw new PlaylistParseException(
              segmentLines.get(i), "a segment of an I-frame playlist needs an EXT-X-BYTERANGE");
        }
      }
      Optional<EncryptionKey> key = playlistKey();
      try {
        return new MediaPlaylist(
            version,
            mediaSequence,
            playlistType,
            independentSegments,
            iFramesOnly,
            key,
            segments,
            endList);
      } catch (IllegalArgumentException e) {
        throw new PlaylistParseException(lastContentLine, e.getMessage(), e);
      }
    }

    private void requireVersion(int line, int required, String feature)
        throws PlaylistParseException {
      if (line != 0 && version < required) {
        throw new PlaylistParseException(
            line,
            feature
                + " needs EXT-X-VERSION "
                + required
                + " or higher, but the playlist declares "
                + version
                + " (RFC 8216 §7)");
      }
    }

    /**
     * The one key of every segment. RFC 8216 §4.3.2.4: a key applies to every segment up to the
     * next EXT-X-KEY, and without an IV each segment's media sequence number is its IV. So a key
     * per segment with the same URI whose IV is, or defaults to, that segment's media sequence
     * number (what FFmpeg writes when given no IV) is one key without an IV.
     */
    private Optional<EncryptionKey> playlistKey() throws PlaylistParseException {
      if (segments.isEmpty()) {
        return Optional.ofNullable(currentKey);
      }
      EncryptionKey first = segmentKeys.get(0);
      int firstDifferent = -1;
      for (int i = 1; i < segmentKeys.size() && firstDifferent < 0; i++) {
        if (!Objects.equals(segmentKeys.get(i), first)) {
          firstDifferent = i;
        }
      }
      if (firstDifferent < 0) {
        return Optional.ofNullable(first);
      }
      boolean sequenceIvs = first != null;
      for (int i = 0; i < segmentKeys.size() && sequenceIvs; i++) {
        EncryptionKey key = segmentKeys.get(i);
        BigInteger sequenceNumber = BigInteger.valueOf(mediaSequence + i);
        sequenceIvs =
            key != null
                && key.uri().equals(first.uri())
                && key.iv().map(sequenceNumber::equals).orElse(true);
      }
      if (sequenceIvs) {
        return Optional.of(EncryptionKey.aes128(first.uri()));
      }
      throw new PlaylistParseException(
          segmentKeyLines.get(firstDifferent),
          "the key changes between segments (key rotation, or clear and encrypted segments),"
              + " which is not supported");
    }

    private MasterPlaylist finishMaster() throws PlaylistParseException {
      if (pendingStreamInf != null) {
        throw noUri(pendingStreamInfLine, "EXT-X-STREAM-INF");
      }
      if (variants.isEmpty()) {
        throw new PlaylistParseException(
            lastContentLine, "end of master playlist without an EXT-X-STREAM-INF");
      }
      Set<String> audioGroups = new HashSet<>();
      Set<String> subtitlesGroups = new HashSet<>();
      for (Rendition rendition : renditions) {
        (rendition.type() == Rendition.Type.AUDIO ? audioGroups : subtitlesGroups)
            .add(rendition.groupId());
      }
      for (int i = 0; i < variants.size(); i++) {
        // RFC 8216 §4.3.4.2: AUDIO and SUBTITLES MUST match the GROUP-ID of an EXT-X-MEDIA tag
        // of that TYPE elsewhere in the master playlist.
        Variant variant = variants.get(i);
        Optional<String> audio = variant.audioGroupId().filter(id -> !audioGroups.contains(id));
        if (audio.isPresent()) {
          throw new PlaylistParseException(
              variantLines.get(i), "no EXT-X-MEDIA TYPE=AUDIO has GROUP-ID " + audio.get());
        }
        Optional<String> subtitles =
            variant.subtitlesGroupId().filter(id -> !subtitlesGroups.contains(id));
        if (subtitles.isPresent()) {
          throw new PlaylistParseException(
              variantLines.get(i), "no EXT-X-MEDIA TYPE=SUBTITLES has GROUP-ID " + subtitles.get());
        }
      }
      try {
        return new MasterPlaylist(
            version, independentSegments, renditions, variants, iFrameVariants);
      } catch (IllegalArgumentException e) {
        throw new PlaylistParseException(lastContentLine, e.getMessage(), e);
      }
    }
  }
}
