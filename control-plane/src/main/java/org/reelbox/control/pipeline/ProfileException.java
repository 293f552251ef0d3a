package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

/**
 * A pipeline profile was rejected at load time. The message is one line, {@code SOURCE: DETAIL},
 * where the detail names the node or field and the problem, such as {@code default.yaml: node
 * 'encode': unknown type 'encdoe' (known: audio, encode, …)}. The control plane prints it and does
 * not start: a bad profile is an operator's mistake, found before any video uses it.
 */
public final class ProfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final ProfileProblem problem;
  private final String detail;

  public ProfileException(String source, ProfileProblem problem, String detail) {
    super(requireNonNull(source, "source") + ": " + requireNonNull(detail, "detail"));
    this.source = source;
    this.problem = requireNonNull(problem, "problem");
    this.detail = detail;
  }

  /** The file (or, for a profile built in code, {@code profile 'NAME'}). */
  public String source() {
    return source;
  }

  public ProfileProblem problem() {
    return problem;
  }

  /** The message without its source. */
  public String detail() {
    return detail;
  }

  /** The same rejection, attributed to {@code newSource}. */
  public ProfileException withSource(String newSource) {
    ProfileException e = new ProfileException(newSource, problem, detail);
    e.setStackTrace(getStackTrace());
    return e;
  }
}
