package io.ipc4j.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.core.RemoteReference;
import io.ipc4j.server.IpcServer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Watches through a real server: one client watches, another changes, over TCP and in-process.
 * The listener stays in the watching client; the server calls it back over that client's
 * connection.
 */
class DataStoreWatchTest {
  private static final long TIMEOUT_SECONDS = 10;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final String inProcessName = "datastore-watch-" + UUID.randomUUID();
  private IpcServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private void start(String transport, FileDataStore store) throws Exception {
    IpcServer.Builder b = IpcServer.builder().expose("kodi-IPC", track(store), DataStore.class);
    server = track(transport.equals("tcp") ? b.port(0).start()
        : b.inProcess(inProcessName).start());
  }

  private DataStoreClient client(String transport) {
    DataStoreClient.Builder b = DataStoreClient.builder().maxAttempts(1);
    return track(transport.equals("tcp") ? b.port(server.port()).build()
        : b.inProcess(inProcessName).build());
  }

  /** A listener that queues what it hears. */
  static final class Changes implements ChangeListener {
    final BlockingQueue<Change> queue = new LinkedBlockingQueue<>();

    @Override
    public void changed(Change change) {
      queue.add(change);
    }

    Change next() throws InterruptedException {
      Change c = queue.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(c, "no change heard within " + TIMEOUT_SECONDS + " s");
      return c;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "in-process"})
  void aWatcherHearsAnotherClientsChangesAndItsCacheFollows(String transport) throws Exception {
    start(transport, new FileDataStore(dir));
    DataStoreClient watcher = client(transport);
    DataStoreClient writer = client(transport);
    Changes greeting = new Changes();
    Changes everyName = new Changes();
    watcher.watch("greeting", "cli", greeting);
    watcher.watch(null, "cli", everyName);

    long ts = writer.set("greeting", "hello", "cli", false);
    assertEquals(new Change("greeting", "cli", "hello", ts, false), greeting.next());
    assertEquals(new Change("greeting", "cli", "hello", ts, false), everyName.next());
    assertEquals(Optional.of(new Entry("hello", ts)), watcher.cached("greeting", "cli"));

    writer.set("greeting", "not mine", "someone", false);
    long other = writer.set("other", List.of(1, "two"), "cli", true);
    assertEquals(new Change("other", "cli", List.of(1L, "two"), other, false), everyName.next());
    assertEquals(Optional.of(new Entry(List.of(1L, "two"), other)),
        watcher.cached("other", "cli"));

    assertTrue(writer.delete("greeting", "cli"));
    Change deleted = greeting.next();
    assertEquals(new Change("greeting", "cli", null, deleted.ts(), true), deleted);
    assertTrue(deleted.ts() > ts, deleted::toString);
    assertEquals(deleted, everyName.next());
    assertEquals(Optional.empty(), watcher.cached("greeting", "cli"));
    assertTrue(greeting.queue.isEmpty(), greeting.queue::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "in-process"})
  void closingAWatchStopsItsChanges(String transport) throws Exception {
    start(transport, new FileDataStore(dir));
    DataStoreClient watcher = client(transport);
    DataStoreClient writer = client(transport);
    Changes closed = new Changes();
    Changes marker = new Changes();
    Watch watch = watcher.watch("greeting", "cli", closed);
    watcher.watch("greeting", "cli", marker);
    writer.set("greeting", "one", "cli", false);
    assertEquals("one", closed.next().value());
    assertEquals("one", marker.next().value());

    watch.close();
    watch.close(); // idempotent
    writer.set("greeting", "two", "cli", false);
    // both watches hear a change over the same connection, in order, the closed one first:
    // once the marker heard "two", the closed watch would have heard it already
    assertEquals("two", marker.next().value());
    assertNull(closed.queue.poll(), "a closed watch heard a change");
    ((RemoteReference) watch).ended().toCompletableFuture()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aListenerThatThrowsIsDroppedAndTheWriterNeverNotices() throws Exception {
    start("in-process", new FileDataStore(dir));
    DataStoreClient watcher = client("in-process");
    DataStoreClient writer = client("in-process");
    Changes thrower = new Changes();
    Changes marker = new Changes();
    Watch watch = watcher.watch("greeting", "cli", change -> {
      thrower.changed(change);
      throw new IllegalStateException("boom");
    });
    watcher.watch("greeting", "cli", marker);
    writer.set("greeting", "one", "cli", false);
    assertEquals("one", marker.next().value());
    assertEquals("one", thrower.next().value());
    long ts = writer.set("greeting", "two", "cli", false);
    assertEquals("two", marker.next().value());
    assertNull(thrower.queue.poll(), "a dropped listener heard a change");
    assertEquals(new Entry("two", ts), writer.get("greeting", "cli"));
    ((RemoteReference) watch).ended().toCompletableFuture()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "in-process"})
  void aWatchEndsWhenTheServerStops(String transport) throws Exception {
    start(transport, new FileDataStore(dir));
    DataStoreClient watcher = client(transport);
    Watch watch = watcher.watch("greeting", "cli", new Changes());
    RemoteReference reference = assertInstanceOf(RemoteReference.class, watch);
    server.stop();
    String why = reference.ended().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertFalse(why == null || why.isBlank(), "ended without saying why");
  }

