package org.reelbox.common.role;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what a role opened, in reverse order of opening, and goes on past failures (logging them)
 * so that one stuck resource never keeps the others open.
 */
public final class Closer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Closer.class);

  private final Deque<AutoCloseable> stack = new ArrayDeque<>();

  /** Registers {@code resource} to be closed; returns it. */
  public synchronized <T extends AutoCloseable> T register(T resource) {
    stack.push(resource);
    return resource;
  }

  @Override
  public void close() {
    while (true) {
      AutoCloseable next;
      synchronized (this) {
        next = stack.poll();
      }
      if (next == null) {
        return;
      }
      try {
        next.close();
      } catch (Exception e) {
        log.warn("failed to close {}: {}", next.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
