package org.reelbox.common.work;

import java.util.List;

/** Output of {@link TaskType#THUMBNAIL}: the keys written, by size then index. */
public record ThumbnailOutput(List<String> keys) {
  public ThumbnailOutput {
    keys = List.copyOf(keys);
  }
}
