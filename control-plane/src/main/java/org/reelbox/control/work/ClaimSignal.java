package org.reelbox.control.work;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells whoever waits for tasks (long-polling claims, the completion handler) that something
 * changed. In-process only: a signal is a hint that shortens a wait, never the source of truth,
 * which is the database (waiters also poll).
 */
public final class ClaimSignal {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public void subscribe(Runnable listener) {
    listeners.add(listener);
  }

  public void unsubscribe(Runnable listener) {
    listeners.remove(listener);
  }

  public void fire() {
    listeners.forEach(Runnable::run);
  }
}
