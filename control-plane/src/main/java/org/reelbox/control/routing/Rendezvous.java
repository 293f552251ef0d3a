package org.reelbox.control.routing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Rendezvous (highest-random-weight) hashing: each box gets a pseudo-random weight for a video, and
 * the video goes to the heaviest box, then the next as a fallback. Every video concentrates on one
 * box of a region (one cached copy instead of one per box), videos spread evenly over the boxes,
 * and a box that leaves moves only its own videos: the others' heaviest box is unchanged (Thaler
 * and Ravishankar, "Using name-based mappings to increase hit rates", 1998).
 */
public final class Rendezvous {
  private Rendezvous() {}

  /** {@code boxes} ordered for {@code key}: the chosen box first, then the fallbacks in order. */
  public static <T> List<T> order(String key, List<T> boxes, Function<T, String> boxId) {
    List<T> ordered = new ArrayList<>(boxes);
    // Ties (a 2^-64 chance) fall back to the id, so the order never depends on the input order.
    ordered.sort(
        Comparator.comparingLong((T b) -> weight(key, boxId.apply(b)))
            .reversed()
            .thenComparing(boxId));
    return ordered;
  }

  /** The weight of {@code boxId} for {@code key}; any fixed total order on weights will do. */
  static long weight(String key, String boxId) {
    // FNV-1a over key, a separator no id contains, and the box id; then the SplitMix64 finaliser,
    // because FNV's low bits alone mix poorly for keys that share a long prefix.
    long h = 0xcbf29ce484222325L;
    for (byte b : (key + "\n" + boxId).getBytes(UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return h;
  }
}
