package io.ipc4j.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.core.RemoteReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FileDataStore's watches with local listeners: what each watch hears, in which order, and what
 * becomes of listeners that throw or end. A listener is called on the writer's thread before its
 * call returns when no other thread writes, so most tests read what was heard right after.
 */
class WatchTest {
  @TempDir Path dir;
  private FileDataStore store;

  /** Remembers what it heard. */
  static final class Heard implements ChangeListener {
    final List<Change> changes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void changed(Change change) {
      changes.add(change);
    }

    List<Change> list() {
      return List.copyOf(changes);
    }
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private FileDataStore open() {
    store = new FileDataStore(dir);
    return store;
  }

  @Test
  void aWatchOfANameHearsItsValueSetAndDeleted() {
    open();
    Heard heard = new Heard();
    store.watch("greeting", "cli", heard);
    long ts = store.set("greeting", "hello", "cli", false);
    store.set("other", "x", "cli", false);
    store.set("greeting", "x", "someone", false);
    assertEquals(List.of(new Change("greeting", "cli", "hello", ts, false)), heard.list());

    assertTrue(store.delete("greeting", "cli"));
    store.delete("greeting", "cli"); // nothing there: no change
    assertEquals(2, heard.list().size(), heard.list()::toString);
    Change deleted = heard.list().get(1);
    assertEquals(new Change("greeting", "cli", null, deleted.ts(), true), deleted);
    assertTrue(deleted.ts() > ts, "a removal is later than the set: " + heard.list());
  }

  @Test
  void valuesArriveInTheirJsonShapeAsGetReturnsThem() {
    open();
    Heard heard = new Heard();
    store.watch("point", "cli", heard);
    long ts = store.set("point", new FileDataStoreTest.Point(1, 2), "cli", true);
    assertEquals(List.of(new Change("point", "cli", Map.of("x", 1L, "y", 2L), ts, false)),
        heard.list());
    assertEquals(store.get("point", "cli").value(), heard.list().get(0).value());
  }

  @Test
  void aNullNameWatchesEveryNameOfTheAuthor() {
    open();
    Heard heard = new Heard();
    store.watch(null, "cli", heard);
    long a = store.set("a", 1, "cli", false);
    store.set("a", 1, "someone", false);
    long b = store.set("b", 2, "cli", true);
    assertEquals(List.of(new Change("a", "cli", 1L, a, false),
        new Change("b", "cli", 2L, b, false)), heard.list());
  }

  @Test
  void aNullAuthorWatchesTheNameOfEveryAuthor() {
    open();
    Heard name = new Heard();
    Heard everything = new Heard();
    store.watch("greeting", null, name);
    store.watch(null, null, everything);
    long a = store.set("greeting", "hi", "a", false);
    long other = store.set("other", "x", "a", false);
    long b = store.set("greeting", "hello", "b", false);
    assertEquals(List.of(new Change("greeting", "a", "hi", a, false),
        new Change("greeting", "b", "hello", b, false)), name.list());
    assertEquals(List.of(new Change("greeting", "a", "hi", a, false),
        new Change("other", "a", "x", other, false),
        new Change("greeting", "b", "hello", b, false)), everything.list());
  }

  @Test
  void clearAllTellsEveryEntryRemovedWithOneTimestamp() {
    open();
    long before = store.set("a", 1, "cli", true);
    store.set("b", 2, "someone", false);
    Heard heard = new Heard();
    store.watch(null, null, heard);
    store.clearAll();
    List<Change> changes = heard.list();
    assertEquals(2, changes.size(), changes::toString);
    long ts = changes.get(0).ts();
    assertTrue(ts > before, changes::toString);
    assertEquals(Set.of(new Change("a", "cli", null, ts, true),
        new Change("b", "someone", null, ts, true)), Set.copyOf(changes));
    store.clearAll(); // nothing left: no change
    assertEquals(2, heard.list().size());
  }

