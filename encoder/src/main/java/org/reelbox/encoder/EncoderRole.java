package org.reelbox.encoder;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import org.reelbox.common.role.AbstractRole;
import org.reelbox.common.role.RoleContext;
import org.reelbox.common.security.ClusterAuth;
import org.reelbox.common.security.Secrets;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.work.WorkerInfo;
import org.reelbox.encoder.backend.EncoderBackend;
import org.reelbox.encoder.pkg.HlsPackager;
import org.reelbox.encoder.worker.WorkClient;
import org.reelbox.encoder.worker.Worker;
import org.reelbox.encoder.worker.Workers;

/**
 * The encoder worker. Its HTTP server carries only the admin endpoints: the work itself is pulled
 * from the control plane ({@link Worker}), so nothing needs to reach a worker but probes and
 * Prometheus. The backend is chosen at start ({@link Backends}); hardware encoders are detected
 * then too, so the first claim already advertises them.
 */
public final class EncoderRole extends AbstractRole {
  public static final String NAME = "encoder";

  private final EncoderConfig config;

  public EncoderRole(EncoderConfig config) {
    super(NAME, requireNonNull(config, "config").dataDir());
    this.config = config;
  }

  @Override
  protected URI startServing(RoleContext context) throws Exception {
    BlobStore store = context.openBlobStore(config.storage());
    EncoderBackend backend = Backends.select(config);
    List<String> hardware = backend.hardwareEncoders();
    WorkerInfo identity =
        new WorkerInfo(
            workerId(),
            hostName(),
            backend.name(),
            Runtime.getRuntime().availableProcessors(),
            config.effectiveSlots(),
            config.effectiveSlots(),
            hardware,
            version());
    Path workRoot = context.dataDir().resolve("work");
    Worker worker =
        Workers.create(
            new WorkClient(
                config.cluster().controlPlaneUrl(), ClusterAuth.of(config.cluster().secret())),
            backend,
            new HlsPackager(backend, new SecureRandom()),
            store,
            workRoot,
            identity,
            config.claimWaitSeconds(),
            config.fuseLimit(),
            context.metrics().registry());
    URI url = context.serveNetty(config.http(), List.of());
    // Registered after the server so that it closes first: running tasks are given back before
    // the admin endpoints go away.
    context.closer().register(worker);
    worker.start();
    return url;
  }

  private static String workerId() {
    String host = hostName().replaceAll("[^A-Za-z0-9._-]", "-");
    if (host.length() > 40) {
      host = host.substring(0, 40);
    }
    return host
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + Secrets.randomToken(4).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "x");
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }

  private static String version() {
    String v = EncoderRole.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
