package org.reelbox.control.pipeline;

/**
 * What is wrong with a rejected profile: the error table of the profile format. Each {@link
 * ProfileException} carries one, and a one-line message that names the node or field.
 */
public enum ProfileProblem {
  /** The file is not YAML, or not a mapping. */
  INVALID_YAML,
  /** A key that the format does not have (a typo: {@code aftr:}). */
  UNKNOWN_FIELD,
  /** A field is missing, of the wrong type, or has a value its rules refuse. */
  BAD_VALUE,
  /** The {@code video:} block: codec, or a {@code maxLevel} above 4.1. */
  BAD_VIDEO,
  /** The {@code audio:} block. */
  BAD_AUDIO,
  /** The ladder: empty, duplicate names, bad heights or bitrates, a rung its level cannot carry. */
  BAD_LADDER,
  /** Two nodes with the same id. */
  DUPLICATE_NODE_ID,
  /** A {@code type:} that the {@link NodeTypes} registry does not know. */
  UNKNOWN_NODE_TYPE,
  /** A node's {@code params:}: unknown, missing or out of range. */
  BAD_PARAMS,
  /** An {@code after:} that names no node. */
  UNKNOWN_INPUT,
  /** The edges form a cycle; the message gives its path. */
  CYCLE,
  /** No sink (package) node, or more than one. */
  SINK,
  /** More than one node that produces chunks (split). */
  CHUNK_PRODUCERS,
  /** A node lacks a node type it needs upstream (encode without split, package without encode). */
  MISSING_INPUT,
  /** A per-frame filter that does not feed exactly one node that accepts filters. */
  BAD_FILTER,
  /** A node whose output nothing uses: it does not lead to the sink. */
  UNUSED_OUTPUT,
  /** A profile directory without {@code default.yaml}, which videos get when they name none. */
  NO_DEFAULT
}
