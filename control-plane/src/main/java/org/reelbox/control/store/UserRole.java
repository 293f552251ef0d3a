package org.reelbox.control.store;

/** What a user may do. Stored by name: renaming a constant needs a migration. */
public enum UserRole {
  /** Runs the platform: users, edges, pipelines, every video. */
  ADMIN,
  /** Uploads videos and manages their own. */
  CREATOR,
  /** Watches videos; uploads nothing. */
  VIEWER
}
