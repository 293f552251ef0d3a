package org.reelbox.control.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.reelbox.common.config.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first account on the first start of a control plane: user {@value #ADMIN_USERNAME}
 * with a random password and an API key, written to {@code <dataDir>/admin-credentials} (mode 600)
 * for the CLI to read.
 *
 * <p>"First start" means "the database has no users". On every later start this does nothing, even
 * if the credentials file was deleted: the account exists, and recreating or resetting it behind
 * the operator's back would be worse than a lost file.
 *
 * <p>The password and key appear only in the file and in the returned {@link Credentials}; the log
 * says only that the account was created and where the file is.
 */
public final class AdminBootstrap {
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  /** The first account's username. */
  public static final String ADMIN_USERNAME = "admin";

  /** The credentials file's name in the data directory. */
  public static final String CREDENTIALS_FILE = "admin-credentials";

  /** The name of the API key created with the account. */
  public static final String API_KEY_NAME = "bootstrap";

  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      PosixFilePermissions.fromString("rw-------");

  private final MetadataStore store;
  private final PasswordHasher hasher;
  private final SecureRandom random;

  /** A bootstrap that hashes the password with bcrypt at {@link PasswordHasher#DEFAULT_COST}. */
  public AdminBootstrap(MetadataStore store) {
    this(store, new PasswordHasher(), new SecureRandom());
  }

  /** A bootstrap with its own hasher (tests use a low cost to stay fast). */
  public AdminBootstrap(MetadataStore store, PasswordHasher hasher) {
    this(store, hasher, new SecureRandom());
  }

  public AdminBootstrap(MetadataStore store, PasswordHasher hasher, SecureRandom random) {
    this.store = requireNonNull(store, "store");
    this.hasher = requireNonNull(hasher, "hasher");
    this.random = requireNonNull(random, "random");
  }

  /**
   * What the first start created; shown to the operator once.
   *
   * @param username always {@value #ADMIN_USERNAME}
   * @param password the generated password
   * @param apiKey the generated API key's plaintext
   * @param controlPlaneUrl where the CLI reaches the control plane
   * @param file where the credentials were written
   */
  public record Credentials(
      String username, String password, String apiKey, String controlPlaneUrl, Path file) {
    public Credentials {
      requireNonNull(username, "username");
      requireNonNull(password, "password");
      requireNonNull(apiKey, "apiKey");
      requireNonNull(controlPlaneUrl, "controlPlaneUrl");
      requireNonNull(file, "file");
    }

    /** The file's contents: one {@code key=value} per line. */
    public String fileContents() {
      return "username="
          + username
          + "\npassword="
          + password
          + "\napi_key="
          + apiKey
          + "\ncontrol_plane_url="
          + controlPlaneUrl
          + "\n";
    }

    /** Leaves the password and key out, so that logging this record can never leak them. */
    @Override
    public String toString() {
      return "Credentials[username="
          + username
          + ", password=<redacted>, apiKey=<redacted>, controlPlaneUrl="
          + controlPlaneUrl
          + ", file="
          + file
          + "]";
    }
  }

  /**
   * Creates the admin account if the database has no users.
   *
   * @param dataDir the control plane's data directory; it must exist
   * @param controlPlaneUrl the control plane's URL as the CLI should reach it, such as {@code
   *     http://127.0.0.1:8080}
   * @return the new credentials on the first start; empty on every later one
   * @throws UncheckedIOException if the credentials file cannot be written (before the account is
   *     created whenever the problem can be found in advance)
   */
  public Optional<Credentials> run(Path dataDir, String controlPlaneUrl) {
    requireNonNull(dataDir, "dataDir");
    String url = Checks.httpUrl("controlPlaneUrl", controlPlaneUrl, false);
    if (!store.listUsers(0, 1).isEmpty()) {
      log.debug("users exist; no admin bootstrap");
      return Optional.empty();
    }
    Path file = dataDir.resolve(CREDENTIALS_FILE);
    // The file is created (empty, mode 600) before the account: a data directory we cannot write
    // fails here, with nothing created. Creating the account first and failing after would leave
    // an admin whose password nobody knows, and no second chance, since later starts see a user.
    Path pending = createPrivateFile(dataDir);
    try {
      String password = randomPassword();
      User admin;
      try {
        admin = store.createUser(ADMIN_USERNAME, UserRole.ADMIN, hasher.hash(password));
      } catch (DuplicateUsernameException e) {
        // Another control plane on the same database got there first; it owns the file.
        log.info("another instance created the admin account; no admin bootstrap");
        return Optional.empty();
      }
      CreatedApiKey key = store.createApiKey(admin.id(), API_KEY_NAME);
      Credentials credentials =
          new Credentials(ADMIN_USERNAME, password, key.plaintext(), url, file);
      writeAndMove(pending, credentials.fileContents(), file);
      log.info("created admin account; credentials written to {}", file);
      return Optional.of(credentials);
    } finally {
      try {
        Files.deleteIfExists(pending);
      } catch (IOException e) {
        log.warn("cannot delete {}: {}", pending, e.toString());
      }
    }
  }

  private String randomPassword() {
    // 24 bytes = 192 bits, 32 base64url characters: far within bcrypt's 72-byte limit, and
    // nothing in it needs quoting in a shell or a properties file.
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Path createPrivateFile(Path dataDir) {
    try {
      if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        // Mode 600 from the moment the file exists, not chmod after writing: there is no instant
        // in which another user could open it. (The umask can only remove bits, never add them.)
        FileAttribute<Set<PosixFilePermission>> mode =
            PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
        return Files.createTempFile(dataDir, "." + CREDENTIALS_FILE + "-", ".tmp", mode);
      }
      // Not POSIX (Windows): the data directory's own ACL is all the protection there is.
      log.warn(
          "{} does not support POSIX permissions; {} gets the directory's",
          dataDir,
          CREDENTIALS_FILE);
      return Files.createTempFile(dataDir, "." + CREDENTIALS_FILE + "-", ".tmp");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the admin credentials file in " + dataDir, e);
    }
  }

  private static void writeAndMove(Path pending, String contents, Path file) {
    try {
      try (FileChannel channel = FileChannel.open(pending, StandardOpenOption.WRITE);
          Writer writer = Channels.newWriter(channel, UTF_8)) {
        writer.write(contents);
        writer.flush();
        channel.force(true);
      }
      // Atomic: a reader sees no file or the whole file. It replaces a file left over from an
      // earlier database (say, the operator pointed the control plane at a new PostgreSQL).
      Files.move(
          pending, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "created the admin account but cannot write " + file + "; its password is lost", e);
    }
  }
}
