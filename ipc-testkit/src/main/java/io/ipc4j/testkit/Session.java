package io.ipc4j.testkit;

import io.ipc4j.client.IpcClient;
import io.ipc4j.server.InternalServer;
import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server with its clients, for one test class or one test: started by {@link IpcExtension},
 * kept in the JUnit store, torn down in reverse order within a time budget when JUnit closes the
 * store, and failing the test with an {@link AssertionError} that names whatever was left running.
 *
 * <p>JUnit 5.13 and later close it as an {@link AutoCloseable}; older versions, which know only
 * the (since deprecated) {@code CloseableResource}, close it as that.
 */
@SuppressWarnings("deprecation")
final class Session implements AutoCloseable, ExtensionContext.Store.CloseableResource {
  static final String SERVER_THREADS = "ipc-server-";
  /** The sessions still running, whose server threads are not another session's leak. */
  private static final Set<Session> LIVE = ConcurrentHashMap.newKeySet();
  /** How long a busy thread gets to end after the server stopped, at least. */
  private static final long BUSY_THREAD_EXIT_NANOS = TimeUnit.SECONDS.toNanos(2);
  /** How long an idle thread of another server gets to end (if the test stopped its server). */
  private static final long IDLE_THREAD_EXIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  final String inProcessName;
  final IpcFaults faults = new IpcFaults();
  final IpcServer server;
  private final InFlightCalls calls = new InFlightCalls();
  private final Delays delays;
  private final List<Consumer<? super IpcClient.Builder>> clientSetup;
  private final FaultClientInterceptor faultClient;
  private final Duration timeout;
  private final String scope;
  private final boolean watchOtherServers;
  private final Set<Thread> threadsBefore;
  private final Consumer<Session> onClose;
  private final String threadPrefix;

  private final Object lock = new Object();
  private final List<IpcClient> clients = new ArrayList<>();
  private IpcClient shared;
  private boolean closed;
  private volatile String defaultObject = "";

  private Session(List<Consumer<? super IpcServer.Builder>> serverSetup,
      List<Consumer<? super IpcClient.Builder>> clientSetup, Duration timeout, String scope,
      boolean watchOtherServers, Consumer<Session> onClose) throws IOException {
    this.inProcessName = "ipc-testkit-" + UUID.randomUUID();
    this.clientSetup = List.copyOf(clientSetup);
    this.timeout = timeout;
    this.scope = scope;
    this.watchOtherServers = watchOtherServers;
    this.onClose = onClose;
    this.threadsBefore = watchOtherServers ? serverThreads() : Set.of();
    this.delays = new Delays("ipc-testkit-delays-" + inProcessName.substring(12, 20));
    this.faultClient = new FaultClientInterceptor(faults, delays, calls, () -> defaultObject);
    IpcServer.Builder builder = IpcServer.builder()
        .inProcess(inProcessName)
        .gracePeriod(timeout)
        .intercept(new FaultServerInterceptor(faults));
    serverSetup.forEach(setup -> setup.accept(builder));
    builder.inProcess(inProcessName).intercept(new CallTracker(calls, () -> defaultObject));
    this.server = builder.build();
    this.defaultObject = server.name();
    this.threadPrefix = SERVER_THREADS + server.name() + "-";
    server.start();
    LIVE.add(this);
  }

  /** Builds and starts the server; the clients come on demand. */
  static Session open(List<Consumer<? super IpcServer.Builder>> serverSetup,
      List<Consumer<? super IpcClient.Builder>> clientSetup, Duration timeout, String scope,
      boolean watchOtherServers, Consumer<Session> onClose) throws IOException {
    return new Session(serverSetup, clientSetup, timeout, scope, watchOtherServers, onClose);
  }

  /** The shared client, made on first use. */
  IpcClient client() {
    synchronized (lock) {
      checkOpen();
      if (shared == null) {
        shared = newClient(null);
      }
      return shared;
    }
  }

