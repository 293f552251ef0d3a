package org.reelbox.encoder.worker;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.encoder.backend.EncoderBackend;

/**
 * Builds a {@link Worker} from its parts; the work root is emptied first (a crash's leftovers). The
 * worker asks for fused groups up to {@code fuseLimit}, but never more than its backend gains from
 * ({@link EncoderBackend#fuseLimit()}).
 */
public final class Workers {
  private Workers() {}

  public static Worker create(
      WorkClient client,
      EncoderBackend backend,
      Packager packager,
      BlobStore store,
      Path workRoot,
      WorkerInfo identity,
      int claimWaitSeconds,
      int fuseLimit,
      MeterRegistry metrics) {
    TaskRunner.deleteTree(workRoot);
    try {
      Files.createDirectories(workRoot);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the work directory " + workRoot, e);
    }
    return new Worker(
        client,
        new TaskRunner(backend, packager, store, workRoot),
        identity,
        claimWaitSeconds,
        Math.min(fuseLimit, backend.fuseLimit()),
        metrics);
  }
}
