package org.reelbox.encoder.worker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.work.AudioInput;
import org.reelbox.common.work.AudioOutput;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.common.work.EncodeInput;
import org.reelbox.common.work.EncodeOutput;
import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.FilterSpec;
import org.reelbox.common.work.InspectInput;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.PackageInput;
import org.reelbox.common.work.PackageOutput;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.common.work.SplitInput;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.common.work.TaskAssignment;
import org.reelbox.common.work.TaskType;
import org.reelbox.common.work.ThumbnailInput;
import org.reelbox.common.work.ThumbnailOutput;
import org.reelbox.encoder.backend.EncoderBackend;
import org.reelbox.encoder.backend.EncoderBackend.LocalFilter;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;

/**
 * Runs one assigned task: fetches its inputs into a private work directory, calls the backend (or
 * the packager), stores what it wrote under the keys of {@link BlobLayout}, and returns the output
 * record as the JSON tree the completion report carries. The work directory is deleted afterwards,
 * whatever happened.
 */
final class TaskRunner {
  private final EncoderBackend backend;
  private final Packager packager;
  private final BlobFiles blobs;
  private final Path workRoot;

  TaskRunner(EncoderBackend backend, Packager packager, BlobStore store, Path workRoot) {
    this.backend = requireNonNull(backend, "backend");
    this.packager = requireNonNull(packager, "packager");
    this.blobs = new BlobFiles(store);
    this.workRoot = requireNonNull(workRoot, "workRoot");
  }

