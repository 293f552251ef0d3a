package org.reelbox.control.content;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.reelbox.common.storage.BlobNotFoundException;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.media.hls.MasterPlaylist;
import org.reelbox.media.hls.MediaPlaylist;
import org.reelbox.media.hls.PlaylistParseException;
import org.reelbox.media.hls.PlaylistParser;
import org.reelbox.media.hls.PlaylistType;
import org.reelbox.media.hls.PlaylistWriter;
import org.reelbox.media.hls.Rendition;
import org.reelbox.media.hls.Variant;

/**
 * Puts a video's subtitle tracks into its published HLS (RFC 8216 §4.3.4.1 and §4.3.4.2): a
 * one-segment VOD media playlist per track, {@code hls/{id}/subs/{lang}/index.m3u8} pointing at
 * {@code 0.vtt}, and the master playlist re-written with one {@code EXT-X-MEDIA:TYPE=SUBTITLES,
 * GROUP-ID="subs"} per track and {@code SUBTITLES="subs"} on every variant (or neither, once the
 * last track is gone).
 *
 * <p>The master is the encoder's (its package task writes it); this class reads it with the media
 * module's parser and writes it back with its writer, changing only the subtitle group, so the
 * variants, codecs and I-frame playlists stay as packaged. It runs when the video becomes READY
 * (the completion handler) and whenever a track changes afterwards, and is idempotent: publishing
 * twice writes the same bytes (and an unchanged master is not written at all).
 *
 * <p>Concurrency: publications of one video are serialised here (one control plane), and each reads
 * the track rows afresh, so the last one to run writes the current set whatever the order of the
 * changes that triggered them.
 */
public final class SubtitlePublisher {
  /** The GROUP-ID of the subtitle renditions. */
  public static final String GROUP_ID = "subs";

  private static final int LOCK_STRIPES = 64;

  private final BlobStore blobs;
  private final SubtitleStore subtitles;
  private final Object[] locks = new Object[LOCK_STRIPES];

  public SubtitlePublisher(BlobStore blobs, SubtitleStore subtitles) {
    this.blobs = requireNonNull(blobs, "blobs");
    this.subtitles = requireNonNull(subtitles, "subtitles");
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
  }

  /**
   * Publishes the video's current tracks into its master playlist; does nothing while the video has
   * no master (not packaged yet: the completion handler calls this again when it is).
   *
   * @return whether the master was (re)written
   */
  public boolean publish(Video video) throws IOException {
    requireNonNull(video, "video");
    synchronized (locks[Math.floorMod(video.id().hashCode(), LOCK_STRIPES)]) {
      String masterKey = BlobLayout.masterKey(video.id().value());
      Optional<String> text = readText(masterKey);
      if (text.isEmpty()) {
        return false;
      }
      MasterPlaylist master;
      try {
        master = PlaylistParser.parseMaster(text.get());
      } catch (PlaylistParseException e) {
        throw new IOException("video " + video.id() + ": its master playlist does not parse", e);
      }
      List<SubtitleTrack> tracks = subtitles.list(video.id());
      long segmentSeconds = segmentSeconds(video, master);
      for (SubtitleTrack track : tracks) {
        writeText(
            BlobLayout.subtitlePlaylistKey(video.id().value(), track.language()),
            PlaylistWriter.write(trackPlaylist(segmentSeconds)));
      }
      String updated = PlaylistWriter.write(withTracks(master, tracks));
      if (updated.equals(text.get())) {
        return false;
      }
      writeText(masterKey, updated);
      return true;
    }
  }

  /**
   * The master with exactly {@code tracks} as its subtitle group: other renditions kept, every
   * variant naming the group (or none when there are no tracks).
   */
  static MasterPlaylist withTracks(MasterPlaylist master, List<SubtitleTrack> tracks) {
    List<Rendition> renditions = new ArrayList<>();
    for (Rendition r : master.renditions()) {
      if (!(r.type() == Rendition.Type.SUBTITLES && r.groupId().equals(GROUP_ID))) {
        renditions.add(r);
      }
    }
    for (SubtitleTrack t : tracks) {
      renditions.add(
          Rendition.builder(Rendition.Type.SUBTITLES, GROUP_ID, t.name())
              .language(t.language())
              .autoselect(true)
              .isDefault(false)
              .uri(BlobLayout.subtitlePlaylistUri(t.language()))
              .build());
    }
    Optional<String> group = tracks.isEmpty() ? Optional.empty() : Optional.of(GROUP_ID);
    List<Variant> variants = new ArrayList<>();
    for (Variant v : master.variants()) {
      // Only our group is replaced: a variant naming another subtitle group keeps it.
      Optional<String> subtitlesGroup =
          v.subtitlesGroupId().isPresent() && !v.subtitlesGroupId().get().equals(GROUP_ID)
              ? v.subtitlesGroupId()
              : group;
      variants.add(
          new Variant(
              v.uri(),
              v.bandwidthBps(),
              v.averageBandwidthBps(),
              v.codecs(),
              v.resolution(),
              v.frameRate(),
              v.audioGroupId(),
              subtitlesGroup));
    }
    return new MasterPlaylist(
        master.version(),
        master.independentSegments(),
        renditions,
        variants,
        master.iFrameVariants());
  }

  /**
   * A track's playlist: its one WebVTT segment lasts the whole video, rounded up to whole seconds,
   * which is then also the TARGETDURATION (RFC 8216 §4.3.3.1).
   */
  static MediaPlaylist trackPlaylist(long segmentSeconds) {
    return MediaPlaylist.builder()
        .version(3)
        .playlistType(PlaylistType.VOD)
        .addSegment("0.vtt", segmentSeconds * 1_000_000L)
        .endList(true)
        .build();
  }

  /** The video's duration rounded up to seconds, at least 1; from its first variant if unknown. */
  private long segmentSeconds(Video video, MasterPlaylist master) throws IOException {
    long durationMs;
    if (video.durationMs() != null) {
      durationMs = video.durationMs();
    } else {
      String first = master.variants().get(0).uri();
      Optional<String> media = readText(BlobLayout.hlsPrefix(video.id().value()) + first);
      try {
        durationMs =
            media.isEmpty() ? 1000 : PlaylistParser.parseMedia(media.get()).durationUs() / 1000;
      } catch (PlaylistParseException e) {
        durationMs = 1000;
      }
    }
    return Math.max(1, (durationMs + 999) / 1000);
  }

  /** Deletes a track's published files (its WebVTT and its playlist). */
  public void deleteTrackFiles(VideoId videoId, String language) throws IOException {
    blobs.delete(BlobLayout.subtitlePlaylistKey(videoId.value(), language));
    blobs.delete(BlobLayout.subtitleKey(videoId.value(), language));
  }

  private Optional<String> readText(String key) throws IOException {
    try (InputStream in = blobs.get(key)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (BlobNotFoundException e) {
      return Optional.empty();
    }
  }

  private void writeText(String key, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    blobs.put(key, new ByteArrayInputStream(bytes), bytes.length);
  }
}
