package org.reelbox.encoder.ffmpeg;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.reelbox.common.work.FailureCode;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;
import org.reelbox.encoder.pkg.KeyframeIndex;

/**
 * Keyframes of a TS segment from ffprobe's packet list ({@code pos} is the offset of the TS packet
 * where the frame's PES starts). A stand-in until the media module's {@code TsScanner} lands; the
 * packager only sees {@link KeyframeIndex}.
 */
public final class FfprobeKeyframeIndex implements KeyframeIndex {
  private static final int STDOUT_LIMIT = 8 << 20;

  private final ProcessRunner runner;
  private final String ffprobe;

  public FfprobeKeyframeIndex(ProcessRunner runner, String ffprobe) {
    this.runner = requireNonNull(runner, "runner");
    this.ffprobe = requireNonNull(ffprobe, "ffprobe");
  }

  @Override
  public List<Keyframe> keyframes(Path segment, TaskControl control) throws TaskFailedException {
    long size;
    try {
      size = Files.size(segment);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.ENCODER_FAILED, "a segment is missing", e);
    }
    ProcessRunner.Result result =
        runner.run(
            List.of(
                ffprobe,
                "-hide_banner",
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "packet=pts_time,pos,flags",
                "-of",
                "csv=p=0",
                "-protocol_whitelist",
                "file",
                "-f",
                "mpegts",
                "-i",
                FfmpegBackend.fileUrl(segment)),
            ProcessRunner.Options.defaults()
                .withStdout(STDOUT_LIMIT)
                .withTimeout(Duration.ofSeconds(60)),
            control);
    if (result.exitCode() != 0) {
      throw new TaskFailedException(
          FailureCode.ENCODER_FAILED, "cannot index a segment: " + result.lastErrorLine());
    }
    List<long[]> packets = new ArrayList<>(); // pos, ptsUs, key
    for (String line : result.stdoutText().split("\n")) {
      String[] f = line.split(",");
      if (f.length < 3) {
        continue;
      }
      double pts = FfmpegBackend.parseDouble(f[0]);
      long pos;
      try {
        pos = Long.parseLong(f[1].strip());
      } catch (NumberFormatException e) {
        continue;
      }
      packets.add(new long[] {pos, Math.round(pts * 1e6), f[2].startsWith("K") ? 1 : 0});
    }
    packets.sort((a, b) -> Long.compare(a[0], b[0]));
    List<Keyframe> keyframes = new ArrayList<>();
    for (int i = 0; i < packets.size(); i++) {
      long[] p = packets.get(i);
      if (p[2] == 0) {
        continue;
      }
      // The segment's first keyframe takes the PAT/PMT before it, so its range plays alone.
      long offset = keyframes.isEmpty() ? 0 : p[0];
      long end = i + 1 < packets.size() ? packets.get(i + 1)[0] : size;
      if (end > offset) {
        keyframes.add(new Keyframe(offset, end - offset, p[1]));
      }
    }
    return keyframes;
  }
}
