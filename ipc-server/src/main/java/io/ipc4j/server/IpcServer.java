package io.ipc4j.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.IpcDefaults;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Formats;
import io.ipc4j.core.internal.SerializableCheck;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.core.internal.SettingsOverlay;
import java.io.File;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Exposes plain Java objects so that clients call their methods over gRPC.
 *
 * <pre>{@code
 * IpcServer server = new IpcServer(new MyObject());  // "kodi-IPC" on localhost:9099
 * server.start();                                     // BindException if 9099 stays taken
 * ...
 * server.stop();                                      // drains, then closes MyObject once
 * }</pre>
 *
 * <p>Besides the generic {@code ipc.v1.InvokeService} the server runs the standard health service
 * (service {@code ""} and each object's name) and server reflection, so that grpcurl needs no
 * .proto file. Thread-safe.
 */
public final class IpcServer implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(IpcServer.class.getName());
  /** How long stop() waits after forcing the transport and the threads down. */
  private static final long SHUTDOWN_NOW_MILLIS = 1000;
  /** How long the transport may take to deliver answers already given before it is forced. */
  private static final long FLUSH_MILLIS = 250;
  /** How long an idle call thread lives. */
  private static final Duration THREAD_KEEP_ALIVE = Duration.ofSeconds(30);
  /** Who may connect to a Unix socket unless the builder says otherwise: the owner only. */
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final ServerConfig config;
  private final Map<String, ExposedObject> objects;
  private final String defaultObject;
  private final Serializers serializers;
  private final HealthStatusManager health = new HealthStatusManager();
  private final CallGate gate = new CallGate();
  /** The service the transport serves, once started: stop() ends its sessions. */
  private volatile InvokeService invokeService;
  private final CallCutoff cutoff = new CallCutoff();
  private final CountDownLatch terminated = new CountDownLatch(1);
  /** Where the server listens: a TCP address, a Unix socket or an in-process name. */
  private final Binding binding;

  private final Object lock = new Object();
  private State state = State.NEW;
  private Server server;
  private CallExecutor executor;
  private int boundPort = -1;

  private enum State { NEW, STARTED, STOPPED }

  /**
   * Serves {@code object} with script.module.ipc's defaults: name {@value IpcDefaults#NAME} on
   * {@value IpcDefaults#HOST} (loopback only), port {@value IpcDefaults#PORT}, JSON and CBOR
   * accepted. The same as {@code IpcServer.builder().expose(object).build()}.
   */
  public IpcServer(Object object) {
    this(builder().expose(object).resolve());
  }

  private IpcServer(ServerConfig config) {
    this.config = config;
    this.serializers =
        Serializers.of(config.serializers(), config.limits(), config.javaAllowList());
    Map<String, ExposedObject> exposed = new LinkedHashMap<>();
    for (ServerConfig.Exposure e : config.exposures()) {
      String name = e.name() != null ? e.name() : config.name();
      if (exposed.containsKey(name)) {
        throw new IllegalArgumentException("two objects exposed as '" + name + "'");
      }
      exposed.put(name, new ExposedObject(name, e.object(), e.iface(), config.concurrency()));
    }
    if (exposed.isEmpty()) {
      throw new IllegalStateException("nothing exposed: call expose(...) on the builder");
    }
    this.objects = Collections.unmodifiableMap(exposed);
    this.defaultObject = exposed.containsKey(config.name())
        ? config.name() : exposed.keySet().iterator().next();
    this.binding = new Binding(config, threadPrefix());
  }

  /** A builder for a server with more than one object or other settings than the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port (or the Unix socket) and starts serving. A port in use, or a socket another
   * server answers on, is retried 5 times, 10 ms apart.
   *
   * @return this server
   * @throws BindException naming host and port (or the socket's path) when it stays taken;
   *     nothing is left running, and {@code start()} may be called again
   * @throws IOException when the server cannot start for another reason
   * @throws IllegalStateException when started twice or after {@link #stop()}
   */
  public IpcServer start() throws IOException {
    synchronized (lock) {
      if (state != State.NEW) {
        throw new IllegalStateException("server already " + state.name().toLowerCase(Locale.ROOT));
      }
      executor = newExecutor(config.maxThreads());
      try {
        server = binding.start(services());
      } catch (IOException | RuntimeException e) {
        // Nothing stays running; the server may be started again, or stopped to close objects.
        executor.shutdownNow();
        executor = null;
        binding.release(SHUTDOWN_NOW_MILLIS);
        throw e;
      }
      if (binding.tcpAddress() != null) {
        boundPort = binding.tcpAddress().getPort();
      }
      health.setStatus("", ServingStatus.SERVING);
      objects.keySet().forEach(name -> health.setStatus(name, ServingStatus.SERVING));
      state = State.STARTED;
      return this;
    }
  }

  /**
   * What the transport serves: the invoke service behind the stop gate, the call cutoff, the
   * user's interceptors and the token check; reflection behind the token; health open to all.
   */
  private List<ServerServiceDefinition> services() {
    List<ServerServiceDefinition> services = new ArrayList<>();
    invokeService = new InvokeService(objects, defaultObject, serializers,
        config.limits(), config.sendTracebacks(), config.streamLifetime(), executor,
        config.serverLimits(), config.maxConnectionAge(), config.observer());
    ServerServiceDefinition invoke = ServerInterceptors.intercept(
        ServerInterceptors.intercept(invokeService, config.interceptors()), cutoff, gate);
    services.add(withToken(invoke));
    services.add(withToken(ProtoReflectionServiceV1.newInstance()));
    services.add(withToken(reflectionV1alpha()));
    services.add(ServerInterceptors.intercept(health.getHealthService().bindService(),
        new HealthLimits(config.serverLimits().maxHealthWatchesPerConnection(),
            config.serverLimits().maxHealthWatches())));
    return services;
  }

  @SuppressWarnings("deprecation") // v1alpha stays for older grpcurl and clients
  private static BindableService reflectionV1alpha() {
    return ProtoReflectionService.newInstance();
  }

  private ServerServiceDefinition withToken(BindableService service) {
    return withToken(service.bindService());
  }

  private ServerServiceDefinition withToken(ServerServiceDefinition service) {
    return config.token() == null ? service
        : ServerInterceptors.intercept(service, new TokenCheck(config.token()));
  }

  /** What the names of this server's threads start with. */
  private String threadPrefix() {
    return "ipc-server-" + defaultObject + "-";
  }

  /**
   * The threads that run calls: idle ones are reused, new ones start only while all are busy,
   * at most {@code maxThreads}; beyond that calls queue (see {@link CallExecutor}).
   */
  private CallExecutor newExecutor(int maxThreads) {
    AtomicInteger count = new AtomicInteger();
    String prefix = threadPrefix();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return new CallExecutor(maxThreads, config.serverLimits().maxQueuedCalls(),
        config.serverLimits().maxQueuedBytes(), THREAD_KEEP_ALIVE, threads);
  }

  /**
   * Stops serving: new calls get UNAVAILABLE and health turns NOT_SERVING, calls in flight finish
   * within the grace period, then each exposed object with a {@code close()} is closed exactly
   * once and the transport shuts down (a Unix socket's file is removed). Idempotent: a second
   * call, from any thread, returns once the first has finished. Never throws for a failing
   * {@code close()}.
   *
   * <p>With a {@linkplain Builder#drainDelay drain delay}, health turns NOT_SERVING first and new
   * calls are still served for that long, so that health-checking clients and load balancers
   * move to other replicas before this one refuses anything.
   *
   * <p>Do not call it from an exposed method: it would wait out the grace period for that very
   * call. Hand it to another thread instead.
   */
  public void stop() {
    boolean first;
    Server s;
    synchronized (lock) {
      first = state != State.STOPPED;
      s = state == State.STARTED ? server : null;
      state = State.STOPPED;
    }
    if (!first) {
      awaitStopped();
      return;
    }
    boolean interrupted = false;
    try {
      if (s != null) {
        interrupted = drainAndShutdown(s);
      } else {
        closeObjects();
      }
    } finally {
      terminated.countDown();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The work of {@link #stop()} for a started server; answers whether it was interrupted. */
  private boolean drainAndShutdown(Server s) {
    boolean interrupted = false;
    if (!config.drainDelay().isZero()) {
      interrupted |= announceAndKeepServing();
    }
    long deadline = System.nanoTime() + config.gracePeriod().toNanos();
    refuseNewCalls();
    interrupted |= awaitCallsInFlight();
    closeObjects();
    interrupted |= shutDownTransport(s, deadline);
    interrupted |= shutDownCallThreads();
    return binding.release(SHUTDOWN_NOW_MILLIS) || interrupted;
  }

  /**
   * With a drain delay: health turns NOT_SERVING first, and new calls are still served while
   * health-checking clients and load balancers move to other replicas.
   */
  private boolean announceAndKeepServing() {
    health.enterTerminalState();
    try {
      Thread.sleep(config.drainDelay().toMillis());
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  /**
   * New calls get UNAVAILABLE; then (without a drain delay) health turns NOT_SERVING, so that
   * whoever sees NOT_SERVING can rely on new calls being refused.
   */
  private void refuseNewCalls() {
    gate.close();
    if (invokeService != null) {
      invokeService.stopSessions();
    }
    if (config.drainDelay().isZero()) {
      health.enterTerminalState();
    }
  }

  /**
   * Lets calls in flight finish within the grace period; ends those still running as UNAVAILABLE
   * (the server went away) rather than the CANCELLED of a forced transport shutdown.
   */
  private boolean awaitCallsInFlight() {
    try {
      if (!gate.awaitDrained(config.gracePeriod())) {
        logger.warning(gate.inFlight() + " calls still running after the grace period of "
            + config.gracePeriod().toMillis() + " ms; ending them as UNAVAILABLE and closing");
        cutoff.cutOff(Status.UNAVAILABLE.withDescription("the server stopped before the call"
            + " finished (grace period of " + config.gracePeriod().toMillis() + " ms)"));
      }
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  /**
   * Closes connections gracefully until {@code deadline}, then forcibly. However late it is, the
   * transport gets {@value #FLUSH_MILLIS} ms to deliver answers already given, such as the
   * UNAVAILABLE of calls cut off at the end of the grace period.
   */
  private static boolean shutDownTransport(Server s, long deadline) {
    s.shutdown();
    try {
      long left = Math.max(TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS),
          deadline - System.nanoTime());
      if (!s.awaitTermination(left, TimeUnit.NANOSECONDS)) {
        s.shutdownNow();
        s.awaitTermination(SHUTDOWN_NOW_MILLIS, TimeUnit.MILLISECONDS);
      }
      return false;
    } catch (InterruptedException e) {
      s.shutdownNow();
      return true;
    }
  }

  /**
   * Interrupts the call threads; the cleanups of work they never started still run (a stream's
   * source closed, a future cancelled: never left undone).
   */
  private boolean shutDownCallThreads() {
    for (Runnable dropped : executor.shutdownNow()) {
      if (dropped instanceof CallRunner.Cleanup cleanup) {
        try {
          cleanup.run();
        } catch (RuntimeException e) {
          logger.log(Level.WARNING, "cleaning up after a call failed", e);
        }
      }
    }
    try {
      if (!executor.awaitTermination(SHUTDOWN_NOW_MILLIS, TimeUnit.MILLISECONDS)) {
        logger.warning("threads of " + this + " still run methods that ignore interrupts");
      }
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  private void awaitStopped() {
    try {
      terminated.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeObjects() {
    Set<Object> closed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ExposedObject o : objects.values()) {
      if (closed.add(o.target)) {
        o.close();
      }
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Blocks until the server has stopped. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Blocks until the server has stopped or {@code timeout} has passed; answers which. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Whether {@link #stop()} has finished and the transport has terminated: no thread, socket or
   * connection of this server is left. False while running, and before start.
   */
  public boolean isTerminated() {
    Server s;
    synchronized (lock) {
      s = server;
    }
    return terminated.getCount() == 0 && (s == null || s.isTerminated())
        && binding.isTerminated();
  }

  /**
   * The TCP port this server listens on (useful after {@code port(0)}); -1 before start, and for
   * in-process and Unix socket servers.
   */
  public int port() {
    synchronized (lock) {
      return boundPort;
    }
  }

  /**
   * The address this server listens on, as a literal such as {@code 127.0.0.1} (what {@code
   * localhost} resolved to): once started, read from the listening socket; before, the address
   * it will bind. For in-process and Unix socket servers, which have no TCP address, the host
   * as configured.
   */
  public String host() {
    if (!config.tcp()) {
      return config.host();
    }
    InetSocketAddress bound = binding.tcpAddress();
    return (bound != null ? bound.getAddress() : config.address()).getHostAddress();
  }

  /** The threads running {@code object.method} now; empty before start. */
  List<String> references() {
    InvokeService service = invokeService;
    return service == null ? List.of() : service.references();
  }

  List<Thread> threadsRunning(String call) {
    InvokeService service = invokeService;
    return service == null ? List.of() : service.threadsRunning(call);
  }

  /** The addresses the transport listens on while running; empty before start and after stop. */
  List<SocketAddress> listenAddresses() {
    synchronized (lock) {
      return state == State.STARTED ? List.copyOf(server.getListenSockets()) : List.of();
    }
  }

  /** Client connections open now, over TCP or a Unix socket; 0 in-process. */
  int openConnections() {
    return binding.openConnections();
  }

  /** The name of the default object (the one a request with an empty object name calls). */
  public String name() {
    return defaultObject;
  }

  /** Whether the server has started and not yet been stopped. */
  public boolean isRunning() {
    synchronized (lock) {
      return state == State.STARTED;
    }
  }

  @Override
  public String toString() {
    return "IpcServer{" + binding.where() + ", objects=" + objects.keySet() + "}";
  }

  /**
   * Whether {@code value} can be sent (script.module.ipc's {@code test_pickle}): it travels through
   * the default serializer ({@value IpcDefaults#SERIALIZER}, within the default {@link Limits}),
   * both as an argument and as a result, and arrives as an equal value of the same shape. Never
   * throws; {@code null} travels.
   *
   * <p>What arrives is read as the type a receiver declares for the value: its own class; for a
   * map, list, set or other collection, its own class when that has a public no-argument
   * constructor ({@code HashMap}, {@code ArrayList}, {@code TreeSet}), else the interface it
   * implements, so a {@code Map.of} arrives as a {@code LinkedHashMap}, a {@code List.of} as an
   * {@code ArrayList}, a {@code Set.of} as a {@code HashSet}; element types are those all the
   * elements share, Object when they differ. It counts as equal when:
   *
   * <ul>
   *   <li>maps hold the same keys with equal values; lists and other collections equal elements
   *       in the same order; sets equal elements; an Optional an equal content or none;
   *   <li>arrays are of the same class, with equal elements (compared deeply);
   *   <li>numbers are equal by {@code equals}, so a BigDecimal keeps its scale and an Integer stays
   *       an Integer; only where nothing but Object is declared (mixed elements, an Object field)
   *       an integer arrives as a Long (BigInteger beyond) and a float as a Double, and the same
   *       value counts as equal;
   *   <li>records are equal component by component, and beans whose class does not override
   *       {@code equals} property by property (the getters and public fields the serializer
   *       writes; a bean with none sends nothing, so it does not count); anything else is equal
   *       by its {@code equals}.
   * </ul>
   *
   * <p>So it answers false for a collection or object that contains itself; for threads, streams
   * ({@code java.util.stream} and {@code java.io}), iterators, readers, writers, sockets, channels
   * and lambdas, which it refuses without writing them, so nothing is consumed; for objects with
   * no readable state or with a getter that throws; and for what arrives otherwise, such as a
   * record or a BigDecimal among mixed elements (it arrives as a map, or a Double) or a {@code
   * ZonedDateTime} in a region (it arrives with an offset only).
   */
  public static boolean testSerializable(Object value) {
    return SerializableCheck.test(value);
  }

  /** Builds an {@link IpcServer}. Setters reject nulls and bad values at once. */
  public static final class Builder {
    private String name = IpcDefaults.NAME;
    private String host = IpcDefaults.HOST;
    private int port = IpcDefaults.PORT;
    private final List<ServerConfig.Exposure> exposures = new ArrayList<>();
    private List<String> serializers = Serializers.DEFAULT_NAMES;
    private List<String> javaAllowList = List.of();
    private Concurrency concurrency = Concurrency.CONCURRENT;
    private String inProcessName;
    private Path settings;
    private String token;
    private ServerCredentials credentials;
    private boolean insecure;
    private Limits limits = Limits.defaults();
    private boolean sendTracebacks = true;
    private Duration gracePeriod = Duration.ofSeconds(5);
    private Duration drainDelay = Duration.ZERO;
    private Duration streamLifetime = InvokeService.DEFAULT_STREAM_LIFETIME;
    private Duration maxConnectionAge;
    private Path unixSocket;
    private Set<PosixFilePermission> unixPermissions = OWNER_ONLY;
    private int maxThreads = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private CallObserver observer;
    // Bounds on queues and per-connection resources: see ServerLimits and docs/security.md.
    private int maxQueuedCalls = ServerLimits.DEFAULT_MAX_QUEUED_CALLS;
    private long maxQueuedBytes = ServerLimits.DEFAULT_MAX_QUEUED_BYTES;
    private int maxOnewayCallsPerConnection = ServerLimits.DEFAULT_MAX_ONEWAY_CALLS_PER_CONNECTION;
    private int maxOnewayCalls = ServerLimits.DEFAULT_MAX_ONEWAY_CALLS;
    private int maxConnections = ServerLimits.DEFAULT_MAX_CONNECTIONS;
    private int maxConcurrentCallsPerConnection =
        ServerLimits.DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION;
    private Duration maxConnectionIdle = ServerLimits.DEFAULT_MAX_CONNECTION_IDLE;
    private Duration handshakeTimeout = ServerLimits.DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration permitKeepAliveTime = ServerLimits.DEFAULT_PERMIT_KEEP_ALIVE_TIME;
    private int maxRstFrames = ServerLimits.DEFAULT_MAX_RST_FRAMES;
    private int rstWindowSeconds = ServerLimits.DEFAULT_RST_WINDOW_SECONDS;
    private Duration streamStallTimeout = ServerLimits.DEFAULT_STREAM_STALL_TIMEOUT;
    private int maxHealthWatchesPerConnection =
        ServerLimits.DEFAULT_MAX_HEALTH_WATCHES_PER_CONNECTION;
    private int maxHealthWatches = ServerLimits.DEFAULT_MAX_HEALTH_WATCHES;
    private int maxReferences = ServerLimits.DEFAULT_MAX_REFERENCES;

    private Builder() {}

    /**
     * Adds gRPC interceptors around every {@code Invoke} and {@code Describe} call (logging,
     * metrics, fault injection in tests). They run after the token check and the stop gate, on
     * grpc's transport threads, before the call is handed to a call thread: they must not block.
     */
    public Builder intercept(ServerInterceptor... interceptors) {
      for (ServerInterceptor i : interceptors) {
        this.interceptors.add(Objects.requireNonNull(i, "interceptor == null"));
      }
      return this;
    }

    /**
     * Tells {@code observer} of every call by object and method, whether it came with {@code
     * Invoke}, on a session or oneway (for metrics and traces, such as ipc-opentelemetry's); an
     * interceptor sees a session as one RPC. Unless called, nothing is observed and nothing paid.
     */
    public Builder observe(CallObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer == null");
      return this;
    }

    /**
     * The name of the default object, exposed by {@link #expose(Object)}; default {@value
     * IpcDefaults#NAME}.
     */
    public Builder name(String name) {
      this.name = requireName(name, "name");
      return this;
    }

    /** Exposes {@code object} under the server's name: all its public instance methods. */
    public Builder expose(Object object) {
      exposures.add(new ServerConfig.Exposure(null, Objects.requireNonNull(object, "object == null"), null));
      return this;
    }

    /** Exposes {@code object} under {@code name}: all its public instance methods. */
    public Builder expose(String name, Object object) {
      exposures.add(new ServerConfig.Exposure(requireName(name, "name"),
          Objects.requireNonNull(object, "object == null"), null));
      return this;
    }

    /** Exposes exactly the methods of {@code iface}, which {@code object} implements. */
    public <T> Builder expose(String name, T object, Class<? super T> iface) {
      Objects.requireNonNull(iface, "iface == null");
      if (!iface.isInterface()) {
        throw new IllegalArgumentException(iface.getName() + " is not an interface");
      }
      exposures.add(new ServerConfig.Exposure(requireName(name, "name"),
          Objects.requireNonNull(object, "object == null"), iface));
      return this;
    }

    /** The host or address to bind; default {@value IpcDefaults#HOST}. */
    public Builder host(String host) {
      this.host = requireName(host, "host");
      return this;
    }

    /** The TCP port; 0 picks a free one ({@link IpcServer#port()} tells which). */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /**
     * Reads name, host, port, serializer and token from a Kodi settings.xml or a .properties
     * file when the server is built. Values in the file supersede those set on this builder.
     */
    public Builder settings(Path file) {
      this.settings = Objects.requireNonNull(file, "file == null");
      return this;
    }

    /**
     * The serializers accepted for payload requests; default json and cbor. {@code java} needs
     * {@link #javaSerialization(String...)} too. Other names are those of serializers registered
     * through a {@code Serializer.Factory}.
     */
    public Builder serializers(String... names) {
      List<String> list = List.of(names);
      // Rejects unknown names now; java is checked at build(), when the allow-list is known.
      list.forEach(Serializers::checkName);
      this.serializers = list;
      return this;
    }

    /**
     * Accepts Java serialization ({@code java}), reading only the classes {@code allowList} names
     * (class names, or patterns such as {@code com.acme.*}, as {@link java.io.ObjectInputFilter}
     * takes them). Off by default: Java serialization of untrusted bytes has broken RMI and
     * Dubbo, so every other class is refused before it is instantiated, and depth, array sizes
     * and references are bounded by the limits.
     *
     * @throws IllegalArgumentException for an empty allow-list
     */
    public Builder javaSerialization(String... allowList) {
      List<String> list = List.of(allowList);
      if (list.isEmpty()) {
        throw new IllegalArgumentException("javaSerialization needs the classes it may read");
      }
      Serializers.of(List.of(Formats.JAVA), limits, list); // rejects bad entries now
      this.javaAllowList = list;
      if (!serializers.contains(Formats.JAVA)) {
        List<String> names = new ArrayList<>(serializers);
        names.add(Formats.JAVA);
        this.serializers = List.copyOf(names);
      }
      return this;
    }

    /** How calls to each object run; default {@link Concurrency#CONCURRENT}. */
    public Builder concurrency(Concurrency concurrency) {
      this.concurrency = Objects.requireNonNull(concurrency, "concurrency == null");
      return this;
    }

    /**
     * Serves on a Unix domain socket at {@code path} instead of TCP (Linux): same-machine calls
     * with less overhead than TCP loopback. Clients dial {@code unix:///abs/path.sock}. Only the
     * owner may connect: the file is made {@code rw-------} right after binding. A stale socket
     * file (its server died) is replaced at start; one another server answers on is a {@link
     * BindException}, as a taken port is. The file is removed on stop. Host, port and protected
     * mode do not apply; a token or TLS still does.
     *
     * <p>The socket's directory must belong to you (or root), and others may write it only when
     * it is sticky (as {@code /tmp} is); else {@code start()} refuses it with an {@link
     * java.nio.file.AccessDeniedException}, because someone could replace the socket with a link
     * before its permissions are set. {@code $XDG_RUNTIME_DIR} is a good place. A link or another
     * file at the path is never followed or replaced.
     *
     * @throws IllegalArgumentException when the path is longer than a socket address holds (107
     *     bytes)
     * @throws IllegalStateException when Netty's native epoll transport is not available (it is
     *     on Linux x86_64 and aarch64)
     */
    public Builder unixSocket(Path path) {
      return unixSocket(path, OWNER_ONLY);
    }

    /**
     * Serves on a Unix domain socket whose file gets {@code permissions}, such as {@code
     * rw-rw----} to let the owner's group connect too; see {@link #unixSocket(Path)}.
     */
    public Builder unixSocket(Path path, Set<PosixFilePermission> permissions) {
      Objects.requireNonNull(path, "path == null");
      Objects.requireNonNull(permissions, "permissions == null");
      Path absolute = path.toAbsolutePath().normalize();
      UnixSocket.check(absolute);
      this.unixPermissions = Set.copyOf(permissions);
      this.unixSocket = absolute;
      return this;
    }

    /** Serves on grpc's in-process transport under {@code name} instead of TCP (for tests). */
    public Builder inProcess(String name) {
      this.inProcessName = requireName(name, "inProcess name");
      return this;
    }

    /**
     * Requires every call to carry {@code authorization: Bearer <token>}, compared in constant
     * time. Health stays open, so that load balancers and orchestrators can probe it without
     * credentials; it tells only whether a name is served.
     */
    public Builder token(String token) {
      this.token = requireName(token, "token");
      return this;
    }

    /** Serves TLS with a PEM certificate chain and its PEM private key. */
    public Builder tls(File certChain, File privateKey) throws IOException {
      this.credentials = TlsServerCredentials.create(certChain, privateKey);
      return this;
    }

    /** Serves with these credentials, such as {@link TlsServerCredentials} with client auth. */
    public Builder credentials(ServerCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials == null");
      return this;
    }

    /**
     * Allows binding a non-loopback address without a token or client certificates. Anyone who
     * reaches it may call.
     */
    public Builder insecure() {
      this.insecure = true;
      return this;
    }

    /** Bounds on message size, nesting, string and number length and argument count. */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits == null");
      return this;
    }

    /**
     * Whether a remote exception's message, stack and causes are sent (default true); false sends
     * only its class name, none of its text (a message can carry a path or a secret), for servers
     * whose clients are not trusted. The server's log has the whole exception either way.
     */
    public Builder sendTracebacks(boolean send) {
      this.sendTracebacks = send;
      return this;
    }

    /** How long {@code stop()} lets calls in flight finish; default 5 seconds. */
    public Builder gracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "grace == null");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("gracePeriod must not be negative, was " + grace);
      }
      this.gracePeriod = grace;
      return this;
    }

    /**
     * How long one streamed call ({@code Stream}, {@code Iterator} or {@code Iterable} result) may
     * last before the server ends it with DEADLINE_EXCEEDED and closes its source, like Pyro's
     * {@code ITER_STREAM_LIFETIME}; default 10 minutes.
     */
    public Builder streamLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime == null");
      if (lifetime.isNegative() || lifetime.isZero()) {
        throw new IllegalArgumentException("streamLifetime must be positive, was " + lifetime);
      }
      this.streamLifetime = lifetime;
      return this;
    }

    /**
     * How long {@code stop()} keeps serving new calls after health turns NOT_SERVING; default 0.
     * Give replicas behind health-checking clients or load balancers a delay longer than those
     * take to notice (milliseconds for ipc4j clients with a {@code target(...)}, which watch
     * health; a few health-check intervals for Envoy or Kubernetes probes), so that no call is
     * refused while they move to other replicas. With 0, new calls are refused before health
     * turns NOT_SERVING.
     */
    public Builder drainDelay(Duration delay) {
      Objects.requireNonNull(delay, "delay == null");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("drainDelay must not be negative, was " + delay);
      }
      this.drainDelay = delay;
      return this;
    }

    /**
     * Closes each client connection gracefully after about {@code age} (at least a second; grpc
     * adds ±10% jitter): calls in flight finish, and the client reconnects for the next ones,
     * resolving its target again. Behind a Kubernetes headless service or another DNS name, this
     * is how clients find replicas added since they connected. Default: connections live on. Not
     * for in-process servers.
     */
    public Builder maxConnectionAge(Duration age) {
      Objects.requireNonNull(age, "age == null");
      if (age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException("maxConnectionAge must be positive, was " + age);
      }
      this.maxConnectionAge = age;
      return this;
    }

    /** The most calls that run at once; default max(16, 4 × cores). */
    public Builder maxThreads(int threads) {
      if (threads <= 0) {
        throw new IllegalArgumentException("maxThreads must be positive, was " + threads);
      }
      this.maxThreads = threads;
      return this;
    }

    /**
     * The most calls that wait for a call thread when all {@link #maxThreads} are busy; default
     * {@value ServerLimits#DEFAULT_MAX_QUEUED_CALLS}. Beyond it a new call gets RESOURCE_EXHAUSTED
     * ("server busy: N calls queued for a thread ...") at once instead of waiting, so that a
     * burst of calls to a slow method cannot fill the heap. Health checks are never queued.
     */
    public Builder maxQueuedCalls(int calls) {
      this.maxQueuedCalls = ServerLimits.positive("maxQueuedCalls", calls);
      return this;
    }

    /**
     * The most request bytes the calls waiting for a thread may hold together; default 64 MiB.
     * A call that would pass it gets RESOURCE_EXHAUSTED ("server busy: the queued calls hold N
     * bytes ..."); a call waits alone whatever its size.
     */
    public Builder maxQueuedBytes(long bytes) {
      this.maxQueuedBytes = ServerLimits.positive("maxQueuedBytes", bytes);
      return this;
    }

    /**
     * The most oneway calls (waiting for a thread or running) per client connection and on the
     * whole server; default {@value ServerLimits#DEFAULT_MAX_ONEWAY_CALLS_PER_CONNECTION} and
     * {@value ServerLimits#DEFAULT_MAX_ONEWAY_CALLS}. Beyond them the sender gets
     * RESOURCE_EXHAUSTED and the server logs a warning (a few a minute), so that a client that
     * sends oneway calls and goes away leaves a bounded amount of work. An ipc4j client sends its
     * oneway calls one at a time.
     */
    public Builder maxOnewayCalls(int perConnection, int total) {
      ServerLimits.positive("maxOnewayCalls per connection", perConnection);
      this.maxOnewayCalls = ServerLimits.positive("maxOnewayCalls", total);
      this.maxOnewayCallsPerConnection = perConnection;
      return this;
    }

    /**
     * The most client connections open at once; default {@value
     * ServerLimits#DEFAULT_MAX_CONNECTIONS}. A connection beyond is closed as soon as it is
     * accepted (the client sees UNAVAILABLE) and a warning is logged (a few a minute). Not for
     * in-process servers.
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = ServerLimits.positive("maxConnections", connections);
      return this;
    }

    /**
     * The most calls (HTTP/2 streams) open at once on one connection; default {@value
     * ServerLimits#DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION}. A client's further calls wait
     * in its own transport until one ends. Not for in-process servers.
     */
    public Builder maxConcurrentCallsPerConnection(int calls) {
      this.maxConcurrentCallsPerConnection =
          ServerLimits.positive("maxConcurrentCallsPerConnection", calls);
      return this;
    }

    /**
     * Closes a connection gracefully (GOAWAY) when it has had no call for {@code idle}; default
     * 5 minutes. A client reconnects at its next call. Not for in-process servers.
     */
    public Builder maxConnectionIdle(Duration idle) {
      this.maxConnectionIdle = ServerLimits.positive("maxConnectionIdle", idle);
      return this;
    }

    /**
     * Closes a new connection that has not started HTTP/2 (and TLS) within {@code timeout};
     * default 20 seconds. A connection that sends nothing holds a file descriptor no longer.
     */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = ServerLimits.positive("handshakeTimeout", timeout);
      return this;
    }

    /**
     * The shortest interval at which clients may send keep-alive pings while they have calls
     * open; default 1 minute. A client that pings more often, or pings without calls, has its
     * connection closed (GOAWAY "too_many_pings"). ipc4j clients send no keep-alive pings. Not
     * for in-process servers.
     */
    public Builder permitKeepAliveTime(Duration time) {
      this.permitKeepAliveTime = ServerLimits.positive("permitKeepAliveTime", time);
      return this;
    }

    /**
     * The most stream resets (RST_STREAM: calls cancelled) a client may send within {@code
     * secondsPerWindow} seconds before its connection is closed; default {@value
     * ServerLimits#DEFAULT_MAX_RST_FRAMES} per second. It stops HTTP/2 "rapid reset" floods
     * (CVE-2023-44487), which make a server start and cancel calls without bound. Not for
     * in-process servers.
     */
    public Builder maxRstFramesPerWindow(int maxRstFrames, int secondsPerWindow) {
      ServerLimits.positive("maxRstFramesPerWindow seconds", secondsPerWindow);
      this.maxRstFrames = ServerLimits.positive("maxRstFramesPerWindow", maxRstFrames);
      this.rstWindowSeconds = secondsPerWindow;
      return this;
    }

    /**
     * How long a streamed call may wait for its reader to take more items; default 1 minute.
     * When the client reads nothing for that long, the server ends the stream with
     * DEADLINE_EXCEEDED and closes its source, so that what it buffered for the client is freed.
     */
    public Builder streamStallTimeout(Duration timeout) {
      this.streamStallTimeout = ServerLimits.positive("streamStallTimeout", timeout);
      return this;
    }

    /**
     * The most health {@code Watch} calls open per connection and on the whole server; default
     * {@value ServerLimits#DEFAULT_MAX_HEALTH_WATCHES_PER_CONNECTION} and {@value
     * ServerLimits#DEFAULT_MAX_HEALTH_WATCHES}. Beyond them a {@code Watch} gets
     * RESOURCE_EXHAUSTED. Health needs no token, so this bounds what anyone can make it hold;
     * service names longer than {@value ServerLimits#MAX_HEALTH_SERVICE_NAME} characters get
     * INVALID_ARGUMENT.
     */
    public Builder maxHealthWatches(int perConnection, int total) {
      ServerLimits.positive("maxHealthWatches per connection", perConnection);
      this.maxHealthWatches = ServerLimits.positive("maxHealthWatches", total);
      this.maxHealthWatchesPerConnection = perConnection;
      return this;
    }

    private ServerLimits serverLimits() {
      return new ServerLimits(maxQueuedCalls, maxQueuedBytes, maxOnewayCallsPerConnection,
          maxOnewayCalls, maxConnections, maxConcurrentCallsPerConnection, maxConnectionIdle,
          handshakeTimeout, permitKeepAliveTime, maxRstFrames, rstWindowSeconds,
          streamStallTimeout, maxHealthWatchesPerConnection, maxHealthWatches, maxReferences);
    }

    /**
     * The most references one session carries, both ways: the client's objects passed to {@link
     * io.ipc4j.core.Remote} parameters, and objects a method returned as a {@code @Remote}
     * interface; default {@value ServerLimits#DEFAULT_MAX_REFERENCES}. A call that would carry
     * more fails with RESOURCE_EXHAUSTED, so that no client can make the server hold more.
     */
    public Builder maxReferences(int maxReferences) {
      this.maxReferences = ServerLimits.positive("maxReferences", maxReferences);
      return this;
    }

    /**
     * Builds the server (not yet started). Applies the settings file, then checks protected
     * mode: a non-loopback address needs a way to tell clients apart, a token or TLS that requires
     * client certificates (TLS alone proves the server, not the client), or {@link #insecure()}.
     * For a Unix socket
     * server, host and port (also those of a settings file) do not apply.
     *
     * @throws IllegalArgumentException for a bad settings file, an unknown host or a bad exposure
     * @throws IllegalStateException when protected mode refuses the address, when nothing is
     *     exposed, or when both {@code inProcess} and {@code unixSocket} are set
     */
    public IpcServer build() {
      return new IpcServer(resolve());
    }

    /**
     * Everything the server will run with, resolved once: the settings file read (its values
     * win, without changing this builder), the host resolved, protected mode checked.
     */
    ServerConfig resolve() {
      SettingsOverlay file = SettingsOverlay.apply(settings, this.name, this.host, this.port,
          null, this.token, false, javaAllowList);
      String name = file.name();
      String host = file.host();
      int port = file.port();
      String token = file.token();
      List<String> serializers =
          file.serializer() != null ? List.of(file.serializer()) : this.serializers;
      if (inProcessName != null && unixSocket != null) {
        throw new IllegalStateException("both inProcess(\"" + inProcessName + "\") and unixSocket("
            + unixSocket + ") are set; choose one");
      }
      InetAddress address = null;
      if (inProcessName == null && unixSocket == null) {
        try {
          address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException("unknown host '" + host + "'", e);
        }
        if (!address.isLoopbackAddress() && token == null && !requiresClientCertificates()
            && !insecure) {
          throw new IllegalStateException("refusing to serve " + host + ":" + port
              + " (not loopback) without a token or client certificates"
              + (credentials != null ? " (TLS alone proves the server, not the client)" : "")
              + "; set token(...) or credentials(...) that require client certificates, or call"
              + " insecure() to let anyone who reaches it call your objects");
        }
      }
      return new ServerConfig(name, host, address, port, exposures, serializers, javaAllowList,
          concurrency, inProcessName, unixSocket, unixPermissions, token, credentials, limits,
          sendTracebacks, gracePeriod, drainDelay, streamLifetime, maxConnectionAge, maxThreads,
          serverLimits(), interceptors, observer);
    }

    /** Whether the TLS credentials make every client present a certificate (mutual TLS). */
    private boolean requiresClientCertificates() {
      return credentials instanceof TlsServerCredentials tls
          && tls.getClientAuth() == TlsServerCredentials.ClientAuth.REQUIRE;
    }

    /** Builds and starts the server; see {@link IpcServer#start()}. */
    public IpcServer start() throws IOException {
      return build().start();
    }

    /** {@code name}, if a serializer by that name exists; else an error naming the file. */
    private static String requireName(String value, String what) {
      Objects.requireNonNull(value, what + " == null");
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, was " + port);
      }
      return port;
    }
  }
}
