package org.reelbox.media.hls;

import static java.util.Objects.requireNonNull;
import static org.reelbox.media.hls.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 6381 codec strings, the entries of the {@code CODECS} attribute (RFC 8216 §4.3.4.2).
 *
 * <ul>
 *   <li>H.264: {@code avc1.PPCCLL} (RFC 6381 §3.3), three bytes of the SPS in hex: profile_idc, the
 *       constraint_set flags byte, level_idc. High 4.1 is {@code avc1.640029}, Main 3.1 {@code
 *       avc1.4d401f}, Baseline 3.0 with constraint_set0-2 {@code avc1.42e01e}.
 *   <li>AAC: {@code mp4a.40.AOT} (RFC 6381 §3.3): object type indication 0x40 (MPEG-4 audio) in
 *       hex, then the MPEG-4 audio object type in decimal. AAC-LC is {@code mp4a.40.2}.
 * </ul>
 */
public final class Codecs {

  /** H.264 profile_idc of the Baseline profile. */
  public static final int PROFILE_BASELINE = 66;

  /** H.264 profile_idc of the Main profile. */
  public static final int PROFILE_MAIN = 77;

  /** H.264 profile_idc of the High profile. */
  public static final int PROFILE_HIGH = 100;

  /** MPEG-4 audio object type of AAC-LC. */
  public static final int AUDIO_OBJECT_TYPE_AAC_LC = 2;

  /** MPEG-4 audio object type of HE-AAC (SBR). */
  public static final int AUDIO_OBJECT_TYPE_HE_AAC = 5;

  /** MPEG-4 audio object type of HE-AAC v2 (SBR and PS). */
  public static final int AUDIO_OBJECT_TYPE_HE_AAC_V2 = 29;

  /** The object type indication of MPEG-4 audio (ISO/IEC 14496-1), written {@code 40}. */
  public static final int OBJECT_TYPE_MPEG4_AUDIO = 0x40;

  /** The codec string of AAC-LC. */
  public static final String AAC_LC = "mp4a.40.2";

  private static final Pattern AVC = Pattern.compile("(avc[13])\\.([0-9a-fA-F]{6})");

  // The form that iOS 3 and some servers (Wowza) write: avc1.<profile_idc>.<level_idc> in decimal.
  private static final Pattern AVC_LEGACY =
      Pattern.compile("(avc[13])\\.([0-9]{1,3})\\.([0-9]{1,3})");

  private static final Pattern MP4A =
      Pattern.compile("mp4a\\.([0-9a-fA-F]{2})(?:\\.([0-9]{1,2}))?");

  private Codecs() {}

  /**
   * An H.264 codec, from the SPS.
   *
   * @param profileIdc profile_idc, 0-255 (66 Baseline, 77 Main, 100 High, ...)
   * @param constraintFlags the byte after it: constraint_set0_flag in the top bit, 0-255
   * @param levelIdc level_idc, ten times the level: 41 for level 4.1, 0-255
   */
  public record Avc(int profileIdc, int constraintFlags, int levelIdc) {

    public Avc {
      checkByte("profileIdc", profileIdc);
      checkByte("constraintFlags", constraintFlags);
      checkByte("levelIdc", levelIdc);
    }

    /** The {@code avc1.PPCCLL} codec string, lowercase hex. */
    public String codecString() {
      return String.format(Locale.ROOT, "avc1.%02x%02x%02x", profileIdc, constraintFlags, levelIdc);
    }
  }

  /**
   * An MPEG-4 audio codec.
   *
   * @param objectTypeIndication the object type indication, 0-255 (0x40 for MPEG-4 audio)
   * @param audioObjectType the MPEG-4 audio object type, 1-95 (2 AAC-LC, 5 HE-AAC, 29 HE-AACv2), or
   *     0 when the codec string has none (object types other than 0x40 carry none)
   */
  public record Mp4a(int objectTypeIndication, int audioObjectType) {

    public Mp4a {
      checkByte("objectTypeIndication", objectTypeIndication);
      checkArgument(
          audioObjectType >= 0 && audioObjectType <= 95,
          "audioObjectType must be between 0 and 95: %s",
          audioObjectType);
    }

    /** The {@code mp4a.OO[.A]} codec string. */
    public String codecString() {
      String oti = String.format(Locale.ROOT, "mp4a.%02x", objectTypeIndication);
      return audioObjectType == 0 ? oti : oti + "." + audioObjectType;
    }
  }

  /** The {@code avc1} codec string of an H.264 stream; see {@link Avc}. */
  public static String avc1(int profileIdc, int constraintFlags, int levelIdc) {
    return new Avc(profileIdc, constraintFlags, levelIdc).codecString();
  }

  /** The {@code mp4a.40.<audioObjectType>} codec string of an MPEG-4 audio stream (AAC). */
  public static String mp4a(int audioObjectType) {
    checkArgument(
        audioObjectType >= 1, "audioObjectType must be between 1 and 95: %s", audioObjectType);
    return new Mp4a(OBJECT_TYPE_MPEG4_AUDIO, audioObjectType).codecString();
  }

  /**
   * Parses an H.264 codec string: {@code avc1.PPCCLL} or {@code avc3.PPCCLL} (hex, any case), or
   * the legacy decimal {@code avc1.PROFILE.LEVEL} (then the constraint flags read as 0).
   *
   * @throws IllegalArgumentException if it is not an H.264 codec string
   */
  public static Avc parseAvc(String codec) {
    requireNonNull(codec, "codec");
    Matcher matcher = AVC.matcher(codec);
    if (matcher.matches()) {
      int bytes = Integer.parseInt(matcher.group(2), 16);
      return new Avc(bytes >> 16, (bytes >> 8) & 0xff, bytes & 0xff);
    }
    matcher = AVC_LEGACY.matcher(codec);
    if (matcher.matches()) {
      return new Avc(
          Integer.parseInt(matcher.group(2)),
          /* constraintFlags= */ 0,
          Integer.parseInt(matcher.group(3)));
    }
    throw new IllegalArgumentException("not an H.264 codec string (avc1.PPCCLL): " + codec);
  }

  /**
   * Parses an MPEG-4 audio codec string, {@code mp4a.OO[.A]}: the object type indication in hex,
   * then the audio object type in decimal.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static Mp4a parseMp4a(String codec) {
    requireNonNull(codec, "codec");
    Matcher matcher = MP4A.matcher(codec);
    checkArgument(matcher.matches(), "not an MPEG-4 audio codec string (mp4a.40.2): %s", codec);
    int audioObjectType = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
    return new Mp4a(Integer.parseInt(matcher.group(1), 16), audioObjectType);
  }

  /** Splits a CODECS value at its commas, trimming spaces that some packagers put after them. */
  public static List<String> split(String codecs) {
    requireNonNull(codecs, "codecs");
    List<String> result = new ArrayList<>();
    for (String codec : codecs.split(",", -1)) {
      result.add(codec.strip());
    }
    return List.copyOf(result);
  }

  /** Joins codec strings into a CODECS value. */
  public static String join(List<String> codecs) {
    return String.join(",", Checks.checkCodecs(codecs));
  }

  private static void checkByte(String field, int value) {
    checkArgument(value >= 0 && value <= 255, "%s must be between 0 and 255: %s", field, value);
  }
}
