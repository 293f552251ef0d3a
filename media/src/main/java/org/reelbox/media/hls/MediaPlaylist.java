package org.reelbox.media.hls;

import static java.util.Objects.requireNonNull;
import static org.reelbox.media.hls.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A media playlist (RFC 8216 §4.3.3): the segments of one rendition, in order. reelbox writes VOD
 * playlists; the parser also reads EVENT playlists and playlists with no type.
 *
 * <p>The target duration is not stored: it is computed from the segments ({@link
 * #targetDurationSeconds()}), so it can never disagree with them.
 *
 * <p>Version rules (RFC 8216 §7), checked here so that the writer never produces a playlist whose
 * {@code EXT-X-VERSION} is too low for its content ({@link #minimumVersion()}):
 *
 * <ul>
 *   <li>4 or more with {@code EXT-X-BYTERANGE} or {@code EXT-X-I-FRAMES-ONLY};
 *   <li>3 or more when a duration is not a whole number of seconds (below 3, {@code EXTINF} is a
 *       decimal-integer, so it is written as one);
 *   <li>2 or more when the key has an explicit IV.
 * </ul>
 *
 * @param version the {@code EXT-X-VERSION}, at least {@link #minimumVersion()}
 * @param mediaSequence the media sequence number of the first segment (§4.3.3.2), 0 or more
 * @param playlistType the {@code EXT-X-PLAYLIST-TYPE}, if any
 * @param independentSegments whether {@code EXT-X-INDEPENDENT-SEGMENTS} is present (§4.3.5.1)
 * @param iFramesOnly whether this is an I-frame playlist (§4.3.3.6); then every segment is one
 *     I-frame and has a byte range
 * @param encryptionKey the AES-128 key of every segment, if the segments are encrypted
 * @param segments the segments, in playback order
 * @param endList whether {@code EXT-X-ENDLIST} ends the playlist (§4.3.3.4)
 */
public record MediaPlaylist(
    int version,
    long mediaSequence,
    Optional<PlaylistType> playlistType,
    boolean independentSegments,
    boolean iFramesOnly,
    Optional<EncryptionKey> encryptionKey,
    List<Segment> segments,
    boolean endList)
    implements Playlist {

  private static final long US_PER_SECOND = 1_000_000L;

  public MediaPlaylist {
    checkArgument(mediaSequence >= 0, "mediaSequence must not be negative: %s", mediaSequence);
    requireNonNull(playlistType, "playlistType");
    requireNonNull(encryptionKey, "encryptionKey");
    segments = List.copyOf(segments);
    if (iFramesOnly) {
      for (Segment segment : segments) {
        checkArgument(
            segment.byteRange().isPresent(),
            "segments of an I-frame playlist need a byte range: %s",
            segment.uri());
      }
    }
    int minimumVersion = minimumVersion(iFramesOnly, encryptionKey, segments);
    checkArgument(
        version >= minimumVersion,
        "version %s is too low for this playlist, which needs at least %s",
        version,
        minimumVersion);
  }

  /**
   * The {@code EXT-X-TARGETDURATION}: the longest segment duration rounded to the nearest integer
   * (RFC 8216 §4.3.3.1: every duration so rounded MUST be less than or equal to it). A half second
   * rounds up, so the value suits clients that round either way. 0 when there are no segments.
   */
  public long targetDurationSeconds() {
    long maxDurationUs = 0;
    for (Segment segment : segments) {
      maxDurationUs = Math.max(maxDurationUs, segment.durationUs());
    }
    return (maxDurationUs + US_PER_SECOND / 2) / US_PER_SECOND;
  }

  /** The sum of the segment durations. */
  public long durationUs() {
    long totalUs = 0;
    for (Segment segment : segments) {
      totalUs = Math.addExact(totalUs, segment.durationUs());
    }
    return totalUs;
  }

  /** The lowest {@code EXT-X-VERSION} that this playlist's content allows (RFC 8216 §7). */
  public int minimumVersion() {
    return minimumVersion(iFramesOnly, encryptionKey, segments);
  }

  private static int minimumVersion(
      boolean iFramesOnly, Optional<EncryptionKey> encryptionKey, List<Segment> segments) {
    boolean byteRanges = false;
    boolean fractionalDurations = false;
    for (Segment segment : segments) {
      byteRanges |= segment.byteRange().isPresent();
      fractionalDurations |= segment.durationUs() % US_PER_SECOND != 0;
    }
    if (iFramesOnly || byteRanges) {
      return 4;
    }
    if (fractionalDurations) {
      return 3;
    }
    if (encryptionKey.flatMap(EncryptionKey::iv).isPresent()) {
      return 2;
    }
    return 1;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder seeded with this playlist's values. */
  public Builder toBuilder() {
    Builder builder =
        new Builder()
            .version(version)
            .mediaSequence(mediaSequence)
            .independentSegments(independentSegments)
            .iFramesOnly(iFramesOnly)
            .endList(endList)
            .segments(segments);
    builder.playlistType = playlistType;
    builder.encryptionKey = encryptionKey;
    return builder;
  }

  /**
   * Builds a {@link MediaPlaylist}. Defaults: a finished VOD playlist ({@code PLAYLIST-TYPE:VOD},
   * {@code EXT-X-ENDLIST}), media sequence 0, no independent-segments, not I-frames-only, no key,
   * no segments, and the version set to {@link MediaPlaylist#minimumVersion()} unless {@link
   * #version(int)} is called.
   */
  public static final class Builder {
    private int version; // 0: the minimum the content allows
    private long mediaSequence;
    private Optional<PlaylistType> playlistType = Optional.of(PlaylistType.VOD);
    private boolean independentSegments;
    private boolean iFramesOnly;
    private Optional<EncryptionKey> encryptionKey = Optional.empty();
    private final List<Segment> segments = new ArrayList<>();
    private boolean endList = true;

    private Builder() {}

    public Builder version(int version) {
      checkArgument(version >= 1, "version must be 1 or more: %s", version);
      this.version = version;
      return this;
    }

    public Builder mediaSequence(long mediaSequence) {
      this.mediaSequence = mediaSequence;
      return this;
    }

    /** Sets the playlist type; {@code null} for none. */
    public Builder playlistType(PlaylistType playlistType) {
      this.playlistType = Optional.ofNullable(playlistType);
      return this;
    }

    public Builder independentSegments(boolean independentSegments) {
      this.independentSegments = independentSegments;
      return this;
    }

    public Builder iFramesOnly(boolean iFramesOnly) {
      this.iFramesOnly = iFramesOnly;
      return this;
    }

    /** Sets the key; {@code null} for clear segments. */
    public Builder encryptionKey(EncryptionKey encryptionKey) {
      this.encryptionKey = Optional.ofNullable(encryptionKey);
      return this;
    }

    public Builder addSegment(Segment segment) {
      segments.add(requireNonNull(segment, "segment"));
      return this;
    }

    /** Adds a plain segment: a URI and its {@code EXTINF} duration. */
    public Builder addSegment(String uri, long durationUs) {
      return addSegment(Segment.of(uri, durationUs));
    }

    public Builder segments(List<Segment> segments) {
      this.segments.clear();
      segments.forEach(this::addSegment);
      return this;
    }

    public Builder endList(boolean endList) {
      this.endList = endList;
      return this;
    }

    public MediaPlaylist build() {
      int effectiveVersion =
          version != 0 ? version : minimumVersion(iFramesOnly, encryptionKey, segments);
      return new MediaPlaylist(
          effectiveVersion,
          mediaSequence,
          playlistType,
          independentSegments,
          iFramesOnly,
          encryptionKey,
          segments,
          endList);
    }
  }
}
