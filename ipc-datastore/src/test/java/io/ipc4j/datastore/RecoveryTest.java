package io.ipc4j.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad entry never costs the others: it is skipped and logged by name at start. The file of
 * an earlier ipc4j is imported once.
 */
class RecoveryTest {
  @TempDir Path dir;
  private StoreLog log;
  private List<LogRecord> records;

  @BeforeEach
  void listen() {
    log = new StoreLog();
    records = log.records;
  }

  @AfterEach
  void stopListening() {
    log.close();
  }

  private List<String> messages(Level level) {
    return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage)
        .toList();
  }

  private List<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String entry(String name, String value, long ts) {
    return "\"" + name + "\": {\"value\": " + value + ", \"ts\": " + ts + ", \"persist\": true}";
  }

  @Test
  void theFileOfAnEarlierVersionIsImportedOnceSkippingWhatCannotBeRead() throws Exception {
    String longName = "n".repeat(60_000);
    // as an earlier ipc4j wrote it, with one entry it could not read back, and one damaged
    Files.writeString(dir.resolve("datastore.json"), "{\"format\": \"ipc4j-datastore\","
        + " \"version\": 1, \"authors\": {"
        + "\"cli\": {" + entry("greeting", "\"hello\"", 1000) + ", "
        + entry(longName, "1", 1001) + ", "
        + "\"damaged\": {\"value\": 1}}, "
        + "\"player\": {" + entry("volume", "{\"level\": 80}", 1002) + "}}}");
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals(new Entry("hello", 1000), store.get("greeting", "cli"));
      assertEquals(new Entry(Map.of("level", 80L), 1002), store.get("volume", "player"));
      assertEquals(Map.of("cli", List.of("greeting"), "player", List.of("volume")),
          store.getDataList(null));
      assertTrue(store.set("later", 1, "cli", false) > 1002, "timestamps go on increasing");
    }
    Path json = dir.toRealPath().resolve("datastore.json");
    assertEquals(List.of(
        "data store file " + json + ": entry 'damaged' of author 'cli' needs \"value\", an"
            + " integer \"ts\" and a boolean \"persist\"; skipped it (it stays in the file) and"
            + " imported the others",
        "data store file " + json + ": entry '" + "n".repeat(100) + "... (60000 characters)' of"
            + " author 'cli' is refused (name is 60000 characters; at most 1024); skipped it (it"
            + " stays in the file) and imported the others"), messages(Level.WARNING));
    assertEquals(List.of("imported 2 entries from " + json + " into "
        + dir.toRealPath().resolve("datastore.db") + "; renamed the file to "
        + dir.toRealPath().resolve("datastore.json.imported")), messages(Level.INFO));
    assertEquals(List.of("datastore.db", "datastore.json.imported"), fileNames());
    assertEquals(Map.of("cli/greeting", "\"hello\"", "player/volume", "{\"level\":80}"),
        Rows.of(dir));

    records.clear();
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals(Map.of("cli", List.of("greeting"), "player", List.of("volume")),
          store.getDataList(null));
    }
    assertEquals(List.of(), records, "imported once");
  }

  @Test
  void anImportNeverReplacesANewerEntry() throws Exception {
    long ts;
    try (FileDataStore store = new FileDataStore(dir)) {
      ts = store.set("k", "newer", "a", true);
    }
    Files.writeString(dir.resolve("datastore.json"), "{\"format\": \"ipc4j-datastore\","
        + " \"version\": 1, \"authors\": {\"a\": {" + entry("k", "\"older\"", ts - 1) + ", "
        + entry("other", "2", ts - 1) + "}}}");
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals(new Entry("newer", ts), store.get("k", "a"));
      assertEquals(new Entry(2L, ts - 1), store.get("other", "a"));
    }
  }

  @Test
  void aRowThatCannotBeReadIsSkippedNamedAndKeptAside() throws Exception {
    try (FileDataStore store = new FileDataStore(dir)) {
      store.set("good", 1, "a", true);
      store.set("also good", 2, "b", true);
    }
    Rows.execute(dir, "INSERT INTO entries VALUES ('a', 'broken', '{\"unclosed', 5)");
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals(Map.of("a", List.of("good"), "b", List.of("also good")),
          store.getDataList(null));
    }
    List<String> warnings = messages(Level.WARNING);
    assertEquals(1, warnings.size(), warnings.toString());
    String prefix = "data store entry 'broken' of author 'a' in "
        + dir.toRealPath().resolve("datastore.db") + " cannot be read (its value is not valid"
        + " JSON: ";
    assertTrue(warnings.get(0).startsWith(prefix), warnings.get(0));
    assertTrue(warnings.get(0).endsWith("); skipped it, kept in the table skipped_entries, and"
        + " loaded the others"), warnings.get(0));
    assertEquals(Map.of("a/broken", "{\"unclosed"), Rows.of(dir, "skipped_entries"));

    records.clear();
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals(2, store.getDataList(null).size());
    }
    assertEquals(List.of(), records, "reported once");
  }

  @Test
  void aDatabaseThatIsNotOneIsMovedAsideAndTheStoreStarts() throws Exception {
    Files.writeString(dir.resolve("datastore.db"), "this is not a database, but a long enough"
        + " text that SQLite reads its header and finds no database in it at all.");
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals(Map.of(), store.getDataList(null));
      store.set("k", "fresh", "a", true);
    }
    List<String> names = fileNames();
    assertEquals(2, names.size(), names.toString());
    assertEquals("datastore.db", names.get(0));
    assertTrue(names.get(1).startsWith("datastore.db.corrupt-"), names.get(1));
    List<String> warnings = messages(Level.WARNING);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("data store database "
        + dir.toRealPath().resolve("datastore.db") + " is corrupt ("), warnings.get(0));
    assertTrue(warnings.get(0).endsWith("); moved it to " + dir.toRealPath().resolve(names.get(1))
        + " and kept the 0 entries read before the damage"), warnings.get(0));
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals("fresh", store.get("k", "a").value());
    }
  }
}
