/**
 * MPEG-2 transport streams (ISO/IEC 13818-1) for HLS: a {@link org.reelbox.media.ts.TsMuxer muxer}
 * that writes H.264 and AAC into self-contained segments, a {@link org.reelbox.media.ts.TsScanner
 * scanner} that reads a segment's access units, timestamps and keyframe byte ranges back, and
 * {@link org.reelbox.media.ts.TsPlaylists} that turns scans into media and I-frame playlists.
 *
 * <p>Pure code: streams and byte arrays, no files, no dependencies beyond the JDK. Timestamps are
 * 90 kHz ticks ({@code pts90k}), durations of playlists microseconds ({@code durationUs}).
 */
package org.reelbox.media.ts;
