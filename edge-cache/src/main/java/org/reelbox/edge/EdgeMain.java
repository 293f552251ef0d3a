package org.reelbox.edge;

import org.reelbox.common.role.RoleMain;

/** Runs an edge box alone: {@code … org.reelbox.edge.EdgeMain [--config FILE]}. */
public final class EdgeMain {
  private EdgeMain() {}

  public static void main(String[] args) {
    RoleMain.run(EdgeRole.NAME, args, EdgeConfig.class, EdgeRole::new);
  }
}
