package org.reelbox.ingest;

import org.reelbox.common.role.RoleMain;

/** Runs the ingest role alone: {@code java -cp … org.reelbox.ingest.IngestMain [--config FILE]}. */
public final class IngestMain {
  private IngestMain() {}

  public static void main(String[] args) {
    RoleMain.run(IngestRole.NAME, args, IngestConfig.class, IngestRole::new);
  }
}
