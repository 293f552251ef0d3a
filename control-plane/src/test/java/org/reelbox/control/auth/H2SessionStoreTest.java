package org.reelbox.control.auth;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.config.DatabaseConfig;
import org.reelbox.control.store.Database;

/** The session store on embedded H2, the default database. */
class H2SessionStoreTest extends SessionStoreContract {
  @TempDir Path dataDir;
  private Database database;

  @Override
  protected DataSource dataSource() {
    database = Database.open(DatabaseConfig.embedded(), dataDir);
    return database.dataSource();
  }

  @Override
  protected void release() {
    if (database != null) {
      database.close();
    }
  }
}
