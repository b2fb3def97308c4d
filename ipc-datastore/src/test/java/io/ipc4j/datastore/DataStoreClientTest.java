package io.ipc4j.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.RemoteObject;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.server.IpcServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DataStoreClient against a real server: sharing, the cache, retries, typed errors, defaults. */
class DataStoreClientTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final String inProcessName = "datastore-" + UUID.randomUUID();

  /** A value Jackson cannot write. */
  public static final class Broken {
    public String getBoom() {
      throw new IllegalStateException("boom");
    }
  }

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

  private IpcServer startTcp() throws Exception {
    return track(IpcServer.builder().expose(new FileDataStore(dir)).port(0).start());
  }

  private IpcServer startInProcess() throws Exception {
    return track(IpcServer.builder()
        .expose("kodi-IPC", new FileDataStore(dir), DataStore.class)
        .inProcess(inProcessName)
        .start());
  }

  private DataStoreClient client(String transport, IpcServer server) {
    DataStoreClient.Builder b = DataStoreClient.builder();
    return track(transport.equals("tcp") ? b.port(server.port()).build()
        : b.inProcess(inProcessName).build());
  }

  private DataStoreClient inProcessClient(List<Duration> delays, Runnable onSleep, int attempts) {
    return track(DataStoreClient.builder()
        .inProcess(inProcessName)
        .maxAttempts(attempts)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(300))
        .sleeper(delay -> {
          delays.add(delay);
          onSleep.run();
        })
        .build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "in-process"})
  void twoClientsShareValuesThroughOneServer(String transport) throws Exception {
    IpcServer server = transport.equals("tcp") ? startTcp() : startInProcess();
    DataStoreClient a = client(transport, server);
    DataStoreClient b = client(transport, server);

    long ts = a.set("greeting", "hello", "cli", false);
    assertEquals(new Entry("hello", ts), b.get("greeting", "cli"));
    a.set("config", Map.of("size", 3, "tags", List.of("x")), "cli", true);
    assertEquals(Map.of("size", 3L, "tags", List.of("x")), b.get("config", "cli").value());
    assertEquals(Map.of("cli", List.of("config", "greeting")), b.getDataList("cli"));

    assertTrue(b.delete("greeting", "cli"));
    NoSuchKeyException e = assertThrows(NoSuchKeyException.class, () -> a.get("greeting", "cli"));
    assertEquals("no value named 'greeting' for author 'cli'", e.getMessage());
    assertEquals(Optional.empty(), a.cached("greeting", "cli"));
  }

  @Test
  void getReadsAsJsonValueAndTimestampOverTheGrpcurlPath() throws Exception {
    IpcServer server = startTcp();
    long ts = client("tcp", server).set("greeting", "hello", "cli", false);
    ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", server.port())
        .usePlaintext().build();
    try {
      InvokeResponse response = InvokeServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .invoke(InvokeRequest.newBuilder()
              .setObject("kodi-IPC")
              .setMethod("get")
              .setArgs(ListValue.newBuilder()
                  .addValues(Value.newBuilder().setStringValue("greeting"))
                  .addValues(Value.newBuilder().setStringValue("cli")))
              .build());
      Map<String, Value> fields = response.getValue().getStructValue().getFieldsMap();
      assertEquals(List.of("ts", "value"), fields.keySet().stream().sorted().toList());
      assertEquals("hello", fields.get("value").getStringValue());
      assertEquals(ts, (long) fields.get("ts").getNumberValue());
    } finally {
      channel.shutdownNow();
      assertTrue(channel.awaitTermination(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aPlainProxySeesTheStoresExceptionByName() throws Exception {
    IpcServer server = startTcp();
    IpcClient ipc = track(IpcClient.builder().port(server.port()).build());
    RemoteObject store = ipc.getExposedObject();
    IpcRemoteException e = assertThrows(IpcRemoteException.class,
        () -> store.call("get", "missing", "cli"));
    assertEquals(NoSuchKeyException.class.getName(), e.getRemoteClassName());
    assertEquals("no value named 'missing' for author 'cli'", e.getRemoteMessage());
  }

  @Test
  void retriesUntilTheServerStartsLate() {
    List<Duration> delays = new ArrayList<>();
    DataStoreClient client = inProcessClient(delays, () -> {
      if (delays.size() == 1) {
        try {
          startInProcess();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    }, 4);
    long ts = client.set("late", "value", "me", false);
    assertEquals(List.of(Duration.ofMillis(100)), delays);
    assertEquals(new Entry("value", ts), client.get("late", "me"));
  }

  @Test
  void backoffDoublesUpToItsMaximumThenFailsAsUnavailable() {
    List<Duration> delays = new ArrayList<>();
    DataStoreClient client = inProcessClient(delays, () -> { }, 5);
    DataStoreUnavailableException e = assertThrows(DataStoreUnavailableException.class,
        () -> client.get("k", "me"));
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300),
        Duration.ofMillis(300)), delays);
    assertTrue(e.getMessage().startsWith(
        "kodi-IPC at in-process:" + inProcessName + " is unavailable (get, 5 attempts): "),
        e.getMessage());
    assertEquals(Optional.empty(), client.cached("k", "me"));
  }

  @Test
  void anInterruptedRetryStopsAndKeepsTheInterrupt() {
    DataStoreClient client = track(DataStoreClient.builder()
        .inProcess(inProcessName)
        .sleeper(delay -> {
          throw new InterruptedException();
        })
        .build());
    try {
      DataStoreUnavailableException e = assertThrows(DataStoreUnavailableException.class,
          () -> client.get("k", "me"));
      assertEquals("interrupted while waiting to retry get on kodi-IPC at in-process:"
          + inProcessName, e.getMessage());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theCacheAnswersWhileTheServerIsDown() throws Exception {
    IpcServer server = startInProcess();
    List<Duration> delays = new ArrayList<>();
    DataStoreClient client = inProcessClient(delays, () -> { }, 2);
    long ts = client.set("k", "cached", "me", false);
    assertEquals(Optional.of(new Entry("cached", ts)), client.cached("k", "me"));
    server.stop();

    assertEquals(new Entry("cached", ts), client.get("k", "me"));
    assertEquals("cached", client.getOrDefault("k", "me", "default"));
    assertEquals("default", client.getOrDefault("other", "me", "default"));
    assertThrows(DataStoreUnavailableException.class, () -> client.get("other", "me"));
    assertThrows(DataStoreUnavailableException.class, () -> client.set("k", "new", "me", false));
    assertFalse(client.serverAvailable());
    client.clearLocalCache();
    assertThrows(DataStoreUnavailableException.class, () -> client.get("k", "me"));
  }

  @Test
  void getKeepsTheNewerOfServerAndCache() throws Exception {
    IpcServer server = startInProcess();
    DataStoreClient a = inProcessClient(new ArrayList<>(), () -> { }, 1);
    DataStoreClient b = inProcessClient(new ArrayList<>(), () -> { }, 1);
    a.set("k", "first", "me", false);
    long ts = b.set("k", "second", "me", false);
    assertEquals(new Entry("second", ts), a.get("k", "me"), "the server's newer value wins");
    assertEquals(Optional.of(new Entry("second", ts)), a.cached("k", "me"));
    assertTrue(server.isRunning());
  }

  @Test
  void missingValuesBecomeDefaults() throws Exception {
    startInProcess();
    DataStoreClient client = inProcessClient(new ArrayList<>(), () -> { }, 1);
    assertEquals(42, client.getOrDefault("missing", "me", 42));
    NoSuchKeyException e = assertThrows(NoSuchKeyException.class,
        () -> client.addPersistence("missing", "me"));
    assertEquals("missing", e.name());
    assertEquals("me", e.author());
    assertInstanceOf(IpcRemoteException.class, e.getCause());
  }

  @Test
  void unserializableValuesAreRefusedBeforeTheyAreSent() throws Exception {
    startInProcess();
    DataStoreClient client = inProcessClient(new ArrayList<>(), () -> { }, 1);
    ValueNotSerializableException e = assertThrows(ValueNotSerializableException.class,
        () -> client.set("b", new Broken(), "me", false));
    assertTrue(e.getMessage().startsWith("value of 'b' for author 'me' cannot be written as"
        + " JSON: "), e.getMessage());
    assertEquals(Map.of("me", List.of()), client.getDataList("me"));
  }

  @Test
  void whatTheServerRefusesIsARemoteFailureNamingTheCause() throws Exception {
    startInProcess();
    DataStoreClient client = inProcessClient(new ArrayList<>(), () -> { }, 1);
    client.set("k", 1, "me", false);
    DataStoreRemoteException e = assertThrows(DataStoreRemoteException.class,
        () -> client.saveData("me", "../escape.json"));
    assertEquals("java.lang.IllegalArgumentException", e.remoteClassName());
    assertTrue(e.getMessage().startsWith("saveData failed: "), e.getMessage());
    assertTrue(e.getMessage().endsWith(
        "java.lang.IllegalArgumentException: file '../escape.json' is outside the data"
            + " directory"), e.getMessage());
    assertEquals(1, client.saveData("me", "me.json"));
  }

  @Test
  void aServerWithoutTheStoreIsARemoteFailureNotARetry() throws Exception {
    startInProcess();
    List<Duration> delays = new ArrayList<>();
    DataStoreClient client = track(DataStoreClient.builder()
        .inProcess(inProcessName)
        .name("no-such-object")
        .sleeper(delays::add)
        .build());
    DataStoreRemoteException e = assertThrows(DataStoreRemoteException.class,
        () -> client.get("k", "me"));
    assertEquals("", e.remoteClassName());
    assertEquals(List.of(), delays);
  }

  @Test
  void restoreAndClearDropTheAffectedCachedValues() throws Exception {
    startInProcess();
    DataStoreClient client = inProcessClient(new ArrayList<>(), () -> { }, 1);
    client.set("k", 1, "me", true);
    client.set("k", 2, "you", false);
    client.saveData("me", "me.json");
    assertEquals(1, client.restoreData("me", "me.json"));
    assertEquals(Optional.empty(), client.cached("k", "me"));
    assertTrue(client.cached("k", "you").isPresent());
    assertEquals(1, client.clearCache("you"));
    assertEquals(Optional.empty(), client.cached("k", "you"));
    client.get("k", "me");
    client.clearAll();
    assertEquals(Optional.empty(), client.cached("k", "me"));
    assertEquals(Map.of(), client.getDataList(null));
  }

  @Test
  void autosaveAndPersistenceFlagsReachTheServer() throws Exception {
    startInProcess();
    DataStoreClient client = inProcessClient(new ArrayList<>(), () -> { }, 1);
    client.setAutosave(false);
    client.set("k", "v", "me", false);
    client.addPersistence("k", "me");
    client.removePersistence("k", "me");
    client.addPersistence("k", "me");
    client.setAutosave(true);
    try (FileDataStore second = new FileDataStore(dir)) {
      assertEquals("v", second.get("k", "me").value());
    }
  }

  @Test
  void aGivenIpcClientIsUsedAndLeftOpen() throws Exception {
    IpcServer server = startTcp();
    IpcClient ipc = track(IpcClient.builder().port(server.port()).build());
    try (DataStoreClient client = DataStoreClient.builder().client(ipc).build()) {
      client.set("k", "v", "me", false);
    }
    assertEquals("v", ((Map<?, ?>) ipc.getExposedObject().call("get", "k", "me")).get("value"));
  }

  @Test
  void theSampleOfDocsDatastoreMdRuns() throws Exception {
    startInProcess();
    long volume;
    Object theme;
    NoSuchKeyException missing = null;
    // as in docs/datastore.md, with inProcess(...) for port(9099)
    try (DataStoreClient store = DataStoreClient.builder()
        .inProcess(inProcessName)
        .maxAttempts(5)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
        .build()) {
      store.set("volume", 80, "player", true);
      volume = (Long) store.getOrDefault("volume", "player", 50L);
      theme = store.getOrDefault("theme", "player", "dark");
      try {
        store.get("theme", "player");
      } catch (NoSuchKeyException e) {
        missing = e;
      }
    }
    assertEquals(80L, volume);
    assertEquals("dark", theme);
    assertEquals("theme", missing.name());
    assertEquals("player", missing.author());
  }

  @Test
  void builderRejectsBadSettingsAtOnce() {
    assertEquals("maxAttempts must be at least 1, was 0", assertThrows(
        IllegalArgumentException.class, () -> DataStoreClient.builder().maxAttempts(0))
        .getMessage());
    assertEquals("max backoff PT0.05S is shorter than initial backoff PT0.1S", assertThrows(
        IllegalArgumentException.class, () -> DataStoreClient.builder()
            .backoff(Duration.ofMillis(100), Duration.ofMillis(50))).getMessage());
    assertEquals("initial backoff must be positive, was PT0S", assertThrows(
        IllegalArgumentException.class, () -> DataStoreClient.builder()
            .backoff(Duration.ZERO, Duration.ofMillis(50))).getMessage());
    IpcClient ipc = track(IpcClient.builder().inProcess(inProcessName).build());
    assertEquals("client(...) and connection settings exclude each other; configure the"
        + " IpcClient", assertThrows(IllegalStateException.class,
            () -> DataStoreClient.builder().client(ipc).port(1234).build()).getMessage());
  }
}
