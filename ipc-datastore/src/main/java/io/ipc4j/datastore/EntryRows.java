package io.ipc4j.datastore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The persistent entries in an SQLite database, one row per entry in the table
 * {@code entries(author, name, value, ts)}, the value as JSON text. The journal is a write-ahead
 * log and every commit is synced: a change written here survives a crash of the process and of
 * the machine, and writing one entry writes a few pages, whatever else the store holds.
 *
 * <p>Not thread-safe: {@link FileDataStore} calls it under one lock.
 */
final class EntryRows implements AutoCloseable {
  /** The schema this code reads and writes, kept in {@code PRAGMA user_version}. */
  static final int SCHEMA_VERSION = 1;

  /**
   * One entry as a row. As a change, a null {@code json} deletes the row.
   *
   * @param json the value as JSON text, or null
   */
  record Row(String author, String name, String json, long ts) {}

  /** Reads a row at load; answers why it cannot be loaded, or null when it was loaded. */
  interface Reader {
    String read(Row row);
  }

  private final Path file;
  private final Connection connection;
  private final PreparedStatement upsert;
  private final PreparedStatement delete;

  private EntryRows(Path file, Connection connection) throws SQLException {
    this.file = file;
    this.connection = connection;
    this.upsert = connection.prepareStatement("INSERT INTO entries(author, name, value, ts)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT(author, name) DO UPDATE SET value = excluded.value,"
        + " ts = excluded.ts");
    this.delete = connection.prepareStatement("DELETE FROM entries WHERE author = ? AND name = ?");
  }

  /** Opens the database {@code file}, creating it and its tables when missing. */
  static EntryRows open(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    Connection connection = config.createConnection("jdbc:sqlite:" + file);
    try {
      createOrCheck(file, connection);
      connection.setAutoCommit(false);
      return new EntryRows(file, connection);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  private static void createOrCheck(Path file, Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      int version;
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        version = rs.next() ? rs.getInt(1) : 0;
      }
      if (version == 0) {
        s.executeUpdate("CREATE TABLE IF NOT EXISTS entries (author TEXT NOT NULL,"
            + " name TEXT NOT NULL, value TEXT NOT NULL, ts INTEGER NOT NULL,"
            + " PRIMARY KEY (author, name))");
        s.executeUpdate("CREATE TABLE IF NOT EXISTS skipped_entries (author TEXT, name TEXT,"
            + " value, ts, problem TEXT NOT NULL, skipped_at INTEGER NOT NULL)");
        s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
      } else if (version != SCHEMA_VERSION) {
        throw new SQLException("data store database " + file + " has schema version " + version
            + "; this ipc4j reads version " + SCHEMA_VERSION);
      }
    }
  }

  /** The database file. */
  Path file() {
    return file;
  }

  /**
   * Hands every row to {@code reader}; moves the rows it refuses to the table
   * {@code skipped_entries}, with the reason, so that they are kept but not read again.
   *
   * @return how many rows were refused
   */
  int load(Reader reader) throws SQLException {
    List<Row> refused = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT author, name, value, ts FROM entries")) {
      while (rs.next()) {
        Row row = new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4));
        String problem = reader.read(row);
        if (problem != null) {
          refused.add(row);
          problems.add(problem);
        }
      }
    }
    if (refused.isEmpty()) {
      connection.rollback();
      return 0;
    }
    try (PreparedStatement keep = connection.prepareStatement("INSERT INTO skipped_entries"
        + " SELECT author, name, value, ts, ?, ? FROM entries WHERE author = ? AND name = ?")) {
      for (int i = 0; i < refused.size(); i++) {
        Row row = refused.get(i);
        keep.setString(1, problems.get(i));
        keep.setLong(2, System.currentTimeMillis());
        keep.setString(3, row.author());
        keep.setString(4, row.name());
        keep.executeUpdate();
        delete.setString(1, row.author());
        delete.setString(2, row.name());
        delete.executeUpdate();
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
    return refused.size();
  }

  /**
   * Applies {@code changes} in one transaction, after deleting every row when {@code clearFirst};
   * returns once the transaction is on disk.
   */
  void write(boolean clearFirst, Collection<Row> changes) throws SQLException {
    try {
      if (clearFirst) {
        try (Statement s = connection.createStatement()) {
          s.executeUpdate("DELETE FROM entries");
        }
      }
      for (Row row : changes) {
        if (row.json() == null) {
          delete.setString(1, row.author());
          delete.setString(2, row.name());
          delete.executeUpdate();
        } else {
          upsert.setString(1, row.author());
          upsert.setString(2, row.name());
          upsert.setString(3, row.json());
          upsert.setLong(4, row.ts());
          upsert.executeUpdate();
        }
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  /** Closes the database; SQLite then folds its log into the file. */
  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
