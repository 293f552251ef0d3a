package org.reelbox.control.pipeline;

/**
 * How many tasks one node of a plan becomes when the plan is expanded at run time (see {@link
 * Plan#expand}). A property of the {@link NodeType}, not of the profile: an encode node always maps
 * over chunk × rendition, so a profile cannot get it wrong.
 *
 * <p>Dependencies between tasks follow from the dimensions: a task depends on every task of each
 * input node whose chunk and rendition agree with its own on the dimensions both of them have. So
 * {@code encode/c0003/720p} depends on the one {@code split} task, and a {@link #ONCE} package
 * depends on every encode task (a gather).
 */
public enum Fanout {
  /** One task per job: inspect, split, audio, thumbnail, package. */
  ONCE(false, false),
  /** One task per chunk that the split produced. */
  PER_CHUNK(true, false),
  /** One task per rendition of the (capped) ladder. */
  PER_RENDITION(false, true),
  /** One task per chunk and rendition: encode. */
  PER_CHUNK_AND_RENDITION(true, true);

  private final boolean perChunk;
  private final boolean perRendition;

  Fanout(boolean perChunk, boolean perRendition) {
    this.perChunk = perChunk;
    this.perRendition = perRendition;
  }

  /** Whether this fan-out needs the chunk count, and so a chunk-producing node upstream. */
  public boolean perChunk() {
    return perChunk;
  }

  /** Whether this fan-out needs the ladder. */
  public boolean perRendition() {
    return perRendition;
  }
}