  @Test
  void clearCacheTellsTheNonPersistentEntriesItRemoves() {
    open();
    store.set("kept", 1, "cli", true);
    store.set("dropped", 2, "cli", false);
    store.set("other", 3, "someone", false);
    Heard heard = new Heard();
    store.watch(null, null, heard);
    assertEquals(1, store.clearCache("cli"));
    assertEquals(List.of(new Change("dropped", "cli", null, heard.list().get(0).ts(), true)),
        heard.list());
  }

  @Test
  void restoreDataTellsEachEntryItRestores() {
    open();
    store.set("a", "saved", "cli", true);
    store.set("b", List.of(1), "cli", false);
    store.saveData("cli", "backup.json");
    store.set("a", "changed", "cli", true);
    Heard heard = new Heard();
    store.watch(null, "cli", heard);
    assertEquals(2, store.restoreData("cli", "backup.json"));
    Map<String, Object> heardValues = new java.util.TreeMap<>();
    for (Change c : heard.list()) {
      assertEquals(store.get(c.name(), "cli"), new Entry(c.value(), c.ts()), c::toString);
      heardValues.put(c.name(), c.value());
    }
    assertEquals(Map.of("a", "saved", "b", List.of(1L)), heardValues);
  }

  @Test
  void persistenceChangesAreNotValueChanges() {
    open();
    store.set("a", 1, "cli", false);
    Heard heard = new Heard();
    store.watch("a", "cli", heard);
    store.addPersistence("a", "cli");
    store.removePersistence("a", "cli");
    assertEquals(List.of(), heard.list());
  }

  @Test
  void closingAWatchStopsItsNotificationsAndNoOther() {
    open();
    Heard closed = new Heard();
    Heard open = new Heard();
    Watch watch = store.watch("greeting", "cli", closed);
    store.watch("greeting", "cli", open);
    store.set("greeting", "one", "cli", false);
    watch.close();
    watch.close(); // idempotent
    store.set("greeting", "two", "cli", false);
    assertEquals(List.of("one"), closed.list().stream().map(Change::value).toList());
    assertEquals(List.of("one", "two"), open.list().stream().map(Change::value).toList());
  }

  @Test
  void aListenerThatThrowsIsDroppedAndLoggedOnceWithoutBreakingTheWriter() {
    open();
    try (StoreLog log = new StoreLog()) {
      List<LogRecord> records = log.records;
      List<Object> calls = new ArrayList<>();
      store.watch("greeting", "cli", change -> {
        calls.add(change.value());
        throw new IllegalStateException("boom");
      });
      Heard after = new Heard();
      store.watch("greeting", "cli", after);
      store.set("greeting", "one", "cli", false);
      long ts = store.set("greeting", "two", "cli", false);
      assertEquals(new Entry("two", ts), store.get("greeting", "cli"));
      assertEquals(List.of("one"), calls);
      assertEquals(List.of("one", "two"), after.list().stream().map(Change::value).toList());
      assertEquals(1, records.size(), records::toString);
      assertEquals(Level.WARNING, records.get(0).getLevel());
      assertEquals("watch of 'greeting' of author 'cli' dropped: its listener threw"
          + " java.lang.IllegalStateException: boom", records.get(0).getMessage());
    }
  }

  /** A listener as the server sees a client's: a reference that ends when the client goes. */
  static final class Reference extends CompletableFuture<String>
      implements ChangeListener, RemoteReference {
    final Heard heard = new Heard();

    @Override
    public void changed(Change change) {
      heard.changed(change);
    }

    @Override
    public void release() {
      complete("released");
    }

    @Override
    public CompletionStage<String> ended() {
      return this;
    }
  }

  @Test
  void aListenerWhoseReferenceEndsIsDroppedAndFreesItsPlace() {
    store = FileDataStore.builder().dataDir(dir).maxWatches(1).build();
    Reference listener = new Reference();
    store.watch("greeting", "cli", listener);
    store.set("greeting", "one", "cli", false);
    listener.complete("the client went away");
    store.set("greeting", "two", "cli", false);
    assertEquals(List.of("one"), listener.heard.list().stream().map(Change::value).toList());
    store.watch("greeting", "cli", new Heard()); // the ended watch left room for this one
  }

