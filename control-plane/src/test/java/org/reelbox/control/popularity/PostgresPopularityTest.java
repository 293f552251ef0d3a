package org.reelbox.control.popularity;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.testing.PostgresSchema;

/**
 * Popularity on PostgreSQL (see {@link PostgresSchema}: skipped without {@code
 * REELBOX_TEST_POSTGRES_URL}, failed without it under {@code CI=true}). Each test gets a fresh
 * schema.
 */
class PostgresPopularityTest extends PopularityContract {
  @TempDir Path dataDir;
  private PostgresSchema schema;

  @Override
  protected DataSource dataSource() throws Exception {
    schema = PostgresSchema.open("rbx_pop", dataDir);
    return schema.database().dataSource();
  }

  @Override
  protected DataSource dataSourceAgain() {
    return schema.database().dataSource();
  }

  @Override
  protected void release() throws Exception {
    if (schema != null) {
      schema.close();
    }
  }
}
