package io.ipc4j.datastore;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Mappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The data store that {@code ipc serve} exposes: values in memory, the persistent ones also in
 * the SQLite database {@code datastore.db} under a data directory, one row per entry, written in
 * a small transaction after every change (unless {@link #setAutosave autosave} is off) so that
 * they survive a restart and a crash.
 *
 * <p>What it accepts is bounded, so that everything accepted can be stored and read back: names,
 * authors, keys inside values, the size and nesting of values, and quotas of entries and bytes
 * per author and in total (see {@link Builder} for the defaults). A change beyond a bound is
 * refused with an exception naming what was wrong; nothing is changed.
 *
 * <p>Recovery: on start, an entry that cannot be read is skipped and logged (naming it), and the
 * others load. A {@code datastore.json} written by an earlier ipc4j is imported once and renamed
 * to {@code datastore.json.imported}.
 *
 * <p>Watches ({@link #watch}) hear every change of the entries they cover, in the order the store
 * applied them; at most {@link Builder#maxWatches} (10,000 by default) are open at once.
 *
 * <p>Thread-safe. Values are kept as JSON-shaped Java values (a value set from Java is converted
 * once, so a POJO becomes a Map); callers must not modify the values {@link #get} returns.
 */
public final class FileDataStore implements DataStore, AutoCloseable {
  /** The database under the data directory that holds the persistent entries. */
  static final String DB_FILE = "datastore.db";
  /** The file in which an earlier ipc4j kept the persistent entries; imported once. */
  static final String JSON_FILE = "datastore.json";
  /** What an imported {@link #JSON_FILE} is renamed to. */
  static final String IMPORTED_FILE = JSON_FILE + ".imported";

  private static final Logger logger = Logger.getLogger(FileDataStore.class.getName());
  private static final DateTimeFormatter ASIDE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT);

  private final Path dataDir;
  private final Path dbFile;
  private final Path jsonFile;
  private final Bounds bounds;
  private final ObjectMapper mapper;
  private final StoreCodec codec;
  private final Watches watches;

  private record Key(String author, String name) {}

  /** A value ready to store: checked, in its JSON shape and as JSON text. */
  private record Prepared(Object value, String json, long size) {}

  private final Object lock = new Object();
  /** The entries in memory; guarded by {@link #lock}, as are the fields below. */
  private final Entries entries = new Entries();
  private long lastTs;
  /** The row changes not yet written, the last one per entry, in order. */
  private Map<Key, EntryRows.Row> pending = new LinkedHashMap<>();
  /** Whether every row is to be deleted before {@link #pending} is written. */
  private boolean clearPending;
  private boolean autosave = true;
  private boolean closed;

  /** Held while writing the database; guards {@link #rows}. */
  private final Object saveLock = new Object();
  /** The open database, or null while there is none yet (created by the first write). */
  private EntryRows rows;

  /** A store under {@link #defaultDataDir()}, with the default bounds. */
  public FileDataStore() {
    this(builder());
  }

  /**
   * A store whose persistent entries live under {@code dataDir}, created if missing, with the
   * default bounds; loads what an earlier store saved there.
   *
   * @throws UncheckedIOException when the directory cannot be created or the database read
   */
  public FileDataStore(Path dataDir) {
    this(builder().dataDir(dataDir));
  }

  private FileDataStore(Builder b) {
    this.bounds = b.bounds();
    if (b.maxWatches <= 0) {
      throw new IllegalArgumentException("maxWatches must be positive, was " + b.maxWatches);
    }
    this.watches = new Watches(b.maxWatches);
    Path dir = b.dataDir != null ? b.dataDir : defaultDataDir();
    try {
      Files.createDirectories(dir);
      this.dataDir = dir.toRealPath();
      for (Path leftover : DataFiles.removeLeftovers(this.dataDir)) {
        logger.info("removed " + leftover + ", left over by an interrupted save");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot use data directory " + dir + ": " + e.getMessage(), e);
    }
    this.dbFile = this.dataDir.resolve(DB_FILE);
    this.jsonFile = this.dataDir.resolve(JSON_FILE);
    this.mapper = ownFilesMapper();
    this.codec = new StoreCodec(mapper);
    loadDatabase();
    importJsonFile();
  }

  /**
   * A mapper for values and for our own files and rows: it reads whatever the bounds let in,
   * whichever bounds wrote it (Jackson's own defaults would refuse a key of 50,001 characters).
   */
  private static ObjectMapper ownFilesMapper() {
    int depth = 2 * Bounds.DEPTH_CEILING;
    ObjectMapper mapper = Mappers.json(Limits.defaults().withMaxDepth(depth));
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(depth)
        .maxNameLength(Integer.MAX_VALUE)
        .maxStringLength(Integer.MAX_VALUE)
        .maxNumberLength(Integer.MAX_VALUE)
        .maxDocumentLength(Long.MAX_VALUE)
        .build());
    mapper.getFactory().setStreamWriteConstraints(
        StreamWriteConstraints.builder().maxNestingDepth(depth).build());
    return mapper;
  }

  /** A builder for a store with another data directory or other bounds. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The per-user data directory: {@code %APPDATA%\ipc4j} on Windows, {@code ~/Library/Application
   * Support/ipc4j} on macOS, else {@code $XDG_DATA_HOME/ipc4j} or {@code ~/.local/share/ipc4j}.
   */
  public static Path defaultDataDir() {
    return defaultDataDir(System.getProperty("os.name", ""), System.getenv(),
        System.getProperty("user.home"));
  }

  static Path defaultDataDir(String osName, Map<String, String> env, String home) {
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      String appData = env.get("APPDATA");
      return appData != null && !appData.isBlank() ? Path.of(appData, "ipc4j")
          : Path.of(home, "AppData", "Roaming", "ipc4j");
    }
    if (os.startsWith("mac")) {
      return Path.of(home, "Library", "Application Support", "ipc4j");
    }
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "ipc4j");
    }
    return Path.of(home, ".local", "share", "ipc4j");
  }

  /** The data directory, as a real absolute path. */
  public Path dataDir() {
    return dataDir;
  }

  private void loadDatabase() {
    if (!Files.exists(dbFile)) {
      return;
    }
    try {
      rows = EntryRows.open(dbFile);
      rows.load(this::loadRow);
    } catch (SQLException e) {
      if (!isCorrupt(e)) {
        closeRows();
        throw new UncheckedIOException("cannot read data store database " + dbFile + ": "
            + e.getMessage(), new IOException(e.getMessage(), e));
      }
      closeRows();
      moveDatabaseAside(e.getMessage());
    }
  }

  private static boolean isCorrupt(SQLException e) {
    if (!(e instanceof SQLiteException s)) {
      return false;
    }
    int primary = s.getResultCode().code & 0xff; // extended codes carry the primary one
    return primary == SQLiteErrorCode.SQLITE_CORRUPT.code
        || primary == SQLiteErrorCode.SQLITE_NOTADB.code;
  }

  /** Loads one row; answers why it cannot be loaded, or null. */
  private String loadRow(EntryRows.Row row) {
    String which = "entry '" + Bounds.shown(row.name()) + "' of author '"
        + Bounds.shown(row.author()) + "'";
    Object value = null;
    String problem = row.json() == null ? "it has no value" : null;
    try {
      if (problem == null) {
        value = mapper.readValue(row.json(), Object.class);
      }
    } catch (JacksonException e) {
      problem = "its value is not valid JSON: " + e.getOriginalMessage();
    }
    if (problem != null) {
      logger.warning("data store " + which + " in " + dbFile + " cannot be read (" + problem
          + "); skipped it, kept in the table skipped_entries, and loaded the others");
      return problem;
    }
    long size = Bounds.utf8Length(row.name()) + Bounds.utf8Length(row.json());
    entries.put(row.author(), row.name(), new Stored(value, row.ts(), true, size));
    lastTs = Math.max(lastTs, row.ts());
    return null;
  }

  /**
   * A database SQLite calls corrupt is moved aside; the entries read before the damage stay and
   * are written to a new database.
   */
  private void moveDatabaseAside(String problem) {
    String time = LocalDateTime.now().format(ASIDE_TIME);
    Path aside = dbFile.resolveSibling(DB_FILE + ".corrupt-" + time);
    try {
      Files.move(dbFile, aside);
      for (String suffix : List.of("-wal", "-shm")) {
        Path companion = dbFile.resolveSibling(DB_FILE + suffix);
        if (Files.exists(companion)) {
          Files.move(companion, aside.resolveSibling(aside.getFileName() + suffix));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("data store database " + dbFile + " is corrupt (" + problem
          + ") and cannot be moved aside: " + e.getMessage(), e);
    }
    entries.byAuthor().forEach((author, names) -> names.forEach((name, s) -> pending.put(
        new Key(author, name), new EntryRows.Row(author, name, writeJson(s.value()), s.ts()))));
    logger.warning("data store database " + dbFile + " is corrupt (" + problem + "); moved it to "
        + aside + " and kept the " + entries.count() + " entries read before the damage");
    flush();
  }

  /** Imports the file of an earlier ipc4j once, then renames it. */
  private void importJsonFile() {
    if (!Files.isRegularFile(jsonFile)) {
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(jsonFile);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read data store file " + jsonFile + ": " + e.getMessage(), e);
    }
    StoreCodec.Content saved;
    try {
      saved = codec.read(bytes);
    } catch (StoreCodec.BadFileException e) {
      moveJsonAside(e.getMessage());
      return;
    }
    for (String problem : saved.problems()) {
      logger.warning("data store file " + jsonFile + ": " + problem + "; skipped it (it stays in"
          + " the file) and imported the others");
    }
    int imported = 0;
    synchronized (lock) {
      for (StoreCodec.Saved s : saved.entries()) {
        Prepared p;
        try {
          p = prepare(s.name(), s.author(), s.value());
        } catch (IllegalArgumentException e) {
          logger.warning("data store file " + jsonFile + ": entry '" + Bounds.shown(s.name())
              + "' of author '" + Bounds.shown(s.author()) + "' is refused (" + e.getMessage()
              + "); skipped it (it stays in the file) and imported the others");
          continue;
        }
        Stored old = entries.get(s.author(), s.name());
        if (old != null && old.ts() >= s.ts()) {
          continue; // imported before, or changed since
        }
        entries.put(s.author(), s.name(), new Stored(p.value(), s.ts(), true, p.size()));
        pending.put(new Key(s.author(), s.name()),
            new EntryRows.Row(s.author(), s.name(), p.json(), s.ts()));
        lastTs = Math.max(lastTs, s.ts());
        imported++;
      }
    }
    flush();
    Path target = jsonFile.resolveSibling(IMPORTED_FILE);
    if (Files.exists(target)) {
      target = jsonFile.resolveSibling(
          IMPORTED_FILE + "-" + LocalDateTime.now().format(ASIDE_TIME));
    }
    try {
      Files.move(jsonFile, target);
    } catch (IOException e) {
      throw new UncheckedIOException("imported " + jsonFile + " into " + dbFile
          + " but cannot rename it to " + target + ": " + e.getMessage(), e);
    }
    logger.info("imported " + imported + " entries from " + jsonFile + " into " + dbFile
        + "; renamed the file to " + target);
  }

  private void moveJsonAside(String problem) {
    Path aside = jsonFile.resolveSibling(
        JSON_FILE + ".corrupt-" + LocalDateTime.now().format(ASIDE_TIME));
    try {
      Files.move(jsonFile, aside);
      logger.warning("data store file " + jsonFile + " is corrupt (" + problem + "); moved it to "
          + aside + " and started without its entries");
    } catch (IOException e) {
      logger.severe("data store file " + jsonFile + " is corrupt (" + problem
          + ") and cannot be moved aside (" + e + "); started without its entries");
    }
  }

  @Override
  public long set(String name, Object value, String author, boolean persist) {
    Prepared p = prepare(name, author, value);
    long ts;
    boolean save;
    synchronized (lock) {
      checkOpen();
      Stored old = entries.get(author, name);
      checkQuota(author, old == null ? 1 : 0, p.size() - (old == null ? 0 : old.size()));
      ts = nextTs();
      entries.put(author, name, new Stored(p.value(), ts, persist, p.size()));
      boolean wasPersistent = old != null && old.persist();
      if (persist) {
        pending.put(new Key(author, name), new EntryRows.Row(author, name, p.json(), ts));
      } else if (wasPersistent) {
        pending.put(new Key(author, name), new EntryRows.Row(author, name, null, ts));
      }
      save = autosave && (persist || wasPersistent);
      if (!watches.isEmpty()) {
        watches.publish(Change.set(name, author, p.value(), ts));
      }
    }
    saveAndNotify(save);
    return ts;
  }

  @Override
  public Entry get(String name, String author) {
    require(name, "name");
    require(author, "author");
    synchronized (lock) {
      checkOpen();
      return find(name, author).entry();
    }
  }

  @Override
  public boolean delete(String name, String author) {
    require(name, "name");
    require(author, "author");
    boolean save;
    Stored old;
    synchronized (lock) {
      checkOpen();
      old = entries.remove(author, name);
      save = old != null && old.persist();
      if (save) {
        pending.put(new Key(author, name), new EntryRows.Row(author, name, null, old.ts()));
      }
      save &= autosave;
      if (old != null && !watches.isEmpty()) {
        watches.publish(Change.deleted(name, author, nextTs()));
      }
    }
    saveAndNotify(save);
    return old != null;
  }

  @Override
  public Map<String, List<String>> getDataList(String author) {
    Map<String, List<String>> list = new TreeMap<>();
    synchronized (lock) {
      checkOpen();
      if (author != null) {
        list.put(author, sortedNames(entries.byAuthor().get(author)));
      } else {
        entries.byAuthor().forEach((a, names) -> list.put(a, sortedNames(names)));
      }
    }
    return new LinkedHashMap<>(list);
  }

  private static List<String> sortedNames(Map<String, Stored> names) {
    List<String> sorted = names == null ? new ArrayList<>() : new ArrayList<>(names.keySet());
    sorted.sort(null);
    return sorted;
  }

  @Override
  public void clearAll() {
    boolean save;
    synchronized (lock) {
      checkOpen();
      save = entries.anyPersistent() || !pending.isEmpty();
      if (entries.count() > 0 && !watches.isEmpty()) {
        long ts = nextTs();
        entries.byAuthor().forEach((author, names) -> names.keySet().forEach(
            name -> watches.publish(Change.deleted(name, author, ts))));
      }
      entries.clear();
      if (save) {
        pending.clear();
        clearPending = true;
      }
      save &= autosave;
    }
    saveAndNotify(save);
  }

  @Override
  public int clearCache(String requestor) {
    int removed = 0;
    synchronized (lock) {
      checkOpen();
      List<String> authors = requestor != null ? List.of(requestor)
          : List.copyOf(entries.byAuthor().keySet());
      long ts = 0;
      for (String author : authors) {
        Map<String, Stored> names = entries.byAuthor().getOrDefault(author, Map.of());
        for (Map.Entry<String, Stored> e : List.copyOf(names.entrySet())) {
          if (!e.getValue().persist()) {
            entries.remove(author, e.getKey());
            removed++;
            if (!watches.isEmpty()) {
              ts = ts == 0 ? nextTs() : ts;
              watches.publish(Change.deleted(e.getKey(), author, ts));
            }
          }
        }
      }
    }
    watches.deliver();
    return removed;
  }

  @Override
  public int saveData(String author, String file) {
    Path target = DataFiles.inside(dataDir, file);
    if (target.equals(jsonFile)) {
      throw new IllegalArgumentException("file '" + file + "' is the store's own "
          + JSON_FILE + "; choose another name");
    }
    if (target.getParent().equals(dataDir) && List.of(DB_FILE, DB_FILE + "-wal",
        DB_FILE + "-shm", DB_FILE + "-journal").contains(target.getFileName().toString())) {
      throw new IllegalArgumentException("file '" + file + "' belongs to the store's database "
          + DB_FILE + "; choose another name");
    }
    Map<String, Map<String, Stored>> snapshot = new HashMap<>();
    synchronized (lock) {
      checkOpen();
      entries.byAuthor().forEach((a, names) -> {
        if (author == null || author.equals(a)) {
          snapshot.put(a, new HashMap<>(names));
        }
      });
    }
    try {
      DataFiles.writeAtomically(target, codec.write(snapshot));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write file '" + file + "': " + e.getMessage(), e);
    }
    flush();
    return snapshot.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public int restoreData(String author, String file) {
    Path source = DataFiles.inside(dataDir, file);
    if (!Files.isRegularFile(source)) {
      throw new IllegalArgumentException(
          "file '" + file + "' does not exist in the data directory");
    }
    StoreCodec.Content saved;
    try {
      saved = codec.read(Files.readAllBytes(source));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read file '" + file + "': " + e.getMessage(), e);
    } catch (StoreCodec.BadFileException e) {
      throw new IllegalArgumentException(
          "file '" + file + "' is not a data store file: " + e.getMessage(), e);
    }
    if (!saved.problems().isEmpty()) {
      throw new IllegalArgumentException(
          "file '" + file + "' is not a data store file: " + saved.problems().get(0));
    }
    List<StoreCodec.Saved> chosen = new ArrayList<>();
    List<Prepared> prepared = new ArrayList<>();
    for (StoreCodec.Saved s : saved.entries()) {
      if (author == null || author.equals(s.author())) {
        try {
          prepared.add(prepare(s.name(), s.author(), s.value()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("file '" + file + "': " + e.getMessage(), e);
        }
        chosen.add(s);
      }
    }
    boolean save = false;
    synchronized (lock) {
      checkOpen();
      checkRestoreQuota(chosen, prepared);
      for (int i = 0; i < chosen.size(); i++) {
        StoreCodec.Saved s = chosen.get(i);
        Prepared p = prepared.get(i);
        long ts = nextTs();
        Stored old = entries.put(s.author(), s.name(),
            new Stored(p.value(), ts, s.persist(), p.size()));
        Key key = new Key(s.author(), s.name());
        if (s.persist()) {
          pending.put(key, new EntryRows.Row(s.author(), s.name(), p.json(), ts));
          save = true;
        } else if (old != null && old.persist()) {
          pending.put(key, new EntryRows.Row(s.author(), s.name(), null, ts));
          save = true;
        }
        if (!watches.isEmpty()) {
          watches.publish(Change.set(s.name(), s.author(), p.value(), ts));
        }
      }
      save &= autosave;
    }
    saveAndNotify(save);
    return chosen.size();
  }

  /** Checks the quotas for restoring {@code chosen} at once. Call while holding the lock. */
  private void checkRestoreQuota(List<StoreCodec.Saved> chosen, List<Prepared> prepared) {
    Map<String, long[]> growth = new LinkedHashMap<>();
    for (int i = 0; i < chosen.size(); i++) {
      StoreCodec.Saved s = chosen.get(i);
      Stored old = entries.get(s.author(), s.name());
      long[] g = growth.computeIfAbsent(s.author(), a -> new long[2]);
      g[0] += old == null ? 1 : 0;
      g[1] += prepared.get(i).size() - (old == null ? 0 : old.size());
    }
    long addedEntries = 0;
    long addedBytes = 0;
    for (Map.Entry<String, long[]> g : growth.entrySet()) {
      checkQuota(g.getKey(), g.getValue()[0], g.getValue()[1]);
      addedEntries += g.getValue()[0];
      addedBytes += g.getValue()[1];
    }
    bounds.checkQuota(null, 0, 0, entries.count() + addedEntries, entries.bytes() + addedBytes,
        addedEntries > 0, addedBytes > 0);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The listener is called on the thread of a writer, after the store's lock is released: a
   * listener that blocks holds up that writer (a remote listener does not block: it is called
   * without waiting).
   *
   * @throws IllegalStateException when the store has {@link Builder#maxWatches} watches open
   */
  @Override
  public Watch watch(String name, String author, ChangeListener listener) {
    if (name != null) {
      bounds.checkName(name);
    }
    if (author != null) {
      bounds.checkAuthor(author);
    }
    require(listener, "listener");
    synchronized (lock) {
      checkOpen();
      return watches.add(name, author, listener);
    }
  }

  @Override
  public void addPersistence(String name, String author) {
    persistence(name, author, true);
  }

  @Override
  public void removePersistence(String name, String author) {
    persistence(name, author, false);
  }

  private void persistence(String name, String author, boolean on) {
    require(name, "name");
    require(author, "author");
    boolean save;
    synchronized (lock) {
      checkOpen();
      Stored s = find(name, author);
      save = s.persist() != on;
      if (save) {
        entries.put(author, name, s.withPersist(on));
        pending.put(new Key(author, name),
            new EntryRows.Row(author, name, on ? writeJson(s.value()) : null, s.ts()));
      }
      save &= autosave;
    }
    if (save) {
      flush();
    }
  }

  @Override
  public void setAutosave(boolean on) {
    synchronized (lock) {
      checkOpen();
      autosave = on;
    }
    if (on) {
      flush();
    }
  }

  /** Saves what is unsaved and closes the store and its database; later calls fail. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    watches.closeAll();
    try {
      flush();
    } finally {
      synchronized (saveLock) {
        closeRows();
      }
    }
  }

  /** Saves when {@code save}, then tells the watches, even when saving failed. */
  private void saveAndNotify(boolean save) {
    try {
      if (save) {
        flush();
      }
    } finally {
      watches.deliver();
    }
  }

  private void closeRows() {
    if (rows != null) {
      try {
        rows.close();
      } catch (SQLException e) {
        logger.warning("cannot close data store database " + dbFile + ": " + e.getMessage());
      }
      rows = null;
    }
  }

  @Override
  public String toString() {
    return "FileDataStore[" + dataDir + "]";
  }

  /** Checks and converts a value to store, before taking the lock. */
  private Prepared prepare(String name, String author, Object value) {
    bounds.checkName(name);
    bounds.checkAuthor(author);
    Object json = toJson(name, author, value);
    String text;
    try {
      text = mapper.writeValueAsString(json);
    } catch (JacksonException e) {
      throw notSerializable(name, author, e);
    }
    bounds.checkValue(name, author, json, text);
    return new Prepared(json, text, Bounds.utf8Length(name) + Bounds.utf8Length(text));
  }

  private Object toJson(String name, String author, Object value) {
    try {
      return mapper.convertValue(value, Object.class);
    } catch (IllegalArgumentException e) {
      throw notSerializable(name, author, e);
    }
  }

  private static IllegalArgumentException notSerializable(
      String name, String author, Exception e) {
    return new IllegalArgumentException("value of '" + name + "' for author '" + author
        + "' is not JSON-serializable: " + e.getMessage(), e);
  }

  /** A stored value as JSON text; it was written once already, when it was set. */
  private String writeJson(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JacksonException e) {
      throw new IllegalStateException("a stored value cannot be written as JSON again", e);
    }
  }

  /** Checks the quotas for adding {@code added} entries and {@code addedBytes} to author. */
  private void checkQuota(String author, long added, long addedBytes) {
    bounds.checkQuota(author, entries.count(author) + added, entries.bytes(author) + addedBytes,
        entries.count() + added, entries.bytes() + addedBytes, added > 0, addedBytes > 0);
  }

  private Stored find(String name, String author) {
    Stored s = entries.get(author, name);
    if (s == null) {
      throw new NoSuchKeyException(name, author);
    }
    return s;
  }

  /** A timestamp larger than every earlier one, even when the clock goes back. */
  private long nextTs() {
    lastTs = Math.max(System.currentTimeMillis(), lastTs + 1);
    return lastTs;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("data store " + dataDir + " is closed");
    }
  }

  /**
   * Writes the pending row changes in one transaction. Returns only when the changes made before
   * the call are on disk, so a caller of {@link #set} knows they are durable; concurrent changes
   * share one transaction.
   */
  private void flush() {
    synchronized (saveLock) {
      Map<Key, EntryRows.Row> changes;
      boolean clear;
      synchronized (lock) {
        if (pending.isEmpty() && !clearPending) {
          return;
        }
        changes = pending;
        clear = clearPending;
        pending = new LinkedHashMap<>();
        clearPending = false;
      }
      try {
        if (rows == null) {
          if (changes.values().stream().allMatch(r -> r.json() == null)
              && !Files.exists(dbFile)) {
            return; // nothing to keep, and no database to delete from
          }
          rows = EntryRows.open(dbFile);
        }
        rows.write(clear, changes.values());
      } catch (SQLException e) {
        synchronized (lock) {
          if (!clearPending) { // else a later clearAll supersedes these changes
            changes.forEach(pending::putIfAbsent);
            clearPending = clear;
          }
        }
        throw new UncheckedIOException("cannot save data store database " + dbFile + ": "
            + e.getMessage() + " (the change is kept in memory)",
            new IOException(e.getMessage(), e));
      }
    }
  }

  private static void require(Object value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is null");
    }
  }

  /**
   * Builds a {@link FileDataStore} with another data directory or other bounds. Every bound must
   * be positive; the defaults suit settings and small documents shared between programs.
   */
  public static final class Builder {
    private Path dataDir;
    private int maxNameLength = Bounds.DEFAULTS.maxNameLength();
    private int maxAuthorLength = Bounds.DEFAULTS.maxAuthorLength();
    private int maxKeyLength = Bounds.DEFAULTS.maxKeyLength();
    private int maxValueBytes = Bounds.DEFAULTS.maxValueBytes();
    private int maxDepth = Bounds.DEFAULTS.maxDepth();
    private int maxEntriesPerAuthor = Bounds.DEFAULTS.maxEntriesPerAuthor();
    private long maxBytesPerAuthor = Bounds.DEFAULTS.maxBytesPerAuthor();
    private int maxEntries = Bounds.DEFAULTS.maxEntries();
    private long maxBytes = Bounds.DEFAULTS.maxBytes();
    private int maxWatches = 10_000;

    private Builder() {}

    /** The data directory, created if missing; default {@link #defaultDataDir()}. */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dataDir == null");
      return this;
    }

    /** The longest name, in characters; default 1024. */
    public Builder maxNameLength(int chars) {
      this.maxNameLength = chars;
      return this;
    }

    /** The longest author, in characters; default 256. */
    public Builder maxAuthorLength(int chars) {
      this.maxAuthorLength = chars;
      return this;
    }

    /** The longest key of an object inside a value, in characters; default 4096. */
    public Builder maxKeyLength(int chars) {
      this.maxKeyLength = chars;
      return this;
    }

    /** The largest value, written as JSON in UTF-8, in bytes; default 4 MiB (4,194,304). */
    public Builder maxValueBytes(int bytes) {
      this.maxValueBytes = bytes;
      return this;
    }

    /**
     * The deepest nesting of lists and maps in a value (a flat list is 1), at most 1000; default
     * 63, the deepest value that one call can carry under the default {@link Limits}.
     */
    public Builder maxDepth(int levels) {
      this.maxDepth = levels;
      return this;
    }

    /** The most entries one author may hold; default 10,000. */
    public Builder maxEntriesPerAuthor(int entries) {
      this.maxEntriesPerAuthor = entries;
      return this;
    }

    /**
     * The most bytes one author may hold, counting each entry's name and value as JSON in UTF-8;
     * default 64 MiB.
     */
    public Builder maxBytesPerAuthor(long bytes) {
      this.maxBytesPerAuthor = bytes;
      return this;
    }

    /** The most entries of all authors together; default 100,000. */
    public Builder maxEntries(int entries) {
      this.maxEntries = entries;
      return this;
    }

    /** The most bytes of all authors together, counted as for one author; default 256 MiB. */
    public Builder maxBytes(long bytes) {
      this.maxBytes = bytes;
      return this;
    }

    /**
     * The most {@linkplain FileDataStore#watch watches} open at once, of all clients together;
     * default 10,000.
     */
    public Builder maxWatches(int watches) {
      this.maxWatches = watches;
      return this;
    }

    private Bounds bounds() {
      return new Bounds(maxNameLength, maxAuthorLength, maxKeyLength, maxValueBytes, maxDepth,
          maxEntriesPerAuthor, maxBytesPerAuthor, maxEntries, maxBytes);
    }

    /**
     * Opens the store: creates the data directory if missing and loads what an earlier store
     * saved there.
     *
     * @throws IllegalArgumentException when a bound is not positive or the depth above 1000
     * @throws UncheckedIOException when the directory cannot be created or the database read
     */
    public FileDataStore build() {
      return new FileDataStore(this);
    }
  }
}
