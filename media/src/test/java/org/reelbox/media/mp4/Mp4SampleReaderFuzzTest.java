package org.reelbox.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.testing.Ffmpeg;

/**
 * Hostile input: a real movie truncated at many points and corrupted byte by byte in its {@code
 * moov}. Every outcome must be an index that remuxes, or {@link Mp4FormatException} / {@link
 * Mp4UnsupportedException}: never another exception, never a hang, never a huge allocation.
 */
class Mp4SampleReaderFuzzTest {
  @TempDir static Path dir;
  private static byte[] movie;
  private static int moovAt;

  @BeforeAll
  static void movie() throws Exception {
    Ffmpeg.assume();
    movie = Files.readAllBytes(Ffmpeg.movie(dir.resolve("f.mp4"), 2, 2, 12, true, true));
    moovAt = indexOf(movie, "moov".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) - 4;
    assertThat(moovAt).isPositive();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Reads, plans and remuxes every segment; returns "ok" or the checked exception's class. */
  private static String attempt(byte[] file) {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          try {
            Mp4Movie m;
            try (SeekableByteChannel ch = new BytesChannel(file)) {
              m = Mp4SampleReader.read(ch);
            }
            Mp4SegmentPlan plan = Mp4SegmentPlan.of(m, 1_000_000);
            for (int s = 0; s < plan.segmentCount(); s++) {
              Mp4ToTs.writeSegment(
                  plan,
                  s,
                  (offset, length) -> {
                    if (offset < 0 || offset + length > file.length) {
                      throw new EOFException("past the end");
                    }
                    return Arrays.copyOfRange(file, (int) offset, (int) offset + length);
                  },
                  OutputStream.nullOutputStream());
            }
            return "ok";
          } catch (Mp4FormatException | Mp4UnsupportedException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.getClass().getSimpleName();
          }
        });
  }

  @Test
  void intact_remuxes() {
    assertThat(attempt(movie)).isEqualTo("ok");
  }

  @Test
  void truncated_everywhere_refusedCleanly() {
    int step = Math.max(1, movie.length / 300);
    for (int len = 0; len < movie.length; len += step) {
      String outcome = attempt(Arrays.copyOf(movie, len));
      assertThat(outcome).as("truncated to %s", len).isNotEqualTo("ok");
    }
  }

  @Test
  void corruptedMoov_neverCrashes() {
    Random random = new Random(42);
    int ok = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] copy = movie.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        int at = moovAt + random.nextInt(movie.length - moovAt);
        copy[at] = (byte) (round % 3 == 0 ? 0xFF : random.nextInt(256));
      }
      if (attempt(copy).equals("ok")) {
        ok++;
      }
    }
    // Most flips land in sample tables that stay plausible; the point is that none crashed.
    assertThat(ok).isLessThan(3000);
  }

  @Test
  void hugeCounts_refusedBeforeAllocating() throws Exception {
    // stsz with a fixed sample size and four billion samples.
    byte[] copy = movie.clone();
    int stsz = indexOf(copy, "stsz".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    ByteBuffer.wrap(copy, stsz + 8, 8).putInt(1).putInt(-1);
    assertThatThrownBy(
            () -> {
              try (SeekableByteChannel ch = new BytesChannel(copy)) {
                Mp4SampleReader.read(ch);
              }
            })
        .isInstanceOf(Mp4FormatException.class)
        .hasMessageContaining("more than");
  }

  @Test
  void randomBytes_refused() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[random.nextInt(4096)];
      random.nextBytes(junk);
      assertThat(attempt(junk)).isNotEqualTo("ok");
    }
  }

  /** A read-only channel over a byte array. */
  static final class BytesChannel implements SeekableByteChannel {
    private final byte[] bytes;
    private long position;

    BytesChannel(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position >= bytes.length) {
        return -1;
      }
      int n = (int) Math.min(dst.remaining(), bytes.length - position);
      dst.put(bytes, (int) position, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      throw new IOException("read-only");
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = newPosition;
      return this;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      throw new IOException("read-only");
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
