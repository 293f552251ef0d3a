package org.reelbox.control.popularity;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.config.DatabaseConfig;
import org.reelbox.control.store.Database;

/** Popularity on embedded H2, the default database. */
class H2PopularityTest extends PopularityContract {
  @TempDir Path dataDir;
  private Database database;

  @Override
  protected DataSource dataSource() {
    database = Database.open(DatabaseConfig.embedded(), dataDir);
    return database.dataSource();
  }

  @Override
  protected DataSource dataSourceAgain() {
    return database.dataSource();
  }

  @Override
  protected void release() {
    if (database != null) {
      database.close();
    }
  }
}