  @Test
  void theNumberOfWatchesIsBounded() {
    store = FileDataStore.builder().dataDir(dir).maxWatches(2).build();
    Watch first = store.watch("a", "cli", new Heard());
    store.watch(null, null, new Heard());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> store.watch("b", "cli", new Heard()));
    assertEquals("quota exceeded: the store would have 3 watches; at most 2", e.getMessage());
    first.close();
    first.close(); // closing twice frees one place only
    store.watch("b", "cli", new Heard());
    e = assertThrows(IllegalStateException.class, () -> store.watch("c", "cli", new Heard()));
    assertEquals("quota exceeded: the store would have 3 watches; at most 2", e.getMessage());
  }

  @Test
  void badWatchesAreRefusedNamingWhatWasWrong() {
    open();
    assertEquals("listener is null", assertThrows(IllegalArgumentException.class,
        () -> store.watch("a", "cli", null)).getMessage());
    assertEquals("name is 1025 characters; at most 1024", assertThrows(
        IllegalArgumentException.class,
        () -> store.watch("n".repeat(1025), "cli", new Heard())).getMessage());
    assertEquals("author is 257 characters; at most 256", assertThrows(
        IllegalArgumentException.class,
        () -> store.watch("a", "x".repeat(257), new Heard())).getMessage());
    assertEquals("maxWatches must be positive, was 0", assertThrows(
        IllegalArgumentException.class,
        () -> FileDataStore.builder().dataDir(dir).maxWatches(0).build()).getMessage());
    store.close();
    assertEquals("data store " + store.dataDir() + " is closed", assertThrows(
        IllegalStateException.class, () -> store.watch("a", "cli", new Heard())).getMessage());
  }

  @Test
  void listenersAreCalledOutsideTheStoresLock() throws Exception {
    open();
    store.set("other", "x", "cli", false);
    ExecutorService elsewhere = Executors.newSingleThreadExecutor();
    try {
      List<Entry> seen = new ArrayList<>();
      store.watch("greeting", "cli", change -> {
        // another thread reads the store while the listener runs: it would wait forever for
        // a lock held around this call
        try {
          seen.add(elsewhere.submit(() -> store.get("other", "cli")).get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
          throw new AssertionError("the store's lock is held around the listener", e);
        }
      });
      store.set("greeting", "hello", "cli", false);
      assertEquals(List.of(store.get("other", "cli")), seen);
    } finally {
      elsewhere.shutdownNow();
    }
  }

  @Test
  void aChangeMadeByAListenerIsToldAfterTheOneItHears() {
    open();
    Heard all = new Heard();
    store.watch("first", "cli", change -> store.set("second", "from listener", "cli", false));
    store.watch(null, "cli", all);
    store.set("first", "x", "cli", false);
    assertEquals(List.of("first", "second"), all.list().stream().map(Change::name).toList());
  }

  @Test
  void concurrentWritersChangesAreToldInTheOrderTheStoreAppliedThem() throws Exception {
    open();
    Heard heard = new Heard();
    store.watch("n", null, heard);
    int threads = 4;
    int each = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String author = "w" + t;
        writers.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < each; i++) {
            store.set("n", i, author, false);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> w : writers) {
        w.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // every writer has returned, and each delivers before it returns or leaves its changes to
    // the thread delivering then, which delivers them before that returns
    List<Change> changes = heard.list();
    assertEquals(threads * each, changes.size());
    for (int i = 1; i < changes.size(); i++) {
      assertTrue(changes.get(i).ts() > changes.get(i - 1).ts(),
          "change " + i + " after " + (i - 1) + ": " + changes.get(i) + ", " + changes.get(i - 1));
    }
  }
}
