package org.reelbox.control.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.testing.MutableClock;
import org.reelbox.control.config.DatabaseConfig;
import org.reelbox.control.store.AdminBootstrap.Credentials;
import org.reelbox.control.store.internal.JdbcMetadataStore;
import org.slf4j.LoggerFactory;

class AdminBootstrapTest {
  private static final String URL = "http://127.0.0.1:8080";

  @TempDir Path dataDir;
  private Database database;
  private MetadataStore store;
  private final PasswordHasher fastHasher = new PasswordHasher(4);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AdminBootstrap.class);

  @BeforeEach
  void setUp() {
    database = Database.open(DatabaseConfig.embedded(), dataDir);
    store =
        new JdbcMetadataStore(
            database.dataSource(), new MutableClock(Instant.parse("2026-03-01T00:00:00Z")));
    logs.start();
    logger.addAppender(logs);
    logger.setLevel(Level.DEBUG);
    // Captured here, not printed: the test output would otherwise show every line.
    logger.setAdditive(false);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(logs);
    logger.setLevel(null);
    logger.setAdditive(true);
    database.close();
  }

  @Test
  void run_firstStart_createsAdminWhoseCredentialsAuthenticate() {
    Optional<Credentials> result = new AdminBootstrap(store).run(dataDir, URL);

    assertThat(result).isPresent();
    Credentials credentials = result.get();
    assertThat(credentials.username()).isEqualTo("admin");
    assertThat(credentials.controlPlaneUrl()).isEqualTo(URL);
    User admin = store.findUserByUsername("admin").orElseThrow();
    assertThat(admin.role()).isEqualTo(UserRole.ADMIN);
    String hash = store.findPasswordHash(admin.id()).orElseThrow();
    assertThat(hash).startsWith("$2a$12$");
    PasswordHasher hasher = new PasswordHasher();
    assertThat(hasher.verify(credentials.password(), hash)).isTrue();
    assertThat(hasher.verify(credentials.password() + "x", hash)).isFalse();
    assertThat(store.findUserByApiKey(credentials.apiKey())).contains(admin);
  }

  @Test
  void run_firstStart_writesCredentialsFileWithMode600() throws Exception {
    Credentials credentials = new AdminBootstrap(store, fastHasher).run(dataDir, URL).orElseThrow();

    Path file = dataDir.resolve("admin-credentials");
    assertThat(credentials.file()).isEqualTo(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readAllLines(file, UTF_8))
        .containsExactly(
            "username=admin",
            "password=" + credentials.password(),
            "api_key=" + credentials.apiKey(),
            "control_plane_url=" + URL);
    assertThat(credentials.password()).hasSizeGreaterThanOrEqualTo(32);
    assertThat(credentials.apiKey()).startsWith("rbx_");
    try (Stream<Path> files = Files.list(dataDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file left behind")
          .containsExactlyInAnyOrder("admin-credentials", "db");
    }
  }

  @Test
  void run_secondStart_doesNothing() throws Exception {
    AdminBootstrap bootstrap = new AdminBootstrap(store, fastHasher);
    Credentials first = bootstrap.run(dataDir, URL).orElseThrow();
    String contents = Files.readString(first.file());

    assertThat(bootstrap.run(dataDir, URL)).isEmpty();

    assertThat(Files.readString(first.file())).isEqualTo(contents);
    assertThat(store.listUsers(0, 10)).hasSize(1);
    assertThat(store.findUserByApiKey(first.apiKey())).isPresent();
  }

  @Test
  void run_laterStartAfterFileDeleted_doesNothing() throws Exception {
    AdminBootstrap bootstrap = new AdminBootstrap(store, fastHasher);
    Credentials first = bootstrap.run(dataDir, URL).orElseThrow();
    Files.delete(first.file());

    assertThat(bootstrap.run(dataDir, URL)).isEmpty();

    assertThat(first.file()).doesNotExist();
    User admin = store.findUserByUsername("admin").orElseThrow();
    assertThat(
            fastHasher.verify(first.password(), store.findPasswordHash(admin.id()).orElseThrow()))
        .isTrue();
    assertThat(store.listApiKeys(admin.id())).hasSize(1);
  }

  @Test
  void run_usersExistButNoAdmin_doesNothing() {
    store.createUser("alice", UserRole.CREATOR, fastHasher.hash("alice-password"));

    assertThat(new AdminBootstrap(store, fastHasher).run(dataDir, URL)).isEmpty();

    assertThat(store.findUserByUsername("admin")).isEmpty();
    assertThat(dataDir.resolve("admin-credentials")).doesNotExist();
  }

  @Test
  void run_staleFileFromAnEarlierDatabase_isReplacedWithMode600() throws Exception {
    Path file = dataDir.resolve("admin-credentials");
    Files.writeString(file, "username=admin\npassword=old\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    Credentials credentials = new AdminBootstrap(store, fastHasher).run(dataDir, URL).orElseThrow();

    assertThat(Files.readString(file)).isEqualTo(credentials.fileContents());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void run_firstStart_logsThePathButNeverASecret() {
    Credentials credentials = new AdminBootstrap(store, fastHasher).run(dataDir, URL).orElseThrow();

    List<String> messages = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(messages)
        .contains("created admin account; credentials written to " + credentials.file());
    for (String message : messages) {
      assertThat(message)
          .doesNotContain(credentials.password())
          .doesNotContain(credentials.apiKey());
    }
    assertThat(credentials.toString())
        .doesNotContain(credentials.password())
        .doesNotContain(credentials.apiKey());
  }

  @Test
  void run_dataDirMissing_throwsBeforeCreatingTheAccount() {
    Path missing = dataDir.resolve("no-such-dir");

    assertThatThrownBy(() -> new AdminBootstrap(store, fastHasher).run(missing, URL))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());

    assertThat(store.listUsers(0, 10)).isEmpty();
  }

  @Test
  void run_badUrl_throwsIllegalArgumentBeforeCreatingTheAccount() {
    assertThatThrownBy(() -> new AdminBootstrap(store, fastHasher).run(dataDir, "not a url"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("controlPlaneUrl");

    assertThat(store.listUsers(0, 10)).isEmpty();
  }
}
