package org.reelbox.edge.internal;

import java.io.IOException;
import java.util.List;

/** Where a box learns what is popular in its region: the video ids to warm, best first. */
@FunctionalInterface
public interface FillSource {
  List<String> videos() throws IOException, InterruptedException;
}
