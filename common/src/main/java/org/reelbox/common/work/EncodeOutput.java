package org.reelbox.common.work;

/**
 * Output of {@link TaskType#ENCODE}.
 *
 * @param key where the encoded chunk is
 * @param sizeBytes its size
 * @param frames video frames in it
 * @param durationMillis its duration
 * @param encoder the encoder that made it: {@code libx264}, {@code h264_nvenc}, {@code jcodec}, …
 */
public record EncodeOutput(
    String key, long sizeBytes, int frames, long durationMillis, String encoder) {}
