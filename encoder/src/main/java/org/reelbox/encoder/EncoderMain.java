package org.reelbox.encoder;

import org.reelbox.common.role.RoleMain;

/** Runs an encoder worker alone: {@code … org.reelbox.encoder.EncoderMain [--config FILE]}. */
public final class EncoderMain {
  private EncoderMain() {}

  public static void main(String[] args) {
    RoleMain.run(EncoderRole.NAME, args, EncoderConfig.class, EncoderRole::new);
  }
}
