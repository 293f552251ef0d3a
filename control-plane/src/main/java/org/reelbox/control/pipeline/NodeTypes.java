package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.reelbox.control.pipeline.NodeType.Trait;

/**
 * The node types a {@link ProfileLoader} accepts: an immutable registry by name. Add a type with
 * {@link #with}; nothing else changes.
 */
public final class NodeTypes {
  public static final String INSPECT = "inspect";
  public static final String SPLIT = "split";
  public static final String WATERMARK = "watermark";
  public static final String ENCODE = "encode";
  public static final String AUDIO = "audio";
  public static final String THUMBNAIL = "thumbnail";
  public static final String PACKAGE = "package";

  /** The thumbnail parameter that a creator's custom image ({@link PlanOptions}) sets. */
  public static final String THUMBNAIL_IMAGE_PARAM = "image";

  /** File types a watermark and a custom thumbnail may be. */
  public static final List<String> WATERMARK_EXTENSIONS = List.of("png");

  public static final List<String> THUMBNAIL_EXTENSIONS = List.of("jpg", "jpeg", "png");

  private static final NodeTypes BUILTIN =
      of(
          List.of(
              NodeType.builder(INSPECT)
                  .description(
                      "probes the original: container, codecs, duration, size, frame rate, rotation;"
                          + " rejects what cannot be processed")
                  .build(),
              NodeType.builder(SPLIT)
                  .description("cuts the video stream at GOP boundaries into chunks (stream copy)")
                  .traits(Trait.PRODUCES_CHUNKS)
                  .requires(INSPECT)
                  // A chunk is the unit of parallel work and of retry: a few seconds keeps both
                  // cheap while the per-chunk start-up cost of an encoder stays small.
                  .params(ParamSpec.integer("chunkSeconds", 1, 60, 4))
                  .build(),
              NodeType.builder(WATERMARK)
                  .description("overlays an image on every frame; fused into the encode task")
                  .traits(Trait.PER_FRAME_FILTER)
                  .params(
                      ParamSpec.key("image", true, WATERMARK_EXTENSIONS.toArray(String[]::new)),
                      ParamSpec.choice(
                          "position",
                          "top-right",
                          "top-left",
                          "top-right",
                          "bottom-left",
                          "bottom-right"),
                      ParamSpec.integer("marginPx", 0, 256, 16))
                  .build(),
              NodeType.builder(ENCODE)
                  .description("encodes each chunk into each rendition of the ladder (H.264)")
                  .fanout(Fanout.PER_CHUNK_AND_RENDITION)
                  .traits(Trait.ACCEPTS_FILTERS)
                  .params(
                      ParamSpec.choice(
                          "preset",
                          "veryfast",
                          "ultrafast",
                          "superfast",
                          "veryfast",
                          "faster",
                          "fast",
                          "medium",
                          "slow",
                          "slower",
                          "veryslow"))
                  .build(),
              NodeType.builder(AUDIO)
                  .description("encodes the whole audio track once to the profile's audio format")
                  .requires(INSPECT)
                  .build(),
              NodeType.builder(THUMBNAIL)
                  .description(
                      "picks frames for thumbnails, or scales the creator's image when one is set")
                  .requires(INSPECT)
                  .params(
                      ParamSpec.integer("count", 1, 10, 3),
                      ParamSpec.key(
                          THUMBNAIL_IMAGE_PARAM,
                          false,
                          THUMBNAIL_EXTENSIONS.toArray(String[]::new)))
                  .build(),
              NodeType.builder(PACKAGE)
                  .description(
                      "writes the HLS segments and playlists, optionally AES-128 encrypted")
                  .traits(Trait.SINK)
                  .requires(ENCODE)
                  .params(
                      ParamSpec.integer("segmentSeconds", 1, 30, 4),
                      ParamSpec.choice("encryption", "none", "none", "aes-128"))
                  .build()));

  private final SortedMap<String, NodeType> byName;

  private NodeTypes(SortedMap<String, NodeType> byName) {
    this.byName = Collections.unmodifiableSortedMap(byName);
  }

  /**
   * The built-in types: inspect, split, watermark, encode, audio, thumbnail and package. See
   * docs/pipelines.md for what each does and accepts.
   */
  public static NodeTypes builtin() {
    return BUILTIN;
  }

  /**
   * A registry of exactly {@code types}.
   *
   * @throws IllegalArgumentException when two types share a name, or a type requires one that is
   *     not in the registry or is optional (a requirement that a switch could remove is no
   *     requirement)
   */
  public static NodeTypes of(Collection<NodeType> types) {
    SortedMap<String, NodeType> map = new TreeMap<>();
    for (NodeType t : types) {
      requireNonNull(t, "type");
      if (map.put(t.name(), t) != null) {
        throw new IllegalArgumentException("duplicate node type " + t.name());
      }
    }
    for (NodeType t : map.values()) {
      for (String r : t.requires()) {
        NodeType required = map.get(r);
        if (required == null) {
          throw new IllegalArgumentException(
              "node type " + t.name() + " requires unknown type " + r);
        }
        if (required.optional()) {
          throw new IllegalArgumentException(
              "node type " + t.name() + " requires optional type " + r);
        }
      }
    }
    return new NodeTypes(map);
  }

  /** This registry plus {@code more}; see {@link #of} for what is refused. */
  public NodeTypes with(NodeType... more) {
    List<NodeType> all = new ArrayList<>(byName.values());
    all.addAll(List.of(more));
    return of(all);
  }

  /** The type called {@code name}. */
  public Optional<NodeType> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every type's name, sorted. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(byName.keySet()));
  }
}
