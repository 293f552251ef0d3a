package org.reelbox.origin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.common.storage.FileBlobStore;

/** {@link JitPackager}'s decisions that need no real movie. */
class JitPackagerTest {
  private static final String ID = "abcdefghijk";

  @TempDir Path dir;

  private JitPackager packager(VideoStates states, SimpleMeterRegistry registry) throws Exception {
    FileBlobStore blobs = new FileBlobStore(dir);
    byte[] notAMovie = "this is not a movie at all".getBytes(StandardCharsets.UTF_8);
    blobs.put("originals/" + ID + "/source", new ByteArrayInputStream(notAMovie), notAMovie.length);
    return new JitPackager(blobs, states, 6, 1000, 2, 10, registry);
  }

  @Test
  void controlPlaneDown_503Unavailable() throws Exception {
    JitPackager jit =
        packager(
            id -> {
              throw new IOException("connection refused");
            },
            new SimpleMeterRegistry());
    assertThatThrownBy(() -> jit.open(PlaybackPath.parse("/v/" + ID + "/master.m3u8")))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  @Test
  void refusedOriginal_parsedOnce_thenRemembered() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger asked = new AtomicInteger();
    JitPackager jit =
        packager(
            id -> {
              asked.incrementAndGet();
              return Optional.of(new VideoStates.VideoState("UPLOADED", false));
            },
            registry);
    for (String target :
        new String[] {
          "/v/" + ID + "/master.m3u8", "/v/" + ID + "/src/0.ts", "/v/" + ID + "/src/index.m3u8"
        }) {
      assertThatThrownBy(() -> jit.open(PlaybackPath.parse(target)))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.NOT_READY);
                assertThat(e.getMessage()).contains("not a readable MP4");
              });
    }
    assertThat(registry.counter("origin.jit.index", "outcome", "refused").count()).isEqualTo(1);
    assertThat(asked.get()).isEqualTo(3); // the state is the caller's cache's business
  }

  @Test
  void otherPaths_neverAskTheControlPlane() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    JitPackager jit =
        packager(
            id -> {
              asked.incrementAndGet();
              return Optional.of(new VideoStates.VideoState("UPLOADED", false));
            },
            new SimpleMeterRegistry());
    assertThat(jit.open(PlaybackPath.parse("/v/" + ID + "/720p/index.m3u8"))).isEmpty();
    assertThat(jit.open(PlaybackPath.parse("/v/" + ID + "/720p/0.ts"))).isEmpty();
    assertThat(jit.open(PlaybackPath.parse("/v/" + ID + "/src/iframes.m3u8"))).isEmpty();
    assertThat(jit.open(PlaybackPath.parse("/v/" + ID + "/thumbs/0.jpg"))).isEmpty();
    assertThat(asked.get()).isZero();
  }

  @Test
  void states_masterOnlyWhileUntranscoded_srcWhileTheOriginalIsUsable() {
    assertThat(new VideoStates.VideoState("UPLOADED", false).offersJitMaster()).isTrue();
    assertThat(new VideoStates.VideoState("PROCESSING", false).offersJitMaster()).isTrue();
    assertThat(new VideoStates.VideoState("PROCESSING", true).offersJitMaster()).isFalse();
    assertThat(new VideoStates.VideoState("READY", true).offersJitMaster()).isFalse();
    assertThat(new VideoStates.VideoState("UPLOADING", false).offersJitMaster()).isFalse();
    assertThat(new VideoStates.VideoState("FAILED", false).offersJitMaster()).isFalse();
    assertThat(new VideoStates.VideoState("READY", true).originalUsable()).isTrue();
    assertThat(new VideoStates.VideoState("FAILED", false).originalUsable()).isFalse();
    assertThat(new VideoStates.VideoState("UPLOADING", false).originalUsable()).isFalse();
  }
}
