package org.reelbox.control.work;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.reelbox.common.work.AudioOutput;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.common.work.EncodeInput;
import org.reelbox.common.work.EncodeOutput;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.PackageInput;
import org.reelbox.common.work.PackageOutput;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskType;
import org.reelbox.common.work.ThumbnailOutput;
import org.reelbox.common.work.WorkerInfo;

/** Plausible task outputs for a 1280x720 30 fps 30 s source split into 8 chunks. */
public final class Outputs {
  public static final int CHUNKS = 8;

  private Outputs() {}

  public static WorkerInfo cpuWorker(String id) {
    return new WorkerInfo(id, "host-" + id, WorkerInfo.FFMPEG, 4, 2, 2, List.of(), "test");
  }

  public static WorkerInfo jcodecWorker(String id) {
    return new WorkerInfo(id, "host-" + id, WorkerInfo.JCODEC, 2, 1, 1, List.of(), "test");
  }

  public static WorkerInfo gpuWorker(String id) {
    return new WorkerInfo(
        id, "host-" + id, WorkerInfo.FFMPEG, 8, 4, 4, List.of("h264_nvenc"), "test");
  }

  public static MediaInfo mediaInfo() {
    return new MediaInfo(
        "mp4",
        10_000_000,
        30_000,
        2,
        new MediaInfo.VideoInfo(
            "h264", "High", 1280, 720, 0, 1280, 720, 30, 1, 2_500_000, List.of(0L, 4000L)),
        new MediaInfo.AudioInfo("aac", 2, 48_000, 128_000));
  }

  /** The output a worker would report for an assignment. */
  public static JsonNode outputFor(TaskAssignment a) {
    String v = a.videoId();
    Object out =
        switch (a.type()) {
          case INSPECT -> mediaInfo();
          case SPLIT -> {
            List<SplitOutput.Chunk> chunks = new ArrayList<>();
            for (int i = 0; i < CHUNKS; i++) {
              chunks.add(
                  new SplitOutput.Chunk(
                      i, BlobLayout.chunkKey(v, i), i * 3750L, 3750, 112 + (i % 2)));
            }
            yield new SplitOutput(chunks);
          }
          case ENCODE -> {
            EncodeInput in = a.input(EncodeInput.class);
            yield new EncodeOutput(in.outputKey(), 100_000, in.chunk().frames(), 3750, "libx264");
          }
          case AUDIO -> new AudioOutput(BlobLayout.audioKey(v), 30_000, 0);
          case THUMBNAIL -> new ThumbnailOutput(List.of(BlobLayout.thumbnailKey(v, 0, 0)));
          case PACKAGE -> {
            PackageInput in = a.input(PackageInput.class);
            List<PackageOutput.PackagedRendition> rs = new ArrayList<>();
            for (PackageInput.PackageRendition r : in.renditions()) {
              rs.add(
                  new PackageOutput.PackagedRendition(
                      r.rendition().name(),
                      BlobLayout.mediaPlaylistKey(v, r.rendition().name()),
                      8,
                      r.rendition().videoBitrateBps(),
                      r.rendition().videoBitrateBps(),
                      "avc1.64001f,mp4a.40.2"));
            }
            yield new PackageOutput(BlobLayout.masterKey(v), 30_000, rs, false);
          }
        };
    return TaskAssignment.tree(out);
  }

  static boolean isType(TaskAssignment a, TaskType type) {
    return a.type() == type;
  }
}
