package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnavailableException;
import io.ipc4j.core.Oneway;
import io.ipc4j.core.Remote;
import io.ipc4j.core.RemoteReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * References over sessions, on TCP, a Unix socket and in-process: a client's object passed to a
 * {@code @Remote} parameter is called back over the client's own session; a {@code @Remote}
 * result is a proxy of an object that stays on the server; both end with the session or when
 * released.
 */
class RemoteReferenceTest {

  /** A callback that answers. */
  @Remote
  public interface Listener {
    String heard(String what);
  }

  /** A callback that does not wait. */
  @Remote
  public interface Ticker {
    @Oneway
    void tick(int n);
  }

  /** An object that stays on the server; closed when released. */
  @Remote
  public interface Counter extends AutoCloseable {
    int increment();

    @Override
    void close();
  }

  /** What the client calls. */
  public interface Hub {
    String tell(Listener listener, String what);

    Counter counter();

    boolean subscribe(Listener listener);

    boolean unsubscribe(Listener listener);

    void tickAll(Ticker ticker, int count);

    int add(int a, int b);

    String keep(Listener listener);

    CompletableFuture<String> tellLater(Listener listener, String what);

    /** Whether {@code counter} is one this hub made (not a proxy of one). */
    boolean ownCounter(Counter counter);

    /** Hands the client's own listener back. */
    Listener echo(Listener listener);
  }

  /** The server's side. */
  public static final class HubImpl implements Hub {
    final List<Listener> subscribers = new CopyOnWriteArrayList<>();
    final BlockingQueue<Listener> kept = new LinkedBlockingQueue<>();
    final AtomicInteger closed = new AtomicInteger();
    final BlockingQueue<String> failures = new LinkedBlockingQueue<>();

    @Override
    public String tell(Listener listener, String what) {
      try {
        return listener.heard(what);
      } catch (IpcException e) {
        failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        if (e instanceof IpcRemoteException remote) {
          failures.add(remote.getRemoteTraceback());
        }
        throw e;
      }
    }

