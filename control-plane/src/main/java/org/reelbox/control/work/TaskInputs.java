package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.reelbox.common.json.Json;
import org.reelbox.common.work.AudioInput;
import org.reelbox.common.work.AudioOutput;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.common.work.EncodeInput;
import org.reelbox.common.work.EncodeOutput;
import org.reelbox.common.work.FilterSpec;
import org.reelbox.common.work.InputLimits;
import org.reelbox.common.work.InspectInput;
import org.reelbox.common.work.MediaInfo;
import org.reelbox.common.work.PackageInput;
import org.reelbox.common.work.RenditionSpec;
import org.reelbox.common.work.SplitInput;
import org.reelbox.common.work.SplitOutput;
import org.reelbox.common.work.ThumbnailInput;
import org.reelbox.common.work.ThumbnailOutput;
import org.reelbox.control.pipeline.AudioSpec;
import org.reelbox.control.pipeline.ExpandedPlan;
import org.reelbox.control.pipeline.Filter;
import org.reelbox.control.pipeline.FrameRate;
import org.reelbox.control.pipeline.NodeTypes;
import org.reelbox.control.pipeline.PlannedNode;
import org.reelbox.control.pipeline.Rendition;
import org.reelbox.control.pipeline.SourceInfo;
import org.reelbox.control.pipeline.Task;

/**
 * Builds each task's input record (docs/transcoding.md §3) from its plan node or task and the
 * outputs of the tasks it depends on. Pure: no I/O.
 */
public final class TaskInputs {
  private final InputLimits limits;

  public TaskInputs(InputLimits limits) {
    this.limits = requireNonNull(limits, "limits");
  }

  /** The planner's view of a source inspect described. */
  public static SourceInfo sourceInfo(MediaInfo info) {
    MediaInfo.VideoInfo v = info.video();
    return new SourceInfo(
        v.displayWidth(),
        v.displayHeight(),
        new FrameRate(v.frameRateNum(), v.frameRateDen()),
        Math.max(1, info.durationMillis()) * 1000);
  }

  /** The input of a task that needs only the source (and, past inspect, what inspect found). */
  public Object onceInput(String videoId, PlannedNode node, AudioSpec audio, MediaInfo source) {
    String sourceKey = BlobLayout.sourceKey(videoId);
    return switch (node.type().name()) {
      case NodeTypes.INSPECT -> new InspectInput(sourceKey, limits);
      case NodeTypes.SPLIT ->
          new SplitInput(sourceKey, intParam(node.params(), "chunkSeconds"), videoId, source);
      case NodeTypes.AUDIO ->
          new AudioInput(
              sourceKey,
              audio.bitrateBps(),
              audio.channels(),
              audio.sampleRateHz(),
              BlobLayout.audioKey(videoId),
              source);
      case NodeTypes.THUMBNAIL ->
          new ThumbnailInput(
              videoId,
              sourceKey,
              intParam(node.params(), "count"),
              (String) node.params().get(NodeTypes.THUMBNAIL_IMAGE_PARAM),
              source);
      default ->
          throw new IllegalArgumentException(
              "node " + node.id() + " (" + node.type().name() + ") is not a source task");
    };
  }

  /** An encode task's input: its chunk of the split, its rendition, the fused filters. */
  public EncodeInput encodeInput(
      String videoId, Task task, ExpandedPlan plan, SplitOutput split, int keyframeSeconds) {
    int c = task.chunk().orElseThrow();
    if (c >= split.chunks().size()) {
      throw new IllegalArgumentException(
          "task " + task.id() + ": the split has only " + split.chunks().size() + " chunks");
    }
    Rendition r = task.rendition().orElseThrow();
    List<FilterSpec> filters = new ArrayList<>();
    for (Filter f : task.filters()) {
      filters.add(new FilterSpec(f.type().name(), f.params()));
    }
    return new EncodeInput(
        videoId,
        split.chunks().get(c),
        renditionSpec(r, plan.source()),
        String.valueOf(task.params().get("preset")),
        keyframeSeconds,
        filters,
        BlobLayout.encodedChunkKey(videoId, r.name(), c));
  }

