package io.ipc4j.testkit;

import io.ipc4j.client.IpcClient;
import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * A JUnit 5 extension that serves objects with the real {@link IpcServer} and calls them with the
 * real {@link IpcClient}, over grpc's in-process transport: real serialization, real error
 * details, the 8 KiB trailer limit of a network client, and no port.
 *
 * <pre>{@code
 * class CalcTest {
 *   @RegisterExtension
 *   static IpcExtension ipc = IpcExtension.inProcess().expose("calc", new CalcImpl(), Calc.class);
 *
 *   @Test
 *   void adds() {
 *     assertEquals(3, ipc.proxy(Calc.class).add(1, 2));
 *   }
 * }
 * }</pre>
 *
 * <p>A {@code static} field gives one server for the test class; an instance field gives each
 * test its own. After the class (or the test) the extension closes its clients, stops the server
 * and fails when anything is still running: a call that did not finish within {@link
 * #shutdownTimeout(Duration)}, a thread of the server, or a thread of an {@code IpcServer} the
 * test started and did not stop. A test that failed keeps its own failure; the leak is added to
 * it as suppressed. {@link #faults()} makes calls fail or slow down on purpose.
 *
 * <p>The clients send their calls on a session ({@code IpcClient.Builder.sessions(true)}), so
 * that tests run the path production uses; {@code configureClient(b -> b.sessions(false))} sends
 * each call with {@code Invoke}. A session left open with no call in flight is not a leak.
 *
 * <p>Configure the extension where it is declared, before it starts. Thread-safe once running.
 */
public final class IpcExtension implements BeforeAllCallback, BeforeEachCallback,
    AfterEachCallback {
  private static final Namespace NAMESPACE = Namespace.create(IpcExtension.class);
  private static final String PARALLEL = "junit.jupiter.execution.parallel.enabled";

  private final List<Consumer<? super IpcServer.Builder>> serverSetup = new ArrayList<>();
  private final List<Consumer<? super IpcClient.Builder>> clientSetup = new ArrayList<>();
  private Duration shutdownTimeout = Duration.ofSeconds(5);
  private volatile Session session;

  private IpcExtension() {}

  /** An extension that serves over grpc's in-process transport, under a fresh unique name. */
  public static IpcExtension inProcess() {
    return new IpcExtension();
  }

  /**
   * Exposes {@code object} as the server's default object ({@code kodi-IPC} unless {@link
   * #configureServer(Consumer) configured} otherwise): all its public instance methods.
   */
  public IpcExtension expose(Object object) {
    IpcServer.builder().expose(object); // checks now, in the server builder's words
    return server(b -> b.expose(object));
  }

  /** Exposes {@code object} under {@code name}: all its public instance methods. */
  public IpcExtension expose(String name, Object object) {
    IpcServer.builder().expose(name, object);
    return server(b -> b.expose(name, object));
  }

  /** Exposes as {@code name} only the methods of {@code iface}, which {@code object} implements. */
  public <T> IpcExtension expose(String name, T object, Class<? super T> iface) {
    IpcServer.builder().expose(name, object, iface);
    return server(b -> b.expose(name, object, iface));
  }

  /**
   * Requires {@code authorization: Bearer <token>} on the server and sends it from every client
   * of this extension; a client made with {@link #newClient(Consumer)} may send another.
   */
  public IpcExtension token(String token) {
    IpcServer.builder().token(token);
    server(b -> b.token(token));
    return client(b -> b.token(token));
  }

  /** How the clients encode arguments and results: {@code json} (default) or {@code cbor}. */
  public IpcExtension serializer(String name) {
    IpcClient.builder().serializer(name);
    return client(b -> b.serializer(name));
  }

  /** How long each call of the clients may take; the client's default is 30 seconds. */
  public IpcExtension deadline(Duration deadline) {
    IpcClient.builder().deadline(deadline);
    return client(b -> b.deadline(deadline));
  }

  /**
   * How long teardown waits for calls to finish before it forces the server down and reports
   * them, and (two seconds at least) for the server's threads to end; default 5 seconds.
   * The server's grace period for {@link IpcServer#stop()} is set to the same.
   *
   * @throws IllegalArgumentException when {@code timeout} is negative
   */
  public IpcExtension shutdownTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout == null");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("shutdownTimeout must not be negative, was " + timeout);
    }
    synchronized (this) {
      checkNotRunning();
      shutdownTimeout = timeout;
    }
    return this;
  }

  /**
   * Customises the server builder, for what the extension has no method for (concurrency,
   * limits, interceptors, serializers...). Runs in order with the other configuration; the
   * in-process name is the extension's whatever it sets.
   */
  public IpcExtension configureServer(Consumer<? super IpcServer.Builder> customizer) {
    return server(Objects.requireNonNull(customizer, "customizer == null"));
  }

  /**
   * Customises the builder of every client of this extension (limits, interceptors, name of the
   * default object...). Runs in order with the other configuration; the in-process name is the
   * extension's whatever it sets.
   */
  public IpcExtension configureClient(Consumer<? super IpcClient.Builder> customizer) {
    return client(Objects.requireNonNull(customizer, "customizer == null"));
  }

  private synchronized IpcExtension server(Consumer<? super IpcServer.Builder> setup) {
    checkNotRunning();
    serverSetup.add(setup);
    return this;
  }

  private synchronized IpcExtension client(Consumer<? super IpcClient.Builder> setup) {
    checkNotRunning();
    clientSetup.add(setup);
    return this;
  }

  private void checkNotRunning() {
    Session s = session;
    if (s != null) {
      throw new IllegalStateException("IpcExtension is already serving (in-process "
          + s.inProcessName + "); configure it where it is declared, before it starts");
    }
  }

  /** The running server: the real {@link IpcServer}, on the in-process transport. */
  public IpcServer server() {
    return running().server;
  }

  /**
   * The client of this extension, connected to the server with its default object as its name.
   * Shared by the tests that share the server; the extension closes it, so do not.
   */
  public IpcClient client() {
    return running().client();
  }

  /**
   * A new client connected to the server, configured like {@link #client()}. The extension
   * closes it at teardown if the test does not.
   */
  public IpcClient newClient() {
    return running().newClient(null);
  }

  /**
   * A new client connected to the server, configured like {@link #client()} and then by {@code
   * customizer} (such as another token or deadline). The extension closes it at teardown if the
   * test does not.
   */
  public IpcClient newClient(Consumer<? super IpcClient.Builder> customizer) {
    Objects.requireNonNull(customizer, "customizer == null");
    return running().newClient(customizer);
  }

  /**
   * A proxy of the server's default object (the only one, or the first exposed) through {@code
   * iface}.
   */
  public <T> T proxy(Class<T> iface) {
    return client().getExposedObject(iface);
  }

  /** A proxy of the object exposed as {@code name}, through {@code iface}. */
  public <T> T proxy(String name, Class<T> iface) {
    return client().getExposedObject(name, iface);
  }

  /** The fault injection of the running server's clients; cleared after every test. */
  public IpcFaults faults() {
    return running().faults;
  }

  /**
   * The in-process name the server listens on, for code under test that builds its own client
   * with {@code IpcClient.builder().inProcess(name)}. Such clients get no faults, and the test
   * must close them.
   */
  public String inProcessName() {
    return running().inProcessName;
  }

  private Session running() {
    Session s = session;
    if (s == null) {
      throw new IllegalStateException("IpcExtension is not running: register it with"
          + " @RegisterExtension and use it during a test (a static field serves the whole class,"
          + " an instance field each test)");
    }
    return s;
  }

  /** Starts the server for the test class, when the extension is a static field. */
  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    start(context);
  }

  /** Starts the server for the test, when no server serves the whole class. */
  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    start(context);
  }

  /** Clears the faults, so that the next test starts without any. */
  @Override
  public void afterEach(ExtensionContext context) {
    Session s = session;
    if (s != null) {
      s.faults.clear();
    }
  }

  private synchronized void start(ExtensionContext context) throws IOException {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    if (store.get(this, Session.class) != null) {
      return; // an enclosing class or the test class serves already
    }
    boolean parallel = context.getConfigurationParameter(PARALLEL)
        .map(Boolean::parseBoolean).orElse(false);
    Session opened = Session.open(serverSetup, clientSetup, shutdownTimeout,
        context.getDisplayName(), !parallel, this::clear);
    session = opened;
    store.put(this, opened);
  }

  private void clear(Session closing) {
    if (session == closing) {
      session = null;
    }
  }

  /** Says whether the extension serves, and under which in-process name. */
  @Override
  public String toString() {
    Session s = session;
    return "IpcExtension{" + (s == null ? "not running" : "in-process " + s.inProcessName) + "}";
  }
}
