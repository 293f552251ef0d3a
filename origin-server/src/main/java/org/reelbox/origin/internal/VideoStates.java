package org.reelbox.origin.internal;

import java.io.IOException;
import java.util.Optional;

/**
 * What the control plane says about a video, for just-in-time packaging: the one fact the origin
 * cannot read from storage. {@link ControlPlaneStates} asks over HTTP; tests may answer directly.
 */
public interface VideoStates {
  /**
   * The video's state, or empty when the control plane knows no such video.
   *
   * @throws IOException when the control plane cannot be asked (down, or an unexpected answer)
   */
  Optional<VideoState> find(String videoId) throws IOException;

  /**
   * @param state the control plane's state name: UPLOADING, UPLOADED, PROCESSING, READY, FAILED
   * @param playable whether transcoded HLS is published (READY, or an early package)
   */
  record VideoState(String state, boolean playable) {
    /** The original is whole and the pipeline has not given up on it. */
    public boolean originalUsable() {
      return state.equals("UPLOADED") || state.equals("PROCESSING") || state.equals("READY");
    }

    /**
     * Whether a JIT master playlist is offered: uploaded, not (yet) transcoded. Once transcoded HLS
     * is published its master is in storage and the JIT one is no longer asked for.
     */
    public boolean offersJitMaster() {
      return !playable && (state.equals("UPLOADED") || state.equals("PROCESSING"));
    }
  }
}
