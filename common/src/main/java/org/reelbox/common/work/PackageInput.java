package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Input of the {@link TaskType#PACKAGE} task: the encoded chunks of every rendition and the audio
 * become HLS: MPEG-TS segments with the audio muxed in, a VOD media playlist and an I-frame
 * playlist per rendition, and the master playlist, under {@code hls/{videoId}/}. With {@code
 * encryption} {@code aes-128} the segments are encrypted with a fresh key stored at {@link
 * BlobLayout#keyKey} (served only with a key token). Output: {@link PackageOutput}.
 *
 * @param videoId the video
 * @param segmentSeconds the target segment length (keyframes were forced at its multiples)
 * @param encryption {@code none} or {@code aes-128}
 * @param renditions in ladder order
 * @param audio the audio task's output (its key may be null: no audio)
 * @param audioSpec the audio format, for the {@code CODECS} attribute and bandwidth
 * @param thumbnails the thumbnail keys (listed in the output for the API)
 */
public record PackageInput(
    String videoId,
    int segmentSeconds,
    String encryption,
    List<PackageRendition> renditions,
    AudioOutput audio,
    long audioBitrateBps,
    int audioChannels,
    int audioSampleRateHz,
    List<String> thumbnails) {
  public static final String NONE = "none";
  public static final String AES_128 = "aes-128";

  public PackageInput {
    requireNonNull(videoId, "videoId");
    requireNonNull(encryption, "encryption");
    renditions = List.copyOf(renditions);
    requireNonNull(audio, "audio");
    thumbnails = thumbnails == null ? List.of() : List.copyOf(thumbnails);
  }

  /**
   * One rendition to package.
   *
   * @param rendition what it is
   * @param chunks its encoded chunks, in order
   */
  public record PackageRendition(RenditionSpec rendition, List<EncodeOutput> chunks) {
    public PackageRendition {
      requireNonNull(rendition, "rendition");
      chunks = List.copyOf(chunks);
    }
  }
}
