package org.reelbox.origin;

import org.reelbox.common.role.RoleMain;

/** Runs the origin alone: {@code … org.reelbox.origin.OriginMain [--config FILE]}. */
public final class OriginMain {
  private OriginMain() {}

  public static void main(String[] args) {
    RoleMain.run(OriginRole.NAME, args, OriginConfig.class, OriginRole::new);
  }
}
