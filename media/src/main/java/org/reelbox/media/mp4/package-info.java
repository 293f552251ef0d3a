/**
 * The ISO base media file format (ISO/IEC 14496-12: MP4, MOV): a bounded {@link
 * org.reelbox.media.mp4.Mp4Boxes box walker} that checks a file's structure before any demuxer
 * trusts it, and {@link org.reelbox.media.mp4.ContainerFormat sniffing} of the containers reelbox
 * meets.
 *
 * <p>Pure code over {@link java.nio.channels.SeekableByteChannel} and byte arrays.
 */
package org.reelbox.media.mp4;
