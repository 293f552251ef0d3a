package org.reelbox.edge.register;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.reelbox.common.config.ConfigValueException;

/**
 * The box's id in the control plane's edge registry: generated once, on the first start, and kept
 * in {@code dataDir/}{@value #FILE_NAME}, so that a restart (or an upgrade) is the same box with
 * the same history, not a new one. An operator who replaces a box's disk gets a new id; one who
 * wants to keep an id writes it into the file (1–64 of {@code [A-Za-z0-9_-]}, starting with a
 * letter or digit, as the registry demands).
 */
public final class EdgeId {
  public static final String FILE_NAME = "edge-id";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private EdgeId() {}

  /**
   * The id kept in {@code dataDir}, created there if there is none.
   *
   * @throws ConfigValueException if the file holds something that is not an id
   * @throws IOException if the file cannot be read or written
   */
  public static String loadOrCreate(Path dataDir) throws IOException {
    Path file = requireNonNull(dataDir, "dataDir").resolve(FILE_NAME);
    if (!Files.exists(file)) {
      byte[] random = new byte[8];
      RANDOM.nextBytes(random);
      String id = "edge-" + HexFormat.of().formatHex(random);
      // Written beside, then moved: a crash never leaves a half-written id behind.
      Path temp = Files.createTempFile(dataDir, FILE_NAME + ".", ".tmp");
      try {
        Files.writeString(temp, id + "\n", StandardCharsets.UTF_8);
        try {
          Files.createLink(file, temp);
        } catch (FileAlreadyExistsException raced) {
          // Another start made it first: use theirs.
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    String id = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (!ID.matcher(id).matches()) {
      throw new ConfigValueException(
          file.toString(),
          "must hold this edge box's id: 1-64 letters, digits, '_' or '-', starting with a letter"
              + " or digit; delete the file to get a new one");
    }
    return id;
  }
}
