package org.reelbox.control.config;

import org.reelbox.common.config.Checks;

/**
 * The metadata database.
 *
 * @param url a JDBC URL; empty means the embedded H2 database in file mode under the data dir.
 *     PostgreSQL: {@code jdbc:postgresql://host:5432/reelbox}
 * @param user the database user; ignored for the embedded default
 * @param password the database password; never logged
 * @param maxPoolSize the most connections the pool opens
 */
public record DatabaseConfig(String url, String user, String password, int maxPoolSize) {
  public DatabaseConfig {
    url = url == null ? "" : url.trim();
    if (!url.isEmpty() && !url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
      throw new org.reelbox.common.config.ConfigValueException(
          "url", "must be a jdbc:h2: or jdbc:postgresql: URL, or empty for the embedded default");
    }
    user = user == null ? "" : user;
    password = password == null ? "" : password;
    Checks.positive("maxPoolSize", maxPoolSize);
  }

  /** The embedded default. */
  public static DatabaseConfig embedded() {
    return new DatabaseConfig("", "", "", 8);
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url=" + url + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
  }
}
