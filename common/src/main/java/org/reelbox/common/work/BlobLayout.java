package org.reelbox.common.work;

import java.util.List;

/**
 * Where the pipeline's objects live in the blob store (DESIGN.md, "Storage"). Intermediate objects
 * sit under {@code temp/{videoId}/}, which the control plane deletes when the job ends, success or
 * failure. Keys are deterministic, so a retried task overwrites its earlier attempt's output and a
 * job ends with one set of objects whatever happened to its workers.
 *
 * <p>Intermediate formats, the same for every backend so that any worker can take any task: chunks
 * and encoded chunks are MPEG-TS with one H.264 stream, keeping the source's timeline (PTS continue
 * from one chunk to the next, so encoded chunks concatenate byte by byte); audio is one ADTS AAC-LC
 * stream.
 */
public final class BlobLayout {
  /**
   * Thumbnail sizes as bounding boxes (width × height, aspect kept), largest first: thumbnail
   * {@code i} of size {@code s} is {@code hls/{videoId}/thumbs/{s * 10 + i}.jpg}.
   */
  public static final List<int[]> THUMBNAIL_SIZES =
      List.of(new int[] {1280, 720}, new int[] {640, 360}, new int[] {320, 180});

  private BlobLayout() {}

  public static String sourceKey(String videoId) {
    return "originals/" + videoId + "/source";
  }

  public static String tempPrefix(String videoId) {
    return "temp/" + videoId + "/";
  }

  public static String chunkKey(String videoId, int chunk) {
    return tempPrefix(videoId) + "chunks/" + String.format("c%04d.ts", chunk);
  }

  public static String encodedChunkKey(String videoId, String rendition, int chunk) {
    return tempPrefix(videoId) + "enc/" + rendition + "/" + String.format("c%04d.ts", chunk);
  }

  public static String audioKey(String videoId) {
    return tempPrefix(videoId) + "audio/audio.aac";
  }

  public static String hlsPrefix(String videoId) {
    return "hls/" + videoId + "/";
  }

  public static String masterKey(String videoId) {
    return hlsPrefix(videoId) + "master.m3u8";
  }

  public static String mediaPlaylistKey(String videoId, String rendition) {
    return hlsPrefix(videoId) + rendition + "/index.m3u8";
  }

  public static String iframePlaylistKey(String videoId, String rendition) {
    return hlsPrefix(videoId) + rendition + "/iframes.m3u8";
  }

  public static String segmentKey(String videoId, String rendition, int seq) {
    return hlsPrefix(videoId) + rendition + "/" + seq + ".ts";
  }

  public static String thumbnailKey(String videoId, int sizeIndex, int i) {
    return hlsPrefix(videoId) + "thumbs/" + (sizeIndex * 10 + i) + ".jpg";
  }

  /**
   * The WebVTT file of a video's subtitle track ({@code language} as {@code
   * PlaybackPath.SUBTITLE_LANGUAGE}): the one segment of {@link #subtitlePlaylistKey}.
   */
  public static String subtitleKey(String videoId, String language) {
    return hlsPrefix(videoId) + "subs/" + language + "/0.vtt";
  }

  /** The one-segment media playlist of a video's subtitle track. */
  public static String subtitlePlaylistKey(String videoId, String language) {
    return hlsPrefix(videoId) + "subs/" + language + "/index.m3u8";
  }

  /** The master playlist's URI of a subtitle track's playlist, relative to the master. */
  public static String subtitlePlaylistUri(String language) {
    return "subs/" + language + "/index.m3u8";
  }

  /**
   * A creator's own thumbnail image as uploaded after the video was created: {@code
   * originals/{videoId}/thumbnail.{jpg|png}}, next to the original.
   */
  public static String thumbnailImageKey(String videoId, String extension) {
    return "originals/" + videoId + "/thumbnail." + extension;
  }

  /**
   * The AES-128 key {@code n} of a video: outside {@code hls/}, never served without a key token.
   */
  public static String keyKey(String videoId, int n) {
    return "keys/" + videoId + "/" + n + ".key";
  }

  /**
   * The URI of key {@code n} as written in {@code EXT-X-KEY}, relative to a media playlist at
   * {@code /v/{id}/{rendition}/index.m3u8}: it resolves to {@code /v/{id}/keys/{n}.key}, and keeps
   * a {@code /t/{token}/} prefix of the playlist's URL.
   */
  public static String keyUri(int n) {
    return "../keys/" + n + ".key";
  }
}
