package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a worker says about itself with every claim: the worker queue's row.
 *
 * @param workerId stable for the life of the worker process, 1–64 of {@code [A-Za-z0-9._-]}
 * @param host a human-readable host name, for the admin UI and logs
 * @param backend {@code "ffmpeg"} or {@code "jcodec"}
 * @param cores CPU cores of the node
 * @param slots tasks the worker runs at once
 * @param freeSlots slots free now (the claim asks for one task at most)
 * @param hwEncoders hardware H.264 encoders that passed a trial encode ({@code h264_nvenc}, …);
 *     empty for a CPU-only node
 * @param version the reelbox version of the worker
 */
public record WorkerInfo(
    String workerId,
    String host,
    String backend,
    int cores,
    int slots,
    int freeSlots,
    List<String> hwEncoders,
    String version) {
  public static final String FFMPEG = "ffmpeg";
  public static final String JCODEC = "jcodec";

  public WorkerInfo {
    requireNonNull(workerId, "workerId");
    requireNonNull(host, "host");
    requireNonNull(backend, "backend");
    hwEncoders = hwEncoders == null ? List.of() : List.copyOf(hwEncoders);
    requireNonNull(version, "version");
  }

  /** Whether the node can encode on a GPU: such workers get the heavy encodes first. */
  public boolean hasHardwareEncoder() {
    return !hwEncoders.isEmpty();
  }
}
