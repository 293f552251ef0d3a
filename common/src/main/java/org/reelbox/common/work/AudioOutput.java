package org.reelbox.common.work;

/**
 * Output of {@link TaskType#AUDIO}.
 *
 * @param key the ADTS AAC stream, or {@code null} when the source has no audio (package then makes
 *     video-only segments)
 * @param durationMillis its duration, 0 without audio
 * @param startOffsetMillis the first audio sample's time on the source timeline (video's first
 *     frame is 0), so package can keep audio and video in sync
 */
public record AudioOutput(String key, long durationMillis, long startOffsetMillis) {}
