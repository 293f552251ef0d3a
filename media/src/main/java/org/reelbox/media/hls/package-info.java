/**
 * HLS playlists (RFC 8216, protocol version 7 and below): immutable value types for {@link
 * org.reelbox.media.hls.MediaPlaylist media} and {@link org.reelbox.media.hls.MasterPlaylist
 * master} playlists, a {@link org.reelbox.media.hls.PlaylistWriter writer} that produces exact
 * text, a {@link org.reelbox.media.hls.PlaylistParser parser} that reads it back (and FFmpeg's
 * output), and RFC 6381 {@link org.reelbox.media.hls.Codecs codec strings}.
 *
 * <p>Pure code: no I/O, no dependencies beyond the JDK. Durations are microseconds ({@code
 * durationUs}), bit rates bits per second ({@code bandwidthBps}).
 */
package org.reelbox.media.hls;
