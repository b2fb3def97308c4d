package io.ipc4j.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user of the store relies on, in memory: values per author, timestamps, errors. */
class FileDataStoreTest {
  @TempDir Path dir;
  private FileDataStore store;

  /** A Java object set as a value; the store keeps its JSON shape. */
  public record Point(int x, int y) {}

  /** A value Jackson cannot write. */
  public static final class Broken {
    public String getBoom() {
      throw new IllegalStateException("boom");
    }
  }

  @BeforeEach
  void open() {
    store = new FileDataStore(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void setThenGetReturnsValueAndTimestamp() {
    long before = System.currentTimeMillis();
    long ts = store.set("greeting", "hello", "cli", false);
    Entry entry = store.get("greeting", "cli");
    assertEquals(new Entry("hello", ts), entry);
    assertTrue(ts >= before, "ts is epoch millis");
  }

  @Test
  void timestampsStrictlyIncreaseEvenWithinOneMillisecond() {
    long previous = 0;
    for (int i = 0; i < 200; i++) {
      long ts = store.set("n", i, "a", false);
      assertTrue(ts > previous, "ts " + ts + " after " + previous);
      previous = ts;
    }
  }

  @Test
  void authorsHaveSeparateNamespaces() {
    store.set("k", "of a", "a", false);
    store.set("k", "of b", "b", false);
    assertEquals("of a", store.get("k", "a").value());
    assertEquals("of b", store.get("k", "b").value());
  }

  @Test
  void missingKeyNamesKeyAndAuthor() {
    store.set("k", 1, "a", false);
    NoSuchKeyException e = assertThrows(NoSuchKeyException.class, () -> store.get("k", "b"));
    assertEquals("no value named 'k' for author 'b'", e.getMessage());
    assertEquals("k", e.name());
    assertEquals("b", e.author());
  }

  @Test
  void valuesAreKeptInTheirJsonShape() {
    store.set("point", new Point(1, 2), "a", false);
    store.set("int", 7, "a", false);
    store.set("decimal", new BigDecimal("0.1000000000000000000001"), "a", false);
    store.set("nothing", null, "a", false);
    assertEquals(Map.of("x", 1L, "y", 2L), store.get("point", "a").value());
    assertEquals(7L, store.get("int", "a").value());
    assertEquals(new BigDecimal("0.1000000000000000000001"), store.get("decimal", "a").value());
    assertEquals(null, store.get("nothing", "a").value());
  }

  @Test
  void unserializableValueIsRefusedNamingTheEntry() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store.set("b", new Broken(), "a", false));
    assertTrue(e.getMessage().startsWith("value of 'b' for author 'a' is not JSON-serializable: "),
        e.getMessage());
    assertThrows(NoSuchKeyException.class, () -> store.get("b", "a"));
  }

  @Test
  void nullNameOrAuthorIsRefused() {
    assertEquals("name is null", assertThrows(IllegalArgumentException.class,
        () -> store.set(null, 1, "a", false)).getMessage());
    assertEquals("author is null", assertThrows(IllegalArgumentException.class,
        () -> store.get("k", null)).getMessage());
  }

  @Test
  void deleteAnswersWhetherThereWasAValue() {
    store.set("k", 1, "a", true);
    assertTrue(store.delete("k", "a"));
    assertFalse(store.delete("k", "a"));
    assertThrows(NoSuchKeyException.class, () -> store.get("k", "a"));
  }

  @Test
  void dataListIsSortedPerAuthorAndCoversEveryoneForNull() {
    store.set("b", 1, "x", false);
    store.set("a", 2, "x", true);
    store.set("c", 3, "y", false);
    assertEquals(Map.of("x", List.of("a", "b")), store.getDataList("x"));
    assertEquals(Map.of("nobody", List.of()), store.getDataList("nobody"));
    assertEquals(Map.of("x", List.of("a", "b"), "y", List.of("c")), store.getDataList(null));
  }

  @Test
  void clearAllRemovesEverything() {
    store.set("a", 1, "x", true);
    store.set("b", 2, "y", false);
    store.clearAll();
    assertEquals(Map.of(), store.getDataList(null));
  }

  @Test
  void clearCacheKeepsPersistentEntriesOfTheRequestorAndOthers() {
    store.set("kept", 1, "x", true);
    store.set("dropped", 2, "x", false);
    store.set("other", 3, "y", false);
    assertEquals(1, store.clearCache("x"));
    assertEquals(Map.of("x", List.of("kept"), "y", List.of("other")), store.getDataList(null));
    assertEquals(1, store.clearCache(null));
    assertEquals(Map.of("x", List.of("kept")), store.getDataList(null));
  }

  @Test
  void persistenceFlagsNeedAnExistingEntry() {
    NoSuchKeyException e = assertThrows(NoSuchKeyException.class,
        () -> store.addPersistence("k", "a"));
    assertEquals("no value named 'k' for author 'a'", e.getMessage());
    assertThrows(NoSuchKeyException.class, () -> store.removePersistence("k", "a"));
  }

  @Test
  void persistenceFlagsKeepValueAndTimestamp() {
    long ts = store.set("k", "v", "a", false);
    store.addPersistence("k", "a");
    store.removePersistence("k", "a");
    assertEquals(new Entry("v", ts), store.get("k", "a"));
    assertEquals(1, store.clearCache("a"));
  }

  @Test
  void closedStoreRefusesCallsAndClosesOnce() {
    store.close();
    store.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> store.get("k", "a"));
    assertEquals("data store " + store.dataDir() + " is closed", e.getMessage());
  }

  @Test
  void defaultDataDirFollowsEachPlatformsConvention() {
    assertEquals(Path.of("/x/data", "ipc4j"), FileDataStore.defaultDataDir(
        "Linux", Map.of("XDG_DATA_HOME", "/x/data"), "/home/u"));
    assertEquals(Path.of("/home/u", ".local", "share", "ipc4j"),
        FileDataStore.defaultDataDir("Linux", Map.of(), "/home/u"));
    assertEquals(Path.of("/home/u", ".local", "share", "ipc4j"), FileDataStore.defaultDataDir(
        "Linux", Map.of("XDG_DATA_HOME", "relative"), "/home/u"));
    assertEquals(Path.of("/Users/u", "Library", "Application Support", "ipc4j"),
        FileDataStore.defaultDataDir("Mac OS X", Map.of(), "/Users/u"));
    assertEquals(Path.of("C:\\Users\\u\\AppData\\Roaming", "ipc4j"), FileDataStore.defaultDataDir(
        "Windows 11", Map.of("APPDATA", "C:\\Users\\u\\AppData\\Roaming"), "C:\\Users\\u"));
    assertEquals(Path.of("C:\\Users\\u", "AppData", "Roaming", "ipc4j"),
        FileDataStore.defaultDataDir("Windows 11", Map.of(), "C:\\Users\\u"));
  }
}
