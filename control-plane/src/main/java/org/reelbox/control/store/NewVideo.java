package org.reelbox.control.store;

import org.reelbox.control.store.internal.Fields;

/**
 * What a creator supplies to create a video; the store adds the id, the state ({@link
 * VideoState#UPLOADING}) and the timestamps.
 *
 * @param ownerId the creator
 * @param title see {@link Video#checkTitle}; the client may start with the file name
 * @param description see {@link Video#checkDescription}; empty when there is none
 * @param language see {@link Video#checkLanguage}; null when unknown
 */
public record NewVideo(long ownerId, String title, String description, String language) {
  public NewVideo {
    Fields.id("ownerId", ownerId);
    Video.checkTitle(title);
    Video.checkDescription(description);
    Video.checkLanguage(language);
  }

  /** A video with only a title. */
  public static NewVideo titled(long ownerId, String title) {
    return new NewVideo(ownerId, title, "", null);
  }
}
