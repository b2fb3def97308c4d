package io.ipc4j.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Persistent entries survive a restart; files stay inside the data directory. */
class PersistenceTest {
  @TempDir Path dir;

  private Path jsonFile() {
    return dir.resolve(FileDataStore.JSON_FILE);
  }

  private List<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void persistentEntriesSurviveARestartOthersDoNot() {
    long ts;
    try (FileDataStore store = new FileDataStore(dir)) {
      ts = store.set("kept", Map.of("n", 1), "a", true);
      store.set("lost", "x", "a", false);
    }
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals(new Entry(Map.of("n", 1L), ts), store.get("kept", "a"));
      assertThrows(NoSuchKeyException.class, () -> store.get("lost", "a"));
      assertTrue(store.set("later", 1, "a", false) > ts, "timestamps keep increasing");
    }
  }

  @Test
  void eachChangeIsOnDiskBeforeTheCallReturns() throws Exception {
    FileDataStore store = new FileDataStore(dir);
    store.set("k", "v1", "a", true);
    assertEquals(Map.of("a/k", "\"v1\""), Rows.of(dir));
    store.removePersistence("k", "a");
    assertEquals(Map.of(), Rows.of(dir));
    store.addPersistence("k", "a");
    assertEquals(Map.of("a/k", "\"v1\""), Rows.of(dir));
    store.delete("k", "a");
    assertEquals(Map.of(), Rows.of(dir));
    // no close(): what a crash leaves
    try (FileDataStore reopened = new FileDataStore(dir)) {
      assertEquals(Map.of(), reopened.getDataList(null));
    }
    store.close();
  }

  @Test
  void theDatabaseHoldsOneRowPerPersistentEntry() throws Exception {
    try (FileDataStore store = new FileDataStore(dir)) {
      store.set("greeting", "hello", "cli", true);
      store.set("config", Map.of("volume", 80), "player", true);
      store.set("cached", 1, "player", false);
      assertEquals(Map.of("cli/greeting", "\"hello\"", "player/config", "{\"volume\":80}"),
          Rows.of(dir));
    }
    assertEquals(List.of(FileDataStore.DB_FILE), fileNames(), "the log is folded in on close");
  }

  @Test
  void saveDataWritesReadableJson() throws IOException {
    long ts;
    try (FileDataStore store = new FileDataStore(dir)) {
      ts = store.set("greeting", "hello", "cli", true);
      store.saveData(null, "all.json");
    }
    assertEquals("{\n"
        + "  \"format\" : \"ipc4j-datastore\",\n"
        + "  \"version\" : 1,\n"
        + "  \"authors\" : {\n"
        + "    \"cli\" : {\n"
        + "      \"greeting\" : {\n"
        + "        \"value\" : \"hello\",\n"
        + "        \"ts\" : " + ts + ",\n"
        + "        \"persist\" : true\n"
        + "      }\n"
        + "    }\n"
        + "  }\n"
        + "}", Files.readString(dir.resolve("all.json")));
  }

  @Test
  void autosaveOffDefersSavingUntilClose() throws Exception {
    FileDataStore store = new FileDataStore(dir);
    store.setAutosave(false);
    store.set("k", "v", "a", true);
    assertFalse(Files.exists(dir.resolve(FileDataStore.DB_FILE)));
    store.close();
    try (FileDataStore reopened = new FileDataStore(dir)) {
      assertEquals("v", reopened.get("k", "a").value());
    }
  }

  @Test
  void autosaveOnAgainOrSaveDataSavesWhatWasDeferred() throws Exception {
    try (FileDataStore store = new FileDataStore(dir)) {
      store.setAutosave(false);
      store.set("k", "v1", "a", true);
      store.setAutosave(true);
      assertEquals(Map.of("a/k", "\"v1\""), Rows.of(dir));
      store.setAutosave(false);
      store.set("k", "v2", "a", true);
      assertEquals(Map.of("a/k", "\"v1\""), Rows.of(dir));
      store.saveData("a", "backup.json");
      assertEquals(Map.of("a/k", "\"v2\""), Rows.of(dir));
    }
  }

  @Test
  void leftoverTemporaryFileIsRemovedAndLastCompleteFileLoaded() throws IOException {
    try (FileDataStore store = new FileDataStore(dir)) {
      store.set("k", "complete", "a", true);
    }
    Path leftover = dir.resolve("backup.json.123" + DataFiles.TEMP_SUFFIX);
    Files.writeString(leftover, "{\"format\":\"ipc4j-datastore\",\"vers");
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals("complete", store.get("k", "a").value());
    }
    assertEquals(List.of(FileDataStore.DB_FILE), fileNames());
  }

  @Test
  void corruptFileIsReportedMovedAsideAndTheStoreStartsEmpty() throws IOException {
    Files.writeString(jsonFile(), "{\"format\":\"ipc4j-datastore\",\"version\":1,\"auth");
    List<LogRecord> records;
    try (StoreLog log = new StoreLog(); FileDataStore store = new FileDataStore(dir)) {
      records = log.records;
      assertEquals(Map.of(), store.getDataList(null));
      store.set("k", "fresh", "a", true);
    }
    List<String> names = fileNames();
    assertEquals(2, names.size(), names.toString());
    String aside = names.get(1);
    assertTrue(aside.startsWith(FileDataStore.JSON_FILE + ".corrupt-"), aside);
    assertEquals("{\"format\":\"ipc4j-datastore\",\"version\":1,\"auth",
        Files.readString(dir.resolve(aside)));
    assertEquals(1, records.size());
    assertEquals(Level.WARNING, records.get(0).getLevel());
    String message = records.get(0).getMessage();
    assertTrue(message.startsWith("data store file " + dir.toRealPath().resolve("datastore.json")
        + " is corrupt (not valid JSON: "), message);
    assertTrue(message.endsWith("); moved it to " + dir.toRealPath().resolve(aside)
        + " and started without its entries"), message);
  }

  @Test
  void wellFormedJsonOfAnotherShapeCountsAsCorrupt() throws IOException {
    Files.writeString(jsonFile(), "[1, 2]");
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals(Map.of(), store.getDataList(null));
    }
    List<String> names = fileNames();
    assertEquals(1, names.size(), names.toString());
    assertTrue(names.get(0).startsWith(FileDataStore.JSON_FILE + ".corrupt-"), names.get(0));
  }

  @Test
  void saveDataAndRestoreDataRoundTripOneAuthor() {
    try (FileDataStore store = new FileDataStore(dir)) {
      store.set("k1", "v1", "a", false);
      store.set("k2", List.of(1, 2), "a", true);
      store.set("k3", "other", "b", false);
      assertEquals(2, store.saveData("a", "backups/a.json"));
      store.clearAll();
      assertEquals(2, store.restoreData("a", "backups/a.json"));
      assertEquals("v1", store.get("k1", "a").value());
      assertEquals(List.of(1L, 2L), store.get("k2", "a").value());
      assertEquals(Map.of("a", List.of("k1", "k2")), store.getDataList(null));
      assertEquals(1, store.clearCache("a"), "k2 is restored as persistent");
    }
  }

  @Test
  void saveDataOfEveryoneAndRestoreOnlyOneAuthor() {
    try (FileDataStore store = new FileDataStore(dir)) {
      store.set("k", 1, "a", false);
      store.set("k", 2, "b", false);
      assertEquals(2, store.saveData(null, "all.json"));
      store.clearAll();
      assertEquals(1, store.restoreData("b", "all.json"));
      assertEquals(Map.of("b", List.of("k")), store.getDataList(null));
    }
  }

  @Test
  void restoredEntriesAreNewerThanEverythingBefore() {
    try (FileDataStore store = new FileDataStore(dir)) {
      store.set("k", "old", "a", false);
      store.saveData("a", "a.json");
      long ts = store.set("k", "new", "a", false);
      store.restoreData("a", "a.json");
      Entry restored = store.get("k", "a");
      assertEquals("old", restored.value());
      assertTrue(restored.ts() > ts);
    }
  }

  @Test
  void fileNamesThatLeaveTheDataDirectoryAreRefused() throws IOException {
    Path outside = Files.createTempFile("ipc4j-outside", ".json");
    try (FileDataStore store = new FileDataStore(dir.resolve("data"))) {
      store.set("k", 1, "a", false);
      assertEquals("file '../x' is outside the data directory", assertThrows(
          IllegalArgumentException.class, () -> store.saveData("a", "../x")).getMessage());
      assertEquals("file 'sub/../../x' is outside the data directory", assertThrows(
          IllegalArgumentException.class, () -> store.saveData("a", "sub/../../x")).getMessage());
      assertEquals("file '" + outside + "' is absolute; give a name relative to the data"
          + " directory", assertThrows(IllegalArgumentException.class,
              () -> store.saveData("a", outside.toString())).getMessage());
      assertEquals("file '" + outside + "' is absolute; give a name relative to the data"
          + " directory", assertThrows(IllegalArgumentException.class,
              () -> store.restoreData("a", outside.toString())).getMessage());
      assertEquals("file '../x' is outside the data directory", assertThrows(
          IllegalArgumentException.class, () -> store.restoreData("a", "../x")).getMessage());
      assertEquals("file name is empty", assertThrows(
          IllegalArgumentException.class, () -> store.saveData("a", " ")).getMessage());
      assertEquals("file '.' is the data directory itself", assertThrows(
          IllegalArgumentException.class, () -> store.saveData("a", ".")).getMessage());
      assertEquals("file 'datastore.json' is the store's own datastore.json; choose another"
          + " name", assertThrows(IllegalArgumentException.class,
              () -> store.saveData("a", "datastore.json")).getMessage());
      assertEquals("file 'datastore.db-wal' belongs to the store's database datastore.db; choose"
          + " another name", assertThrows(IllegalArgumentException.class,
              () -> store.saveData("a", "datastore.db-wal")).getMessage());
      Files.createDirectories(dir.resolve("data").resolve("sub"));
      assertEquals("file 'sub' is a directory", assertThrows(
          IllegalArgumentException.class, () -> store.saveData("a", "sub")).getMessage());
      assertEquals("file 'x.ipc4j-tmp' ends with .ipc4j-tmp, kept for temporary files",
          assertThrows(IllegalArgumentException.class,
              () -> store.saveData("a", "x.ipc4j-tmp")).getMessage());
      assertEquals(0, Files.size(outside));
      assertEquals(List.of("data"), fileNames());
    } finally {
      Files.delete(outside);
    }
  }

  @Test
  void aLinkOutOfTheDataDirectoryIsRefused() throws IOException {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Path data = Files.createDirectories(dir.resolve("data"));
    try {
      Files.createSymbolicLink(data.resolve("link"), elsewhere);
    } catch (UnsupportedOperationException | IOException e) {
      return; // no symbolic links here (Windows without the privilege)
    }
    try (FileDataStore store = new FileDataStore(data)) {
      store.set("k", 1, "a", false);
      assertEquals("file 'link/x.json' is outside the data directory (through a link)",
          assertThrows(IllegalArgumentException.class,
              () -> store.saveData("a", "link/x.json")).getMessage());
    }
    try (Stream<Path> files = Files.list(elsewhere)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void restoringWhatIsNotADataStoreFileNamesTheFile() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "hello", StandardCharsets.UTF_8);
    try (FileDataStore store = new FileDataStore(dir)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> store.restoreData("a", "notes.txt"));
      assertTrue(e.getMessage().startsWith("file 'notes.txt' is not a data store file: "
          + "not valid JSON: "), e.getMessage());
      assertEquals("file 'missing.json' does not exist in the data directory",
          assertThrows(IllegalArgumentException.class,
              () -> store.restoreData("a", "missing.json")).getMessage());
    }
  }
}
