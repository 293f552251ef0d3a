package org.reelbox.encoder.ffmpeg;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.reelbox.common.work.FailureCode;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ffmpeg and ffprobe so that no input can crash or hang the worker.
 *
 * <ul>
 *   <li>An argument list, never a shell: nothing in a file name or a probe value is interpreted.
 *   <li>stdin is closed ({@code /dev/null}); callers add {@code -nostdin} as well.
 *   <li>A wall-clock limit: the task's {@link TaskControl#deadline()}, or an earlier one per call.
 *       Past it, or once {@link TaskControl#isCancelled()} turns true (polled every {@value
 *       #POLL_MILLIS} ms), the whole process tree is killed ({@link ProcessHandle#descendants()}
 *       first, then the process, with {@code destroyForcibly}), and the call fails with {@code
 *       TIMEOUT} or {@code WORKER_SHUTDOWN}.
 *   <li>stderr is kept as a bounded tail (the last {@link Options#stderrTailBytes()} bytes), for
 *       error messages; stdout is either discarded or captured up to {@link
 *       Options#maxStdoutBytes()} (ffprobe JSON), past which the process is killed: a probe answer
 *       that large is an attack, not a file.
 *   <li>Resource limits through {@code /usr/bin/prlimit} when it is installed: address space
 *       ({@code --as}), largest file written ({@code --fsize}), no core dumps. Without prlimit the
 *       process runs unlimited but still under the wall-clock limit; the worker logs that once.
 * </ul>
 */
public final class ProcessRunner {
  private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);
  static final long POLL_MILLIS = 50;
  private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

  private final Clock clock;
  private final Limits limits;
  private final boolean usePrlimit;

  /**
   * OS limits applied through prlimit.
   *
   * @param addressSpaceBytes {@code RLIMIT_AS}; 0 for none. libx264 maps a lot of address space (a
   *     glibc arena per thread), so this is a guard against runaway allocation, not a tight fit
   * @param fileSizeBytes {@code RLIMIT_FSIZE}, the largest file the process may write; 0 for none
   */
  public record Limits(long addressSpaceBytes, long fileSizeBytes) {
    /** 8 GiB of address space, 16 GiB per file written. */
    public static Limits defaults() {
      return new Limits(8L << 30, 16L << 30);
    }
  }

  /**
   * Per-call options.
   *
   * @param timeout a limit for this call, earlier than the task deadline; {@code null} for none
   * @param maxStdoutBytes capture stdout up to this many bytes (killing the process past it); 0 to
   *     discard stdout
   * @param stderrTailBytes how much of the end of stderr to keep
   */
  public record Options(Duration timeout, int maxStdoutBytes, int stderrTailBytes) {
    public static final int DEFAULT_STDERR_TAIL = 64 * 1024;

    public Options {
      if (maxStdoutBytes < 0 || stderrTailBytes < 0) {
        throw new IllegalArgumentException(
            "byte limits must not be negative: " + maxStdoutBytes + ", " + stderrTailBytes);
      }
    }

    /** Discard stdout, keep 64 KiB of stderr, no extra timeout. */
    public static Options defaults() {
      return new Options(null, 0, DEFAULT_STDERR_TAIL);
    }

    public Options withTimeout(Duration timeout) {
      return new Options(timeout, maxStdoutBytes, stderrTailBytes);
    }

    public Options withStdout(int maxStdoutBytes) {
      return new Options(timeout, maxStdoutBytes, stderrTailBytes);
    }
  }

  /**
   * What a finished process left.
   *
   * @param exitCode its exit status
   * @param stdout the captured stdout (empty when discarded)
   * @param stderrTail the end of its stderr, decoded as UTF-8 (replacing bad bytes)
   * @param stdoutOverflow whether stdout went past the limit (the process was then killed)
   */
  public record Result(int exitCode, byte[] stdout, String stderrTail, boolean stdoutOverflow) {
    public String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** The last non-blank line of stderr, for a short error message. */
    public String lastErrorLine() {
      String[] lines = stderrTail.strip().split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (!lines[i].isBlank()) {
          return lines[i].strip();
        }
      }
      return "exit status " + exitCode;
    }
  }

  public ProcessRunner() {
    this(Clock.systemUTC(), Limits.defaults());
  }

  public ProcessRunner(Clock clock, Limits limits) {
    this.clock = requireNonNull(clock, "clock");
    this.limits = requireNonNull(limits, "limits");
    this.usePrlimit =
        Files.isExecutable(PRLIMIT)
            && (limits.addressSpaceBytes() > 0 || limits.fileSizeBytes() > 0);
    if (!usePrlimit) {
      log.info("prlimit not found at {}: ffmpeg runs without OS resource limits", PRLIMIT);
    }
  }

  /** Whether child processes run under prlimit. */
  public boolean usesPrlimit() {
    return usePrlimit;
  }

  /**
   * Runs {@code command} to completion (whatever its exit status), or kills it.
   *
   * @throws TaskFailedException {@code TIMEOUT} past the deadline or the call's timeout, {@code
   *     WORKER_SHUTDOWN} when cancelled or interrupted, {@code ENCODER_FAILED} when it cannot start
   */
  public Result run(List<String> command, Options options, TaskControl control)
      throws TaskFailedException {
    requireNonNull(command, "command");
    requireNonNull(options, "options");
    requireNonNull(control, "control");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    control.checkNotCancelled();
    Instant deadline = control.deadline();
    boolean callTimeout = false;
    if (options.timeout() != null) {
      Instant callDeadline = clock.instant().plus(options.timeout());
      if (callDeadline.isBefore(deadline)) {
        deadline = callDeadline;
        callTimeout = true;
      }
    }

    List<String> argv = new ArrayList<>();
    if (usePrlimit) {
      argv.add(PRLIMIT.toString());
      if (limits.addressSpaceBytes() > 0) {
        argv.add("--as=" + limits.addressSpaceBytes());
      }
      if (limits.fileSizeBytes() > 0) {
        argv.add("--fsize=" + limits.fileSizeBytes());
      }
      argv.add("--core=0");
      argv.add("--");
    }
    argv.addAll(command);

    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (options.maxStdoutBytes() == 0) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new TaskFailedException(
          FailureCode.ENCODER_FAILED, "cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
    String name = Path.of(command.get(0)).getFileName().toString();
    TailBuffer stderr = new TailBuffer(options.stderrTailBytes());
    Thread stderrPump = pump(process.getErrorStream(), stderr, name + "-stderr");
    BoundedBuffer stdout = null;
    Thread stdoutPump = null;
    if (options.maxStdoutBytes() > 0) {
      stdout = new BoundedBuffer(options.maxStdoutBytes());
      stdoutPump = pump(process.getInputStream(), stdout, name + "-stdout");
    }

    try {
      while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        if (control.isCancelled()) {
          killTree(process);
          throw new TaskFailedException(FailureCode.WORKER_SHUTDOWN, name + " cancelled");
        }
        if (!clock.instant().isBefore(deadline)) {
          killTree(process);
          throw new TaskFailedException(
              FailureCode.TIMEOUT,
              callTimeout
                  ? name + " ran past its " + options.timeout().toSeconds() + " s limit"
                  : name + " ran past the task's deadline");
        }
        if (stdout != null && stdout.overflowed()) {
          killTree(process);
        }
      }
      stderrPump.join(1000);
      if (stdoutPump != null) {
        stdoutPump.join(1000);
      }
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new TaskFailedException(FailureCode.WORKER_SHUTDOWN, name + " interrupted", e);
    }
    return new Result(
        process.exitValue(),
        stdout == null ? new byte[0] : stdout.bytes(),
        stderr.text(),
        stdout != null && stdout.overflowed());
  }

  /** Kills the process and everything it started, children first, without waiting long. */
  static void killTree(Process process) {
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread pump(InputStream in, Sink sink, String name) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  sink.write(buffer, n);
                }
              } catch (IOException e) {
                // The process was killed or closed its end: what was read is what there is.
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private interface Sink {
    void write(byte[] bytes, int length);
  }

  /** Keeps the last {@code capacity} bytes written: a ring buffer. */
  static final class TailBuffer implements Sink {
    private final byte[] ring;
    private long written;

    TailBuffer(int capacity) {
      this.ring = new byte[capacity];
    }

    @Override
    public synchronized void write(byte[] bytes, int length) {
      if (ring.length == 0) {
        return;
      }
      // Bytes that a longer write pushes out at once are skipped, but still counted.
      int from = Math.max(0, length - ring.length);
      written += from;
      for (int i = from; i < length; i++) {
        ring[(int) (written++ % ring.length)] = bytes[i];
      }
    }

    synchronized String text() {
      int size = (int) Math.min(written, ring.length);
      byte[] out = new byte[size];
      int start = (int) ((written - size) % Math.max(1, ring.length));
      for (int i = 0; i < size; i++) {
        out[i] = ring[(start + i) % ring.length];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  /** Keeps the first {@code limit} bytes; notes whether more came. */
  static final class BoundedBuffer implements Sink {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int limit;
    private volatile boolean overflowed;

    BoundedBuffer(int limit) {
      this.limit = limit;
    }

    @Override
    public synchronized void write(byte[] bytes, int length) {
      int room = limit - out.size();
      if (length > room) {
        overflowed = true;
      }
      out.write(bytes, 0, Math.max(0, Math.min(room, length)));
    }

    boolean overflowed() {
      return overflowed;
    }

    synchronized byte[] bytes() {
      return out.toByteArray();
    }
  }
}