  /**
   * The store as the server exposes it, but telling {@code closed} when the server closes a watch
   * it returned: what the server does when the client closes the watch or goes away.
   */
  private static DataStore telling(FileDataStore store, BlockingQueue<String> closed) {
    InvocationHandler handler = (proxy, method, args) -> {
      try {
        Object result = method.invoke(store, args);
        if (!method.getName().equals("watch")) {
          return result;
        }
        Watch watch = (Watch) result;
        String what = args[0] + " of " + args[1];
        return (Watch) () -> {
          watch.close();
          closed.add(what);
        };
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (DataStore) Proxy.newProxyInstance(DataStore.class.getClassLoader(),
        new Class<?>[] {DataStore.class}, handler);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "in-process"})
  void closingAWatchOrItsClientClosesItOnTheServer(String transport) throws Exception {
    FileDataStore store = track(FileDataStore.builder().dataDir(dir).maxWatches(1).build());
    BlockingQueue<String> closed = new LinkedBlockingQueue<>();
    IpcServer.Builder b = IpcServer.builder()
        .expose("kodi-IPC", telling(store, closed), DataStore.class);
    server = track(transport.equals("tcp") ? b.port(0).start()
        : b.inProcess(inProcessName).start());
    DataStoreClient watcher = client(transport);
    DataStoreClient writer = client(transport);

    Watch first = watcher.watch("first", "cli", new Changes());
    first.close();
    assertEquals("first of cli", closed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    Changes changes = new Changes();
    Watch second = watcher.watch("second", "cli", changes); // the first one's place is free
    watcher.close();
    assertEquals("second of cli", closed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    ((RemoteReference) second).ended().toCompletableFuture()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    long ts = writer.set("second", "after", "cli", false);
    assertEquals(new Entry("after", ts), writer.get("second", "cli"));
    assertNull(changes.queue.poll(), "a closed client heard a change");
    writer.watch("third", "cli", new Changes()).close(); // the second one's place is free
  }

  @Test
  void aWatchBeyondTheServersBoundIsRefusedNamingIt() throws Exception {
    start("in-process", FileDataStore.builder().dataDir(dir).maxWatches(1).build());
    DataStoreClient watcher = client("in-process");
    watcher.watch("a", "cli", new Changes());
    DataStoreRemoteException e = assertThrows(DataStoreRemoteException.class,
        () -> watcher.watch("b", "cli", new Changes()));
    assertEquals("java.lang.IllegalStateException", e.remoteClassName());
    assertTrue(e.getMessage().startsWith("watch failed: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("java.lang.IllegalStateException: quota exceeded: the"
        + " store would have 2 watches; at most 1"), e.getMessage());
  }

  @Test
  void theWatchSampleOfDocsDatastoreMdRuns() throws Exception {
    start("in-process", new FileDataStore(dir));
    DataStoreClient writer = client("in-process");
    BlockingQueue<String> printed = new LinkedBlockingQueue<>();
    Watch closedWatch;
    // as in docs/datastore.md, with inProcess(...) for port(9099) and a queue for System.out
    try (DataStoreClient store = DataStoreClient.builder().inProcess(inProcessName).build()) {
      Watch watch = store.watch("volume", "player", change -> {
        if (change.deleted()) {
          printed.add("volume removed");
        } else {
          printed.add("volume is now " + change.value() + " (set at " + change.ts() + ")");
        }
      });
      long ts = writer.set("volume", 80, "player", true);
      assertEquals("volume is now 80 (set at " + ts + ")",
          printed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      writer.delete("volume", "player");
      assertEquals("volume removed", printed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      watch.close();
      closedWatch = watch;
    }
    ((RemoteReference) closedWatch).ended().toCompletableFuture()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aNullListenerIsRefusedBeforeAnyCall() throws Exception {
    start("in-process", new FileDataStore(dir));
    assertEquals("listener is null", assertThrows(IllegalArgumentException.class,
        () -> client("in-process").watch("a", "cli", null)).getMessage());
  }
}
