package org.reelbox.encoder.worker;

import java.nio.file.Path;
import java.util.List;
import org.reelbox.common.work.PackageInput;
import org.reelbox.common.work.PackageOutput;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;

/** The package step: encoded chunks and audio, already local, into an HLS tree. */
@FunctionalInterface
public interface Packager {
  /**
   * Writes the video's HLS tree under {@code hlsDir} as it will lie under {@code hls/{videoId}/}
   * ({@code master.m3u8}, {@code 720p/index.m3u8}, {@code 720p/0.ts}, …) and any AES keys under
   * {@code keyDir} as they will lie under {@code keys/{videoId}/} ({@code 0.key}). A key already in
   * {@code keyDir} (the one the video was published under) is used, not replaced.
   *
   * @param chunks the local encoded chunk files of each rendition, in the order of {@code
   *     input.renditions()}
   * @param audio the local ADTS audio, or {@code null}
   */
  PackageOutput pack(
      PackageInput input,
      List<List<Path>> chunks,
      Path audio,
      Path hlsDir,
      Path keyDir,
      TaskControl control)
      throws TaskFailedException;
}
