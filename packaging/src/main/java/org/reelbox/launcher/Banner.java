package org.reelbox.launcher;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Map;
import org.reelbox.control.store.AdminBootstrap;

/** What the launcher prints for people: role URLs and, once, the admin credentials. */
final class Banner {
  private Banner() {}

  static void print(PrintWriter out, AllInOne all) {
    out.println();
    out.println("reelbox is running (data in " + all.dataDir() + ")");
    for (Map.Entry<String, URI> e : all.urls().entrySet()) {
      out.printf("  %-14s %s%n", e.getKey(), e.getValue());
    }
    URI controlPlane = all.urls().get("control-plane");
    if (controlPlane != null) {
      out.println();
      out.println("Web UI: " + controlPlane.resolve("/") + " (sign in as the admin below)");
    }
    all.firstStartCredentials().ifPresent(c -> printCredentials(out, c));
    out.flush();
  }

  /** Printed once, on the first start; never logged. */
  static void printCredentials(PrintWriter out, AdminBootstrap.Credentials c) {
    out.println();
    out.println("Admin account created (shown once; also in " + c.file() + ", mode 600):");
    out.println("  username  " + c.username());
    out.println("  password  " + c.password());
    out.println("  API key   " + c.apiKey());
    out.flush();
  }
}
