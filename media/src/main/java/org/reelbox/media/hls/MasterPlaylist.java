package org.reelbox.media.hls;

import static org.reelbox.media.hls.Checks.checkArgument;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A master playlist (RFC 8216 §4.3.4): the variant streams of one presentation, their alternative
 * renditions, and their I-frame playlists.
 *
 * <p>Checked here, so that a written playlist is never inconsistent: there is at least one variant;
 * every AUDIO or SUBTITLES group that a variant names exists among the renditions of that type
 * (§4.3.4.2); within a group, NAMEs are unique and at most one rendition is DEFAULT (§4.3.4.1.1).
 *
 * @param version the {@code EXT-X-VERSION}, 1 or more; none of the tags modelled here needs more
 * @param independentSegments whether {@code EXT-X-INDEPENDENT-SEGMENTS} is present (§4.3.5.1)
 * @param renditions the {@code EXT-X-MEDIA} tags, in order
 * @param variants the {@code EXT-X-STREAM-INF} variants, in order; not empty
 * @param iFrameVariants the {@code EXT-X-I-FRAME-STREAM-INF} tags, in order
 */
public record MasterPlaylist(
    int version,
    boolean independentSegments,
    List<Rendition> renditions,
    List<Variant> variants,
    List<IFrameVariant> iFrameVariants)
    implements Playlist {

  public MasterPlaylist {
    checkArgument(version >= 1, "version must be 1 or more: %s", version);
    renditions = List.copyOf(renditions);
    variants = List.copyOf(variants);
    iFrameVariants = List.copyOf(iFrameVariants);
    checkArgument(!variants.isEmpty(), "a master playlist needs at least one variant");

    Map<Group, Set<String>> namesByGroup = new HashMap<>();
    Set<Group> groupsWithDefault = new HashSet<>();
    for (Rendition rendition : renditions) {
      Group group = new Group(rendition.type(), rendition.groupId());
      checkArgument(
          namesByGroup.computeIfAbsent(group, g -> new HashSet<>()).add(rendition.name()),
          "NAME %s appears twice in %s group %s",
          rendition.name(),
          group.type(),
          group.id());
      checkArgument(
          !rendition.isDefault() || groupsWithDefault.add(group),
          "%s group %s has more than one DEFAULT rendition",
          group.type(),
          group.id());
    }
    for (Variant variant : variants) {
      checkGroup(namesByGroup, Rendition.Type.AUDIO, variant.audioGroupId(), variant.uri());
      checkGroup(namesByGroup, Rendition.Type.SUBTITLES, variant.subtitlesGroupId(), variant.uri());
    }
  }

  private static void checkGroup(
      Map<Group, Set<String>> groups, Rendition.Type type, Optional<String> groupId, String uri) {
    groupId.ifPresent(
        id ->
            checkArgument(
                groups.containsKey(new Group(type, id)),
                "variant %s names %s group %s, which has no renditions",
                uri,
                type,
                id));
  }

  private record Group(Rendition.Type type, String id) {}
}
