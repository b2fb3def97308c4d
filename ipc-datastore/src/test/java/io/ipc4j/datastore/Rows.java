package io.ipc4j.datastore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/** Reads a store's database from the side, as another process would. */
final class Rows {
  private Rows() {}

  /** The rows of {@code table} in the database under {@code dir}: "author/name" to value. */
  static Map<String, String> of(Path dir, String table) throws SQLException {
    Path db = dir.resolve(FileDataStore.DB_FILE);
    Map<String, String> rows = new TreeMap<>();
    if (!Files.exists(db)) {
      return rows;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT author, name, value FROM " + table)) {
      while (rs.next()) {
        rows.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
      }
    }
    return rows;
  }

  /** The persistent entries on disk under {@code dir}: "author/name" to value as JSON. */
  static Map<String, String> of(Path dir) throws SQLException {
    return of(dir, "entries");
  }

  /** Runs {@code sql} on the database under {@code dir}. */
  static void execute(Path dir, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(
            "jdbc:sqlite:" + dir.resolve(FileDataStore.DB_FILE));
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }
}
