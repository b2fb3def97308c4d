package io.ipc4j.datastore;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Mappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * The data store that {@code ipc serve} exposes: values in memory, the persistent ones also in
 * {@code datastore.json} under a data directory, written after every change (unless
 * {@link #setAutosave autosave} is off) so that they survive a restart and a crash.
 *
 * <p>Crash safety: every file is written to a temporary file beside it, forced to disk and
 * renamed over the old one atomically, so a crash leaves the last complete file. On start,
 * temporary files a crash left behind are removed; a corrupt store file is logged (naming it) and
 * moved aside to {@code datastore.json.corrupt-<time>}, and the store starts without it.
 *
 * <p>Thread-safe. Values are kept as JSON-shaped Java values (a value set from Java is converted
 * once, so a POJO becomes a Map); callers must not modify the values {@link #get} returns.
 */
public final class FileDataStore implements DataStore, AutoCloseable {
  /** The name of the file under the data directory that holds the persistent entries. */
  static final String STORE_FILE = "datastore.json";

  private static final Logger logger = Logger.getLogger(FileDataStore.class.getName());
  private static final DateTimeFormatter ASIDE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT);

  private final Path dataDir;
  private final Path storeFile;
  private final ObjectMapper mapper;
  private final StoreCodec codec;

  private final Object lock = new Object();
  /** Author to name to entry; guarded by {@link #lock}, as are the fields below. */
  private final Map<String, Map<String, Stored>> data = new HashMap<>();
  private long lastTs;
  /** Counts the changes of persistent entries. */
  private long version;
  private boolean autosave = true;
  private boolean closed;

  /** Held while writing the store file; guards {@link #savedVersion}. */
  private final Object saveLock = new Object();
  private long savedVersion;

  /** A store under {@link #defaultDataDir()}. */
  public FileDataStore() {
    this(defaultDataDir());
  }

  /**
   * A store whose persistent entries live under {@code dataDir}, created if missing; loads what
   * an earlier store saved there.
   *
   * @throws UncheckedIOException when the directory cannot be created or the store file read
   */
  public FileDataStore(Path dataDir) {
    Objects.requireNonNull(dataDir, "dataDir == null");
    try {
      Files.createDirectories(dataDir);
      this.dataDir = dataDir.toRealPath();
      for (Path leftover : DataFiles.removeLeftovers(this.dataDir)) {
        logger.info("removed " + leftover + ", left over by an interrupted save");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot use data directory " + dataDir + ": " + e.getMessage(), e);
    }
    this.storeFile = this.dataDir.resolve(STORE_FILE);
    // Our own files may hold more and deeper values than one message does.
    this.mapper = Mappers.json(Limits.defaults()
        .withMaxMessageSize(Integer.MAX_VALUE)
        .withMaxStringLength(Integer.MAX_VALUE)
        .withMaxDepth(1000));
    this.codec = new StoreCodec(mapper);
    load();
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

  private void load() {
    if (!Files.exists(storeFile)) {
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(storeFile);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read data store file " + storeFile + ": " + e.getMessage(), e);
    }
    try {
      for (Map.Entry<String, Map<String, Stored>> author : codec.read(bytes).entrySet()) {
        Map<String, Stored> names = new HashMap<>();
        author.getValue().forEach((name, s) -> {
          names.put(name, s.withPersist(true));
          lastTs = Math.max(lastTs, s.ts());
        });
        if (!names.isEmpty()) {
          data.put(author.getKey(), names);
        }
      }
    } catch (StoreCodec.BadFileException e) {
      moveAside(e.getMessage());
    }
  }

  private void moveAside(String problem) {
    Path aside = storeFile.resolveSibling(
        STORE_FILE + ".corrupt-" + LocalDateTime.now().format(ASIDE_TIME));
    try {
      Files.move(storeFile, aside);
      logger.warning("data store file " + storeFile + " is corrupt (" + problem + "); moved it to "
          + aside + " and started without its entries");
    } catch (IOException e) {
      logger.severe("data store file " + storeFile + " is corrupt (" + problem
          + ") and cannot be moved aside (" + e + "); started without its entries, and the next"
          + " save replaces it");
    }
  }

  @Override
  public long set(String name, Object value, String author, boolean persist) {
    require(name, "name");
    require(author, "author");
    Object json = toJson(name, author, value);
    long ts;
    boolean save;
    synchronized (lock) {
      checkOpen();
      ts = nextTs();
      Stored old = data.computeIfAbsent(author, a -> new HashMap<>())
          .put(name, new Stored(json, ts, persist));
      save = changed(persist || (old != null && old.persist()));
    }
    if (save) {
      flush();
    }
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
      Map<String, Stored> names = data.get(author);
      old = names == null ? null : names.remove(name);
      if (names != null && names.isEmpty()) {
        data.remove(author);
      }
      save = changed(old != null && old.persist());
    }
    if (save) {
      flush();
    }
    return old != null;
  }

  @Override
  public Map<String, List<String>> getDataList(String author) {
    Map<String, List<String>> list = new TreeMap<>();
    synchronized (lock) {
      checkOpen();
      if (author != null) {
        list.put(author, sortedNames(data.get(author)));
      } else {
        data.forEach((a, names) -> list.put(a, sortedNames(names)));
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
      boolean anyPersistent = data.values().stream()
          .anyMatch(names -> names.values().stream().anyMatch(Stored::persist));
      data.clear();
      save = changed(anyPersistent);
    }
    if (save) {
      flush();
    }
  }

  @Override
  public int clearCache(String requestor) {
    int removed = 0;
    synchronized (lock) {
      checkOpen();
      List<String> authors = requestor != null ? List.of(requestor) : List.copyOf(data.keySet());
      for (String author : authors) {
        Map<String, Stored> names = data.get(author);
        if (names != null) {
          int before = names.size();
          names.values().removeIf(s -> !s.persist());
          removed += before - names.size();
          if (names.isEmpty()) {
            data.remove(author);
          }
        }
      }
    }
    return removed;
  }

  @Override
  public int saveData(String author, String file) {
    Path target = DataFiles.inside(dataDir, file);
    if (target.equals(storeFile)) {
      throw new IllegalArgumentException("file '" + file + "' is the store's own "
          + STORE_FILE + "; choose another name");
    }
    Map<String, Map<String, Stored>> snapshot = new HashMap<>();
    synchronized (lock) {
      checkOpen();
      data.forEach((a, names) -> {
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
    Map<String, Map<String, Stored>> saved;
    try {
      saved = codec.read(Files.readAllBytes(source));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read file '" + file + "': " + e.getMessage(), e);
    } catch (StoreCodec.BadFileException e) {
      throw new IllegalArgumentException(
          "file '" + file + "' is not a data store file: " + e.getMessage(), e);
    }
    int restored = 0;
    boolean persistentChanged = false;
    boolean save;
    synchronized (lock) {
      checkOpen();
      for (Map.Entry<String, Map<String, Stored>> a : saved.entrySet()) {
        if (author != null && !author.equals(a.getKey())) {
          continue;
        }
        Map<String, Stored> names = data.computeIfAbsent(a.getKey(), k -> new HashMap<>());
        for (Map.Entry<String, Stored> e : a.getValue().entrySet()) {
          Stored s = e.getValue();
          Stored old = names.put(e.getKey(), new Stored(s.value(), nextTs(), s.persist()));
          persistentChanged |= s.persist() || (old != null && old.persist());
          restored++;
        }
        if (names.isEmpty()) {
          data.remove(a.getKey());
        }
      }
      save = changed(persistentChanged);
    }
    if (save) {
      flush();
    }
    return restored;
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
      data.get(author).put(name, s.withPersist(on));
      save = changed(s.persist() != on);
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

  /** Saves what is unsaved and closes the store; later calls fail. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    flush();
  }

  @Override
  public String toString() {
    return "FileDataStore[" + dataDir + "]";
  }

  private Stored find(String name, String author) {
    Map<String, Stored> names = data.get(author);
    Stored s = names == null ? null : names.get(name);
    if (s == null) {
      throw new NoSuchKeyException(name, author);
    }
    return s;
  }

  /** Records a change; answers whether to save now. Call while holding {@link #lock}. */
  private boolean changed(boolean persistentChanged) {
    if (persistentChanged) {
      version++;
    }
    return persistentChanged && autosave;
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
   * Writes the persistent entries unless a save since the last change did. Returns only when the
   * changes made before the call are on disk, so a caller of {@link #set} knows they are durable.
   */
  private void flush() {
    synchronized (saveLock) {
      Map<String, Map<String, Stored>> snapshot = new HashMap<>();
      long current;
      synchronized (lock) {
        current = version;
        if (current == savedVersion) {
          return;
        }
        data.forEach((author, names) -> names.forEach((name, s) -> {
          if (s.persist()) {
            snapshot.computeIfAbsent(author, a -> new HashMap<>()).put(name, s);
          }
        }));
      }
      try {
        DataFiles.writeAtomically(storeFile, codec.write(snapshot));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save data store file " + storeFile + ": "
            + e.getMessage() + " (the change is kept in memory)", e);
      }
      savedVersion = current;
    }
  }

  private Object toJson(String name, String author, Object value) {
    try {
      return mapper.convertValue(value, Object.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("value of '" + name + "' for author '" + author
          + "' is not JSON-serializable: " + e.getMessage(), e);
    }
  }

  private static void require(String value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is null");
    }
  }
}