  /**
   * The package task's input: the encoded chunks of each rendition in ladder and chunk order, the
   * audio and the thumbnails, from the outputs of the tasks it depends on (by task id).
   */
  public PackageInput packageInput(
      String videoId, Task task, ExpandedPlan plan, AudioSpec audio, Map<String, String> outputs) {
    return packageInput(videoId, task, plan, audio, outputs, r -> true);
  }

  /**
   * The input of an early package (progressive publishing): like the sink's, with only the
   * renditions {@code include} accepts; the encode tasks of the others are skipped (they need not
   * have an output yet).
   */
  public PackageInput packageInput(
      String videoId,
      Task task,
      ExpandedPlan plan,
      AudioSpec audio,
      Map<String, String> outputs,
      Predicate<Rendition> include) {
    Map<String, List<EncodeOutput>> byRendition = new LinkedHashMap<>();
    plan.ladder().stream()
        .filter(include)
        .forEach(r -> byRendition.put(r.name(), new ArrayList<>()));
    AudioOutput audioOut = new AudioOutput(null, 0, 0);
    List<String> thumbnails = new ArrayList<>();
    for (String dep : task.dependsOn()) {
      Task d = plan.task(dep).orElseThrow(() -> new IllegalStateException("no task " + dep));
      if (d.rendition().isPresent() && !include.test(d.rendition().get())) {
        continue;
      }
      String json = outputs.get(dep);
      if (json == null) {
        throw new IllegalStateException("task " + dep + " has no output");
      }
      switch (d.type().name()) {
        case NodeTypes.ENCODE ->
            byRendition.get(d.rendition().orElseThrow().name()).add(read(json, EncodeOutput.class));
        case NodeTypes.AUDIO -> audioOut = read(json, AudioOutput.class);
        case NodeTypes.THUMBNAIL -> thumbnails.addAll(read(json, ThumbnailOutput.class).keys());
        default -> {
          // Other inputs (a future captions node) do not change the packaging.
        }
      }
    }
    List<PackageInput.PackageRendition> renditions = new ArrayList<>();
    for (Rendition r : plan.ladder()) {
      if (!include.test(r)) {
        continue;
      }
      renditions.add(
          new PackageInput.PackageRendition(
              renditionSpec(r, plan.source()), byRendition.get(r.name())));
    }
    return new PackageInput(
        videoId,
        intParam(task.params(), "segmentSeconds"),
        String.valueOf(task.params().get("encryption")),
        renditions,
        audioOut,
        audio.bitrateBps(),
        audio.channels(),
        audio.sampleRateHz(),
        thumbnails);
  }

  /** A planner rendition as the wire states it, with the frame step from the source's rate. */
  public static RenditionSpec renditionSpec(Rendition r, SourceInfo source) {
    FrameRate in = source.frameRate();
    FrameRate out = r.frameRate();
    // out = in / step, so step = in / out = (in.num * out.den) / (in.den * out.num).
    long num = (long) in.numerator() * out.denominator();
    long den = (long) in.denominator() * out.numerator();
    int step = (int) Math.max(1, Math.round((double) num / den));
    return new RenditionSpec(
        r.name(),
        r.width(),
        r.height(),
        out.numerator(),
        out.denominator(),
        step,
        r.videoBitrateBps(),
        r.profile().label(),
        r.level().label());
  }

  /** Reads a stored record; a stored output that does not parse is a bug, not a client error. */
  static <T> T read(String json, Class<T> type) {
    try {
      return Json.mapper().readValue(json, type);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "a stored " + type.getSimpleName() + " does not parse: " + e.getMessage(), e);
    }
  }

  static int intParam(Map<String, Object> params, String name) {
    Object value = params.get(name);
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException("param " + name + " is missing");
    }
    return n.intValue();
  }
}