  JsonNode run(TaskAssignment task, TaskControl control) throws TaskFailedException {
    Path dir = workDirectory();
    try {
      Object output =
          switch (task.type()) {
            case INSPECT -> inspect(input(task, InspectInput.class), dir, control);
            case SPLIT -> split(input(task, SplitInput.class), dir, control);
            case ENCODE -> encode(input(task, EncodeInput.class), dir, control);
            case AUDIO -> audio(input(task, AudioInput.class), dir, control);
            case THUMBNAIL -> thumbnail(input(task, ThumbnailInput.class), dir, control);
            case PACKAGE -> pack(input(task, PackageInput.class), dir, control);
          };
      return TaskAssignment.tree(output);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Runs a fused group: encodes of one chunk into several renditions, as one backend call ({@link
   * EncoderBackend#encodeAll}: one decode). The chunk and the watermark images are fetched once. A
   * group that is not that (the control plane only fuses encodes of one chunk and node, so this
   * means a version skew) runs its tasks one after the other.
   *
   * @return the members' outputs, in group order
   */
  List<JsonNode> runGroup(List<TaskAssignment> group, TaskControl control)
      throws TaskFailedException {
    List<EncodeInput> inputs = new ArrayList<>(group.size());
    for (TaskAssignment member : group) {
      if (member.type() != TaskType.ENCODE) {
        return runEach(group, control);
      }
      inputs.add(input(member, EncodeInput.class));
    }
    EncodeInput first = inputs.get(0);
    for (EncodeInput in : inputs) {
      if (!in.chunk().equals(first.chunk())
          || !in.filters().equals(first.filters())
          || !in.preset().equals(first.preset())
          || in.keyframeSeconds() != first.keyframeSeconds()) {
        return runEach(group, control);
      }
    }
    Path dir = workDirectory();
    try {
      Path chunk = blobs.fetch(first.chunk().key(), dir, "chunk.ts");
      List<LocalFilter> filters = new ArrayList<>();
      int n = 0;
      for (FilterSpec filter : first.filters()) {
        filters.add(localFilter(filter, dir, n++));
      }
      List<RenditionSpec> renditions = new ArrayList<>(inputs.size());
      List<Path> outs = new ArrayList<>(inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        renditions.add(inputs.get(i).rendition());
        outs.add(dir.resolve("out-" + i + ".ts"));
      }
      List<EncoderBackend.EncodedChunk> encoded =
          backend.encodeAll(
              chunk,
              first.chunk(),
              renditions,
              first.preset(),
              first.keyframeSeconds(),
              filters,
              outs,
              control);
      List<JsonNode> outputs = new ArrayList<>(inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        control.checkNotCancelled();
        EncodeInput in = inputs.get(i);
        long size = blobs.store(in.outputKey(), outs.get(i));
        EncoderBackend.EncodedChunk e = encoded.get(i);
        outputs.add(
            TaskAssignment.tree(
                new EncodeOutput(
                    in.outputKey(), size, e.frames(), e.durationMillis(), e.encoder())));
      }
      return outputs;
    } finally {
      deleteTree(dir);
    }
  }

  private List<JsonNode> runEach(List<TaskAssignment> group, TaskControl control)
      throws TaskFailedException {
    List<JsonNode> outputs = new ArrayList<>(group.size());
    for (TaskAssignment member : group) {
      outputs.add(run(member, control));
    }
    return outputs;
  }

  private Path workDirectory() throws TaskFailedException {
    try {
      return Files.createTempDirectory(Files.createDirectories(workRoot), "task-");
    } catch (IOException e) {
      throw new TaskFailedException(
          FailureCode.INTERNAL, "cannot create a work directory: " + e.getMessage(), e);
    }
  }

  private static <T> T input(TaskAssignment task, Class<T> type) throws TaskFailedException {
    try {
      return task.input(type);
    } catch (IllegalArgumentException e) {
      // The control plane sent something this worker does not understand: a version skew or a bug.
      throw new TaskFailedException(FailureCode.INTERNAL, e.getMessage(), false, e);
    }
  }

  private MediaInfo inspect(InspectInput in, Path dir, TaskControl control)
      throws TaskFailedException {
    Path source = blobs.fetch(in.sourceKey(), dir, "source");
    control.checkNotCancelled();
    return backend.inspect(source, in.limits(), control);
  }

  private SplitOutput split(SplitInput in, Path dir, TaskControl control)
      throws TaskFailedException {
    Path source = blobs.fetch(in.sourceKey(), dir, "source");
    Path out = mkdir(dir.resolve("chunks"));
    List<SplitOutput.Chunk> chunks =
        backend.split(source, in.source(), in.chunkSeconds(), out, control);
    List<SplitOutput.Chunk> stored = new ArrayList<>(chunks.size());
    for (SplitOutput.Chunk chunk : chunks) {
      control.checkNotCancelled();
      String key = BlobLayout.chunkKey(in.videoId(), chunk.index());
      blobs.store(key, out.resolve(chunk.key()));
      stored.add(
          new SplitOutput.Chunk(
              chunk.index(),
              key,
              chunk.startMillis(),
              chunk.durationMillis(),
              chunk.frames(),
              chunk.rotation()));
    }
    return new SplitOutput(stored);
  }

  private EncodeOutput encode(EncodeInput in, Path dir, TaskControl control)
      throws TaskFailedException {
    Path chunk = blobs.fetch(in.chunk().key(), dir, "chunk.ts");
    List<LocalFilter> filters = new ArrayList<>();
    int n = 0;
    for (FilterSpec filter : in.filters()) {
      filters.add(localFilter(filter, dir, n++));
    }
    Path out = dir.resolve("out.ts");
    EncoderBackend.EncodedChunk encoded =
        backend.encode(
            chunk,
            in.chunk(),
            in.rendition(),
            in.preset(),
            in.keyframeSeconds(),
            filters,
            out,
            control);
    control.checkNotCancelled();
    long size = blobs.store(in.outputKey(), out);
    return new EncodeOutput(
        in.outputKey(), size, encoded.frames(), encoded.durationMillis(), encoded.encoder());
  }

  private LocalFilter localFilter(FilterSpec filter, Path dir, int n) throws TaskFailedException {
    Object image = filter.params().get("image");
    if (!(image instanceof String imageKey)) {
      throw new TaskFailedException(
          FailureCode.INTERNAL, "filter " + filter.type() + " has no image", false, null);
    }
    Path local = blobs.fetch(imageKey, dir, "filter-" + n + ".png");
    String position = String.valueOf(filter.params().getOrDefault("position", "top-right"));
    Object margin = filter.params().getOrDefault("marginPx", 16);
    int marginPx = margin instanceof Number number ? number.intValue() : 16;
    return new LocalFilter(filter.type(), local, position, marginPx);
  }

  private AudioOutput audio(AudioInput in, Path dir, TaskControl control)
      throws TaskFailedException {
    if (in.source().audio() == null) {
      return new AudioOutput(null, 0, 0);
    }
    Path source = blobs.fetch(in.sourceKey(), dir, "source");
    Path out = dir.resolve("audio.aac");
    Optional<EncoderBackend.AudioResult> result =
        backend.audio(source, in.source(), in, out, control);
    if (result.isEmpty()) {
      return new AudioOutput(null, 0, 0);
    }
    control.checkNotCancelled();
    blobs.store(in.outputKey(), out);
    return new AudioOutput(
        in.outputKey(), result.get().durationMillis(), result.get().startOffsetMillis());
  }

  private ThumbnailOutput thumbnail(ThumbnailInput in, Path dir, TaskControl control)
      throws TaskFailedException {
    Path source = blobs.fetch(in.sourceKey(), dir, "source");
    Path image = in.image() == null ? null : blobs.fetch(in.image(), dir, "creator-image");
    Path out = mkdir(dir.resolve("thumbs"));
    List<Path> files = backend.thumbnails(source, in.source(), in.count(), image, out, control);
    List<String> keys = new ArrayList<>(files.size());
    for (Path file : files) {
      control.checkNotCancelled();
      String key = BlobLayout.hlsPrefix(in.videoId()) + "thumbs/" + file.getFileName();
      blobs.store(key, file);
      keys.add(key);
    }
    return new ThumbnailOutput(keys);
  }

  private PackageOutput pack(PackageInput in, Path dir, TaskControl control)
      throws TaskFailedException {
    List<List<Path>> chunks = new ArrayList<>();
    int r = 0;
    for (PackageInput.PackageRendition rendition : in.renditions()) {
      List<Path> files = new ArrayList<>();
      Path rdir = mkdir(dir.resolve("in").resolve("r" + r++));
      int c = 0;
      for (EncodeOutput chunk : rendition.chunks()) {
        files.add(blobs.fetch(chunk.key(), rdir, "c" + c++ + ".ts"));
      }
      chunks.add(files);
    }
    Path audio = in.audio().key() == null ? null : blobs.fetch(in.audio().key(), dir, "audio.aac");
    Path hlsDir = mkdir(dir.resolve("hls"));
    Path keyDir = mkdir(dir.resolve("keys"));
    if (PackageInput.AES_128.equals(in.encryption())) {
      // The key of an early package (published before this one): the final package encrypts
      // with it too, so the segments players already fetched stay valid (docs/transcoding.md §10).
      blobs.copyIfPresent(BlobLayout.keyKey(in.videoId(), 0), keyDir.resolve("0.key"));
    }
    PackageOutput output = packager.pack(in, chunks, audio, hlsDir, keyDir, control);
    control.checkNotCancelled();
    // Keys first, then segments and media playlists, the master last: once the master playlist
    // exists, everything it leads to does too.
    storeTree(keyDir, "keys/" + in.videoId() + "/", null, control);
    String masterName = "master.m3u8";
    storeTree(hlsDir, BlobLayout.hlsPrefix(in.videoId()), masterName, control);
    control.checkNotCancelled();
    blobs.store(BlobLayout.masterKey(in.videoId()), hlsDir.resolve(masterName));
    return output;
  }

  /**
   * Stores every file under {@code dir} as {@code prefix + relative path}, media playlists last.
   */
  private void storeTree(Path dir, String prefix, String skip, TaskControl control)
      throws TaskFailedException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "cannot list the package output", e);
    }
    List<Path> ordered = new ArrayList<>(files);
    ordered.sort(Comparator.comparing((Path p) -> p.toString().endsWith(".m3u8")));
    for (Path file : ordered) {
      String relative = dir.relativize(file).toString().replace('\\', '/');
      if (relative.equals(skip)) {
        continue;
      }
      // Checked before every object: a worker that lost its lease stops writing at once.
      control.checkNotCancelled();
      blobs.store(prefix + relative, file);
    }
  }

  private static Path mkdir(Path dir) throws TaskFailedException {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new TaskFailedException(FailureCode.INTERNAL, "cannot create " + dir.getFileName(), e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // Best effort: the worker wipes its work root at start-up.
                }
              });
    } catch (IOException e) {
      // Same.
    }
  }
}
