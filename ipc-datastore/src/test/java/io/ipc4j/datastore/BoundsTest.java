package io.ipc4j.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store accepts only what it can keep and read back, within quotas; errors say why. */
class BoundsTest {
  @TempDir Path dir;

  private static String chars(int n) {
    return "n".repeat(n);
  }

  /** A value nested {@code levels} deep: a list in a list ..., a flat list being 1. */
  private static Object nested(int levels) {
    Object value = "leaf";
    for (int i = 0; i < levels; i++) {
      value = List.of(value);
    }
    return value;
  }

  private static String refused(Class<? extends Exception> type, Runnable call) {
    return assertThrows(type, call::run).getMessage();
  }

  @Test
  void aNameOf60000CharactersIsRefusedAndNothingIsStored() {
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals("name is 60000 characters; at most 1024", refused(
          IllegalArgumentException.class, () -> store.set(chars(60_000), 1, "a", true)));
      assertEquals(Map.of(), store.getDataList(null));
    }
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals(Map.of(), store.getDataList(null));
    }
  }

  @Test
  void eachBoundNamesWhatWasWrong() {
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals("author is 257 characters; at most 256", refused(
          IllegalArgumentException.class, () -> store.set("k", 1, chars(257), false)));
      assertEquals("value of 'k' for author 'a' has a key of 4097 characters; at most 4096",
          refused(IllegalArgumentException.class,
              () -> store.set("k", Map.of("x", Map.of(chars(4097), 1)), "a", false)));
      assertEquals("value of 'k' for author 'a' is nested more than 63 levels deep; at most 63",
          refused(IllegalArgumentException.class, () -> store.set("k", nested(64), "a", false)));
      assertEquals("value of 'k' for author 'a' is 4194305 bytes as JSON; at most 4194304",
          refused(IllegalArgumentException.class,
              () -> store.set("k", "x".repeat(4 * 1024 * 1024 - 1), "a", false)));
      assertEquals("name has an unpaired surrogate at index 1; it cannot be stored as UTF-8",
          refused(IllegalArgumentException.class, () -> store.set("k\uD800", 1, "a", true)));
      assertEquals(Map.of(), store.getDataList(null));
    }
  }

  @Test
  void whatIsAtEachBoundIsAcceptedAndReadBackAfterARestart() {
    String name = chars(1024);
    String author = "a".repeat(256);
    Map<String, Object> keyed = Map.of("k".repeat(4096), 1L);
    String big = "x".repeat(4 * 1024 * 1024 - 2);
    try (FileDataStore store = new FileDataStore(dir)) {
      store.set(name, keyed, author, true);
      store.set("deep", nested(63), author, true);
      store.set("big", big, author, true);
      store.set("emoji \uD83D\uDE00", "\u00e9\uD83D\uDE00", author, true);
    }
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals(keyed, store.get(name, author).value());
      assertEquals(nested(63), store.get("deep", author).value());
      assertEquals(big, store.get("big", author).value());
      assertEquals("\u00e9\uD83D\uDE00", store.get("emoji \uD83D\uDE00", author).value());
    }
  }

  @Test
  void boundsRaisedByTheBuilderHoldAcrossARestart() {
    String name = chars(60_000);
    FileDataStore.Builder wide = FileDataStore.builder().dataDir(dir).maxNameLength(100_000)
        .maxKeyLength(100_000);
    try (FileDataStore store = wide.build()) {
      store.set(name, Map.of(chars(60_000), 1), "a", true);
      store.set("other", 2, "a", true);
    }
    try (FileDataStore store = wide.build()) {
      assertEquals(Map.of(chars(60_000), 1L), store.get(name, "a").value());
      assertEquals(2L, store.get("other", "a").value());
    }
  }

  @Test
  void boundsLoweredByTheBuilderApply() {
    try (FileDataStore store = FileDataStore.builder().dataDir(dir).maxNameLength(3)
        .maxAuthorLength(2).maxKeyLength(1).maxValueBytes(10).maxDepth(1).build()) {
      store.set("abc", List.of(1, 2), "ab", false);
      assertEquals("name is 4 characters; at most 3",
          refused(IllegalArgumentException.class, () -> store.set("abcd", 1, "ab", false)));
      assertEquals("author is 3 characters; at most 2",
          refused(IllegalArgumentException.class, () -> store.set("k", 1, "abc", false)));
      assertEquals("value of 'k' for author 'a' has a key of 2 characters; at most 1",
          refused(IllegalArgumentException.class, () -> store.set("k", Map.of("xy", 1), "a",
              false)));
      assertEquals("value of 'k' for author 'a' is 11 bytes as JSON; at most 10",
          refused(IllegalArgumentException.class, () -> store.set("k", "123456789", "a",
              false)));
      assertEquals("value of 'k' for author 'a' is nested more than 1 levels deep; at most 1",
          refused(IllegalArgumentException.class, () -> store.set("k", nested(2), "a", false)));
    }
  }

  @Test
  void theBuilderRefusesBoundsThatCannotWork() {
    assertEquals("maxNameLength must be positive, was 0", refused(IllegalArgumentException.class,
        () -> FileDataStore.builder().dataDir(dir).maxNameLength(0).build()));
    assertEquals("maxBytes must be positive, was -1", refused(IllegalArgumentException.class,
        () -> FileDataStore.builder().dataDir(dir).maxBytes(-1).build()));
    assertEquals("maxDepth must be at most 1000, was 1001", refused(
        IllegalArgumentException.class,
        () -> FileDataStore.builder().dataDir(dir).maxDepth(1001).build()));
    assertEquals("dataDir == null", assertThrows(NullPointerException.class,
        () -> FileDataStore.builder().dataDir(null)).getMessage());
  }

  @Test
  void entryQuotasPerAuthorAndInTotal() {
    try (FileDataStore store = FileDataStore.builder().dataDir(dir).maxEntriesPerAuthor(2)
        .maxEntries(3).build()) {
      store.set("k1", 1, "a", true);
      store.set("k2", 2, "a", false);
      assertEquals("quota exceeded: author 'a' would have 3 entries; at most 2",
          refused(IllegalStateException.class, () -> store.set("k3", 3, "a", true)));
      store.set("k2", 22, "a", true); // replacing needs no room
      store.set("k1", 1, "b", false);
      assertEquals("quota exceeded: the store would have 4 entries; at most 3",
          refused(IllegalStateException.class, () -> store.set("k2", 2, "b", false)));
      assertEquals(1, store.clearCache("b"));
      store.set("k2", 2, "b", false);
      assertEquals(Map.of("a", List.of("k1", "k2"), "b", List.of("k2")),
          store.getDataList(null));
    }
  }

  @Test
  void byteQuotasCountNameAndValueAsJson() {
    // "k1" + "\"1234\"" = 2 + 6 = 8 bytes
    try (FileDataStore store = FileDataStore.builder().dataDir(dir).maxBytesPerAuthor(16)
        .maxBytes(24).build()) {
      store.set("k1", "1234", "a", true);
      store.set("k2", "1234", "a", true);
      assertEquals("quota exceeded: author 'a' would hold 17 bytes; at most 16",
          refused(IllegalStateException.class, () -> store.set("k2", "12345", "a", true)));
      store.set("k2", "12", "a", true); // smaller: fits
      store.set("k1", "1234", "b", true); // 8 + 6 + 8 = 22
      assertEquals("quota exceeded: the store would hold 26 bytes; at most 24",
          refused(IllegalStateException.class, () -> store.set("k2", "", "b", true)));
      assertEquals("12", store.get("k2", "a").value());
      store.delete("k1", "a");
      store.set("k2", "", "b", true);
    }
  }

  @Test
  void restoreDataOverAQuotaRestoresNothing() {
    try (FileDataStore store = FileDataStore.builder().dataDir(dir).maxEntriesPerAuthor(2)
        .build()) {
      store.set("k1", 1, "a", true);
      store.set("k2", 2, "a", true);
      store.saveData("a", "a.json");
      store.delete("k2", "a");
      store.set("k3", 3, "a", true);
      assertEquals("quota exceeded: author 'a' would have 3 entries; at most 2",
          refused(IllegalStateException.class, () -> store.restoreData("a", "a.json")));
      assertEquals(Map.of("a", List.of("k1", "k3")), store.getDataList("a"));
    }
  }

  @Test
  void restoreDataRefusesAnEntryBeyondTheBoundsNamingTheFile() {
    List<String> names = new ArrayList<>();
    try (FileDataStore wide = FileDataStore.builder().dataDir(dir).maxNameLength(2000).build()) {
      wide.set(chars(2000), 1, "a", true);
      wide.set("ok", 1, "a", true);
      wide.saveData("a", "a.json");
      wide.clearAll();
    }
    try (FileDataStore store = new FileDataStore(dir)) {
      assertEquals("file 'a.json': name is 2000 characters; at most 1024",
          refused(IllegalArgumentException.class, () -> store.restoreData("a", "a.json")));
      names.addAll(store.getDataList("a").get("a"));
    }
    assertEquals(List.of(), names);
  }
}
