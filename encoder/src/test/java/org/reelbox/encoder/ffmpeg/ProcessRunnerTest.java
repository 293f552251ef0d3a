package org.reelbox.encoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.reelbox.common.work.FailureCode;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;

class ProcessRunnerTest {
  private final ProcessRunner runner = new ProcessRunner();

  @Test
  void run_pastDeadline_killsTheWholeTreeInBoundedTime() throws Exception {
    // A parent that starts a child, which would outlive a plain destroy() of the parent.
    TaskControl control = TestMedia.control(1);
    Instant start = Instant.now();
    List<ProcessHandle> before = ProcessHandle.current().descendants().toList();
    assertThatThrownBy(
            () ->
                runner.run(
                    List.of("bash", "-c", "sleep 300 & sleep 300; wait"),
                    ProcessRunner.Options.defaults(),
                    control))
        .isInstanceOf(TaskFailedException.class)
        .satisfies(
            e -> assertThat(((TaskFailedException) e).code()).isEqualTo(FailureCode.TIMEOUT));
    assertThat(TestMedia.since(start)).isLessThan(Duration.ofSeconds(8));
    Thread.sleep(200);
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(h -> !before.contains(h))
                .filter(ProcessHandle::isAlive))
        .isEmpty();
  }

  @Test
  void run_callTimeout_endsBeforeTheTaskDeadline() {
    Instant start = Instant.now();
    assertThatThrownBy(
            () ->
                runner.run(
                    List.of("sleep", "300"),
                    ProcessRunner.Options.defaults().withTimeout(Duration.ofMillis(300)),
                    TestMedia.control(600)))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("limit");
    assertThat(TestMedia.since(start)).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void run_cancelled_killsAndReportsWorkerShutdown() throws Exception {
    AtomicBoolean cancelled = new AtomicBoolean();
    Instant deadline = Instant.now().plusSeconds(600);
    TaskControl control =
        new TaskControl() {
          @Override
          public Instant deadline() {
            return deadline;
          }

          @Override
          public boolean isCancelled() {
            return cancelled.get();
          }

          @Override
          public void checkNotCancelled() {}
        };
    new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                return;
              }
              cancelled.set(true);
            })
        .start();
    Instant start = Instant.now();
    assertThatThrownBy(
            () -> runner.run(List.of("sleep", "300"), ProcessRunner.Options.defaults(), control))
        .isInstanceOf(TaskFailedException.class)
        .satisfies(
            e ->
                assertThat(((TaskFailedException) e).code())
                    .isEqualTo(FailureCode.WORKER_SHUTDOWN));
    assertThat(TestMedia.since(start)).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void run_hugeStderr_keepsOnlyTheTail() throws Exception {
    ProcessRunner.Result result =
        runner.run(
            List.of("bash", "-c", "head -c 20000000 /dev/zero | tr '\\0' x >&2; echo END >&2"),
            ProcessRunner.Options.defaults(),
            TestMedia.control(60));
    assertThat(result.exitCode()).isZero();
    assertThat(result.stderrTail()).hasSize(ProcessRunner.Options.DEFAULT_STDERR_TAIL);
    assertThat(result.stderrTail()).endsWith("xEND\n");
    assertThat(result.lastErrorLine()).endsWith("END");
  }

  @Test
  void run_stdoutPastTheLimit_isCutAndFlagged() throws Exception {
    ProcessRunner.Result result =
        runner.run(
            List.of("bash", "-c", "yes | head -c 10000000"),
            ProcessRunner.Options.defaults().withStdout(1000),
            TestMedia.control(60));
    assertThat(result.stdout()).hasSize(1000);
    assertThat(result.stdoutOverflow()).isTrue();
  }

  @Test
  void run_missingProgram_isEncoderFailed() {
    assertThatThrownBy(
            () ->
                new ProcessRunner(java.time.Clock.systemUTC(), new ProcessRunner.Limits(0, 0))
                    .run(
                        List.of("/nonexistent/ffmpeg"),
                        ProcessRunner.Options.defaults(),
                        TestMedia.control(10)))
        .isInstanceOf(TaskFailedException.class)
        .satisfies(
            e ->
                assertThat(((TaskFailedException) e).code()).isEqualTo(FailureCode.ENCODER_FAILED));
  }

  @Test
  void tailBuffer_keepsTheLastBytesAcrossWrites() {
    ProcessRunner.TailBuffer tail = new ProcessRunner.TailBuffer(4);
    tail.write("abc".getBytes(), 3);
    tail.write("defghij".getBytes(), 7);
    assertThat(tail.text()).isEqualTo("ghij");
    tail.write("k".getBytes(), 1);
    assertThat(tail.text()).isEqualTo("hijk");
  }

  @Test
  void detectHardware_onThisMachine_isEmptyWithoutException() {
    // No GPU here: ffmpeg lists NVENC, VAAPI and QSV, and every trial encode fails.
    assertThat(new FfmpegBackend().hardwareEncoders()).isEmpty();
    assertThat(HardwareEncoders.listedCandidates(" V....D h264_nvenc   NVIDIA\n V..... libx264  x"))
        .containsExactly("h264_nvenc");
  }
}
