package org.reelbox.control.auth;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.testing.PostgresSchema;

/**
 * The session store on PostgreSQL (see {@link PostgresSchema}: skipped without {@code
 * REELBOX_TEST_POSTGRES_URL}, failed without it under {@code CI=true}). Each test gets a fresh
 * schema.
 */
class PostgresSessionStoreTest extends SessionStoreContract {
  @TempDir Path dataDir;
  private PostgresSchema schema;

  @Override
  protected DataSource dataSource() throws Exception {
    schema = PostgresSchema.open("rbx_sessions", dataDir);
    return schema.database().dataSource();
  }

  @Override
  protected void release() throws Exception {
    if (schema != null) {
      schema.close();
    }
  }
}
