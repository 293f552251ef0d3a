package org.reelbox.control;

import org.reelbox.common.role.RoleMain;
import org.reelbox.control.config.ControlPlaneConfig;

/** Runs the control plane alone: {@code … org.reelbox.control.ControlPlaneMain [--config FILE]}. */
public final class ControlPlaneMain {
  private ControlPlaneMain() {}

  public static void main(String[] args) {
    RoleMain.run(ControlPlaneRole.NAME, args, ControlPlaneConfig.class, ControlPlaneRole::new);
  }
}