    @Override
    public Counter counter() {
      AtomicInteger count = new AtomicInteger();
      return new Counter() {
        @Override
        public int increment() {
          return count.incrementAndGet();
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    }

    @Override
    public boolean subscribe(Listener listener) {
      return !subscribers.contains(listener) && subscribers.add(listener);
    }

    @Override
    public boolean unsubscribe(Listener listener) {
      return subscribers.remove(listener);
    }

    @Override
    public void tickAll(Ticker ticker, int count) {
      for (int i = 0; i < count; i++) {
        ticker.tick(i);
      }
    }

    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public String keep(Listener listener) {
      kept.add(listener);
      return "kept";
    }

    @Override
    public boolean ownCounter(Counter counter) {
      return !java.lang.reflect.Proxy.isProxyClass(counter.getClass()) && counter.increment() > 0;
    }

    @Override
    public Listener echo(Listener listener) {
      return listener;
    }

    @Override
    public CompletableFuture<String> tellLater(Listener listener, String what) {
      return CompletableFuture.supplyAsync(() -> listener.heard(what));
    }
  }

  /** The transports references are tried on. */
  enum Way {
    TCP, UNIX, IN_PROCESS
  }

  @TempDir Path dir;
  private final HubImpl hub = new HubImpl();
  private IpcServer server;
  private IpcClient client;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  private Hub connect(Way way) throws Exception {
    return connect(way, IpcServer.builder(), IpcClient.builder());
  }

  private Hub connect(Way way, IpcServer.Builder serverBuilder, IpcClient.Builder clientBuilder)
      throws Exception {
    serverBuilder.expose("hub", hub, Hub.class);
    switch (way) {
      case TCP -> {
        server = serverBuilder.host("127.0.0.1").port(0).start();
        clientBuilder.host("127.0.0.1").port(server.port());
      }
      case UNIX -> {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        Path socket = dir.resolve("hub.sock");
        server = serverBuilder.unixSocket(socket).start();
        clientBuilder.target("unix://" + socket);
      }
      default -> {
        String name = "refs-" + System.nanoTime();
        server = serverBuilder.inProcess(name).start();
        clientBuilder.inProcess(name);
      }
    }
    client = clientBuilder.build();
    return client.getExposedObject("hub", Hub.class);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void theServerCallsTheClientsObjectBackOverItsSession(Way way) throws Exception {
    Hub proxy = connect(way);
    AtomicReference<String> thread = new AtomicReference<>();
    Listener listener = what -> {
      thread.set(Thread.currentThread().getName());
      return "heard " + what;
    };
    assertEquals("heard hello", proxy.tell(listener, "hello"));
    assertTrue(thread.get().startsWith("ipc4j-callback-"), thread.get());
    assertEquals("heard later", proxy.tellLater(listener, "later").get(10, TimeUnit.SECONDS));
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void theSameObjectArrivesAsTheSameProxySoListenersCanBeRemoved(Way way) throws Exception {
    Hub proxy = connect(way);
    Listener one = what -> "one";
    Listener two = what -> "two";
    assertTrue(proxy.subscribe(one));
    assertFalse(proxy.subscribe(one));
    assertTrue(proxy.subscribe(two));
    assertEquals(2, hub.subscribers.size());
    assertNotEquals(hub.subscribers.get(0), hub.subscribers.get(1));
    assertTrue(proxy.unsubscribe(one));
    assertEquals("two", hub.subscribers.get(0).heard("x"));
    assertEquals(1, hub.subscribers.size());
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aReturnedReferenceStaysOnTheServerUntilReleasedThenItIsClosed(Way way) throws Exception {
    Hub proxy = connect(way);
    Counter counter = proxy.counter();
    assertEquals(1, counter.increment());
    assertEquals(2, counter.increment());
    Counter other = proxy.counter();
    assertEquals(1, other.increment());
    assertInstanceOf(RemoteReference.class, counter);

    counter.close(); // an AutoCloseable @Remote interface: close() releases it
    assertEquals("it was released",
        ((RemoteReference) counter).ended().toCompletableFuture().get(10, TimeUnit.SECONDS));
    IpcException e = assertThrows(IpcException.class, counter::increment);
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatusCode());
    assertTrue(e.getMessage().startsWith("the reference to " + Counter.class.getName()
        + " ended: it was released (Counter.increment via a reference at "), e.getMessage());
    awaitClosed(1);
    assertEquals(2, other.increment());
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aReferencePassedBackArrivesAsTheObjectItself(Way way) throws Exception {
    Hub proxy = connect(way);
    Counter counter = proxy.counter();
    assertTrue(proxy.ownCounter(counter));
    assertEquals(2, counter.increment());
    Listener listener = what -> "mine";
    assertSame(listener, proxy.echo(listener));
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void onewayCallbacksDoNotWaitAndRunInOrder(Way way) throws Exception {
    Hub proxy = connect(way);
    BlockingQueue<Integer> ticks = new LinkedBlockingQueue<>();
    proxy.tickAll(ticks::add, 200);
    for (int i = 0; i < 200; i++) {
      assertEquals(i, ticks.poll(10, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aCallbackMayCallTheServerAgainWithoutDeadlock(Way way) throws Exception {
    Hub proxy = connect(way);
    // client -> server (tell) -> client (heard) -> server (add) -> client -> server ...
    Listener nested = new Listener() {
      @Override
      public String heard(String what) {
        int depth = Integer.parseInt(what);
        return depth == 0 ? "sum " + proxy.add(20, 22)
            : proxy.tell(this, Integer.toString(depth - 1));
      }
    };
    assertEquals("sum 42", proxy.tell(nested, "3"));
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aCallbacksExceptionReachesTheServerWithTheClientsTraceback(Way way) throws Exception {
    Hub proxy = connect(way);
    Listener failing = what -> {
      throw new IllegalStateException("no ears for " + what);
    };
    IpcRemoteException e = assertThrows(IpcRemoteException.class,
        () -> proxy.tell(failing, "music"));
    // The server's method saw the client's exception, and rethrew it to the client.
    String seen = hub.failures.poll(10, TimeUnit.SECONDS);
    assertTrue(seen.startsWith("IpcRemoteException: Listener.heard via a reference at "), seen);
    assertTrue(seen.endsWith(" threw: java.lang.IllegalStateException: no ears for music"), seen);
    // The client's traceback, as the server saw it: the lambda that threw.
    String clientTraceback = hub.failures.poll(10, TimeUnit.SECONDS);
    assertTrue(clientTraceback.startsWith(
        "java.lang.IllegalStateException: no ears for music\n\tat io.ipc4j.server"
            + ".RemoteReferenceTest.lambda$"), clientTraceback);
    // The server's traceback, as the client sees it: the method that rethrew.
    assertEquals(IpcRemoteException.class.getName(), e.getRemoteClassName());
    assertTrue(e.getRemoteTraceback().contains("no ears for music"), e.getRemoteTraceback());
    assertTrue(e.getRemoteTraceback().contains("RemoteReferenceTest$HubImpl.tell"),
        e.getRemoteTraceback());
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aCallbackTakesNoLongerThanTheCallThatMadeIt(Way way) throws Exception {
    Hub proxy = connect(way, IpcServer.builder(),
        IpcClient.builder().deadline(Duration.ofMillis(500)));
    CountDownLatch interrupted = new CountDownLatch(1);
    Listener slow = what -> {
      try {
        Thread.sleep(20_000); // ended by the cancel, not by time
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      return "late";
    };
    assertThrows(IpcDeadlineExceededException.class, () -> proxy.tell(slow, "x"));
    assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the callback was not interrupted");
    String seen = hub.failures.poll(10, TimeUnit.SECONDS);
    assertTrue(seen.startsWith("IpcDeadlineExceededException: deadline exceeded after")
        || seen.startsWith("IpcException: interrupted while waiting for Listener.heard"), seen);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aClientThatGoesAwayEndsTheServersReferencesAndReleasesWhatItHeld(Way way)
      throws Exception {
    Hub proxy = connect(way);
    assertEquals("kept", proxy.keep(what -> "alive"));
    Counter counter = proxy.counter();
    assertEquals(1, counter.increment());
    Listener kept = hub.kept.poll(10, TimeUnit.SECONDS);
    assertEquals("alive", kept.heard("?"));

    client.close();
    client = null;
    String why = ((RemoteReference) kept).ended().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(why.startsWith("the session ended: "), why);
    IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
        () -> kept.heard("?"));
    assertTrue(e.getMessage().startsWith("the reference to " + Listener.class.getName()
        + " ended: the session ended: "), e.getMessage());
    awaitClosed(1);
  }

  /** A client in its own JVM, to be killed holding references: args are host and port, or a path. */
  public static final class KilledClient {
    public static void main(String[] args) throws Exception {
      IpcClient.Builder builder = args.length == 2
          ? IpcClient.builder().host(args[0]).port(Integer.parseInt(args[1]))
          : IpcClient.builder().target("unix://" + args[0]);
      IpcClient client = builder.build();
      Hub hub = client.getExposedObject("hub", Hub.class);
      Listener listener = what -> "child heard " + what;
      hub.keep(listener);
      Counter counter = hub.counter();
      counter.increment();
      System.out.println("READY");
      System.out.flush();
      Thread.sleep(120_000); // until killed; the references above stay reachable
      System.out.println(listener.hashCode() + counter.hashCode());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Way.class, names = {"TCP", "UNIX"})
  void aClientProcessKilledEndsTheServersReferencesToIt(Way way) throws Exception {
    connect(way);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-Xmx128m",
        "-XX:TieredStopAtLevel=1", "-cp", classPath, KilledClient.class.getName()));
    command.addAll(way == Way.TCP ? List.of("127.0.0.1", Integer.toString(server.port()))
        : List.of(dir.resolve("hub.sock").toString()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
          child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
        StringBuilder printed = new StringBuilder();
        try {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("READY")) {
              return line;
            }
            printed.append(line).append('\n');
          }
        } catch (java.io.IOException e) {
          printed.append(e);
        }
        return printed.toString();
      });
      assertEquals("READY", ready.get(60, TimeUnit.SECONDS));
      Listener kept = hub.kept.poll(10, TimeUnit.SECONDS);
      assertEquals("child heard ?", kept.heard("?"));

      child.destroyForcibly(); // no goodbye: the connection just breaks
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      String why = ((RemoteReference) kept).ended().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertEquals("the session ended: the client went away", why);
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> kept.heard("?"));
      assertTrue(e.getMessage().startsWith("the reference to " + Listener.class.getName()
          + " ended: the session ended: the client went away (Listener.heard via a reference at"
          + " "), e.getMessage());
      awaitClosed(1);
    } finally {
      child.destroyForcibly();
    }
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aServerThatStopsEndsTheClientsReferences(Way way) throws Exception {
    Hub proxy = connect(way);
    Counter counter = proxy.counter();
    assertEquals(1, counter.increment());
    server.stop();
    String why = ((RemoteReference) counter).ended().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertTrue(why.startsWith("the session ended: UNAVAILABLE"), why);
    IpcUnavailableException e = assertThrows(IpcUnavailableException.class, counter::increment);
    assertTrue(e.getMessage().startsWith("the reference to " + Counter.class.getName()
        + " ended: the session ended: UNAVAILABLE"), e.getMessage());
    awaitClosed(1);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aSessionHoldsNoMoreReferencesThanItsBound(Way way) throws Exception {
    Hub proxy = connect(way, IpcServer.builder().maxReferences(2), IpcClient.builder());
    Counter one = proxy.counter();
    proxy.counter();
    IpcException e = assertThrows(IpcException.class, proxy::counter);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatusCode());
    assertTrue(e.getMessage().startsWith("the session holds 2 references, its most; release"),
        e.getMessage());
    one.close();
    awaitClosed(1);
    assertEquals(1, proxy.counter().increment());
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void withoutSessionsAReferenceCannotTravel(Way way) throws Exception {
    Hub proxy = connect(way, IpcServer.builder(), IpcClient.builder().sessions(false));
    IpcException e = assertThrows(IpcException.class, () -> proxy.tell(what -> what, "x"));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatusCode());
    assertTrue(e.getMessage().startsWith("tell passes a @Remote " + Listener.class.getName()
        + ", which travels by reference over a session; this client has none"), e.getMessage());
    assertEquals(3, proxy.add(1, 2));
  }

  private void awaitClosed(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (hub.closed.get() < count && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.sleep(1);
    }
    assertEquals(count, hub.closed.get());
  }
}
