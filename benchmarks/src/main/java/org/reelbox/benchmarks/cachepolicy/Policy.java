package org.reelbox.benchmarks.cachepolicy;

/**
 * An online cache policy bounded in bytes. The replay calls {@link #access} once per request, in
 * order; a miss means the object was fetched from the origin, and the policy decides whether to
 * keep it.
 */
public interface Policy {
  /**
   * One request.
   *
   * @param object dense object id
   * @param sizeBytes the object's size (the same on every request for it)
   * @return whether it was a hit
   */
  boolean access(int object, int sizeBytes);

  /** Bytes held now; never above the capacity after {@link #access} returns. */
  long usedBytes();
}