  /** A new client, closed at teardown; {@code more} (may be null) customises it last. */
  IpcClient newClient(Consumer<? super IpcClient.Builder> more) {
    IpcClient.Builder builder = IpcClient.builder()
        .inProcess(inProcessName)
        .name(server.name())
        .sessions(true)
        .intercept(faultClient);
    clientSetup.forEach(setup -> setup.accept(builder));
    if (more != null) {
      more.accept(builder);
    }
    IpcClient client = builder.inProcess(inProcessName).build();
    synchronized (lock) {
      if (closed) {
        client.close();
        checkOpen();
      }
      clients.add(client);
    }
    return client;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("IpcExtension has stopped its server (in-process "
          + inProcessName + "); use it only during the test");
    }
  }

  /**
   * Tears down within the budget: waits for calls to finish, cancels held ones, closes the
   * clients newest first, stops the server, waits for its threads to end; then fails naming what
   * is left. Idempotent.
   *
   * @throws AssertionError naming each call or thread left running
   */
  @Override
  public void close() {
    List<IpcClient> toClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(clients);
    }
    LIVE.remove(this);
    onClose.accept(this);
    Collections.reverse(toClose);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> leaks = new ArrayList<>();
    List<Throwable> details = new ArrayList<>();
    boolean interrupted = false;
    try {
      if (!calls.awaitNone(deadline)) {
        Set<Thread> claimed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (InFlightCalls.Call call : calls.snapshot()) {
          if (call.thread == null && call.heldBy == null) {
            call.thread = threadRunning(call.name, claimed);
          }
          leaks.add(describe(call));
          Thread t = call.thread;
          if (t != null) {
            details.add(new ThreadStack(t));
          }
        }
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    for (InFlightCalls.Call call : calls.snapshot()) {
      if (call.abort != null) {
        call.abort.run();
      }
    }
    for (String reference : referencesLeft(deadline)) {
      leaks.add("reference " + reference + " is still alive: release it"
          + " (RemoteReference.release(), or close() for an AutoCloseable interface)");
    }
    for (IpcClient client : toClose) {
      try {
        client.close();
      } catch (RuntimeException e) {
        leaks.add("closing " + client + " failed: " + e);
        details.add(e);
      }
    }
    try {
      server.stop();
    } catch (RuntimeException e) {
      leaks.add("stopping " + server + " failed: " + e);
      details.add(e);
    }
    try {
      delays.shutdown();
      awaitThreads(deadline, leaks, details);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!leaks.isEmpty()) {
      AssertionError error = new AssertionError("IpcExtension left resources running after "
          + scope + " (in-process " + inProcessName + "):\n  "
          + String.join("\n  ", leaks));
      details.forEach(error::addSuppressed);
      throw error;
    }
  }

  /**
   * The references the server's sessions still hold, once releases sent before the end of the
   * test have arrived (or {@code deadline} has passed): a release travels as a message, and the
   * server releases a callback its methods dropped once the garbage collector has noticed.
   */
  private List<String> referencesLeft(long deadline) {
    List<String> left = InternalServer.references(server);
    for (int round = 0; !left.isEmpty() && System.nanoTime() < deadline; round++) {
      if (round % 20 == 0) {
        // Callbacks the server's methods dropped are released once collected (held weakly);
        // collect again now and then, as code still running may drop one later.
        System.gc();
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      left = InternalServer.references(server);
    }
    return left;
  }

  /**
   * The thread of this session's server that runs {@code call} ({@code object.method}) and is
   * not yet {@code claimed} by another call, or null: as the server itself tells.
   */
  private Thread threadRunning(String call, Set<Thread> claimed) {
    for (Thread t : InternalServer.threadsRunning(server, call)) {
      if (claimed.add(t)) {
        calls.ranOn(t);
        return t;
      }
    }
    return null;
  }

  private String describe(InFlightCalls.Call call) {
    if (call.heldBy != null) {
      return "call " + call.name + " is still held by faults()." + call.heldBy
          + "; the test did not wait for it";
    }
    Thread t = call.thread;
    return "call " + call.name + " did not finish within " + timeout.toMillis() + " ms"
        + (t == null ? " (no thread runs it: a future that never completes?)"
            : " (thread " + t.getName() + ThreadStack.where(t) + ")");
  }

  /**
   * Waits for the threads of this session's server, and of any other IpcServer started since the
   * session began, to end: until {@code deadline} or a little longer; an idle thread of another
   * server only briefly, since a stopped server ends its idle threads at once and one still
   * running never does. Names those that do not end.
   */
  private void awaitThreads(long deadline, List<String> leaks, List<Throwable> details)
      throws InterruptedException {
    Thread self = Thread.currentThread();
    Set<Thread> ours = calls.threads();
    List<Thread> watched = new ArrayList<>(ours);
    if (watchOtherServers) {
      List<Session> others = List.copyOf(LIVE);
      for (Thread t : serverThreads()) {
        if (!threadsBefore.contains(t) && !ours.contains(t) && others.stream().noneMatch(
            s -> s.calls.threads().contains(t) || t.getName().startsWith(s.threadPrefix))) {
          watched.add(t);
        }
      }
    }
    long now = System.nanoTime();
    long busyDeadline = Math.max(deadline, now + BUSY_THREAD_EXIT_NANOS);
    long idleDeadline = now + IDLE_THREAD_EXIT_NANOS;
    Map<String, List<String>> idle = new TreeMap<>();
    for (Thread t : watched) {
      if (t == self) {
        continue;
      }
      boolean idleElsewhere = !ours.contains(t) && !t.getName().startsWith(threadPrefix)
          && ThreadStack.idleInPool(t);
      long left = (idleElsewhere ? idleDeadline : busyDeadline) - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(t, left);
      }
      if (!t.isAlive()) {
        continue;
      }
      String whose = ours.contains(t) || t.getName().startsWith(threadPrefix)
          ? "of its server" : "of an IpcServer the test started and did not stop";
      String where = ThreadStack.where(t);
      if (where.isEmpty()) {
        idle.computeIfAbsent(whose, k -> new ArrayList<>()).add(t.getName());
      } else {
        leaks.add("thread " + t.getName() + " " + whose + " is still running" + where);
        details.add(new ThreadStack(t));
      }
    }
    idle.forEach((whose, names) -> leaks.add("threads " + whose + " are still running: "
        + names.stream().sorted().collect(Collectors.joining(", "))));
  }

  private static Set<Thread> serverThreads() {
    Set<Thread> threads = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(SERVER_THREADS)) {
        threads.add(t);
      }
    }
    return threads;
  }

  @Override
  public String toString() {
    return "IpcExtension session " + inProcessName + " for " + scope;
  }
}
