package org.reelbox.control.store;

import java.util.Locale;
import java.util.Optional;

/**
 * Who may watch a video. Stored by name (V16): renaming a constant needs a migration. Whatever the
 * visibility, only the owner and admins may change the video.
 */
public enum Visibility {
  /** The owner and admins only; the default, what every video was before V16. */
  PRIVATE,
  /** Any signed-in user who knows the id; never listed. */
  UNLISTED,
  /** Any signed-in user, and listed on the home page. */
  PUBLIC;

  /** Whether a user who is neither the owner nor an admin may read and play the video. */
  public boolean readableByOthers() {
    return this != PRIVATE;
  }

  /** The visibility named {@code name}, case-insensitively; empty for anything else. */
  public static Optional<Visibility> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
