package io.ipc4j.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.IpcDefaults;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Formats;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.core.internal.SettingsOverlay;
import io.ipc4j.core.internal.WireHeaders;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Calls the objects an ipc4j server exposes.
 *
 * <pre>{@code
 * try (IpcClient client = new IpcClient()) {               // kodi-IPC at localhost:9099
 *   Object v = client.getExposedObject().call("get", "greeting");
 *   Calc calc = client.getExposedObject("calc", Calc.class);
 *   int sum = calc.add(1, 2);
 * }
 * }</pre>
 *
 * <p>Thread-safe: one client serves any number of proxies and threads over one gRPC channel.
 * Failures are unchecked {@link IpcException}s.
 */
public final class IpcClient implements AutoCloseable {
  /**
   * How long {@link #serverAvailable()} waits for an answer. Nothing listening is answered at once
   * (the connection is refused); this bounds a server that is slow to answer, such as a busy one
   * on a loaded machine, where one second proved too short for a first connection.
   */
  private static final Duration AVAILABLE_TIMEOUT = Duration.ofSeconds(3);
  /** How long {@link #close()} lets calls in flight finish before it cancels them. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

  private final String name;
  private final String target;
  private final ManagedChannel channel;
  private final ClientInterceptor[] interceptors;
  private final ActiveCalls activeCalls = new ActiveCalls();
  private final Invoker invoker;
  /** Each interface's parsed remote methods, shared by all its proxies from this client. */
  private final Map<Class<?>, Map<Method, ProxyMethod>> proxyTables = new ConcurrentHashMap<>();

  /** The parsed method table of {@code iface}'s proxies, if one was made (for tests). */
  Map<Method, ProxyMethod> proxyTable(Class<?> iface) {
    return proxyTables.get(iface);
  }

  /**
   * A client with script.module.ipc's defaults: object {@value IpcDefaults#NAME} at
   * localhost:9099, json. The same as {@code IpcClient.builder().build()}.
   */
  public IpcClient() {
    this(builder().resolve());
  }

  private IpcClient(ClientConfig config) {
    this.name = config.name();
    this.target = config.where();
    this.channel = ClientChannels.open(config);
    List<ClientInterceptor> all = new ArrayList<>(config.interceptors());
    all.add(activeCalls);
    if (config.token() != null) {
      all.add(new BearerToken(config.token()));
    }
    this.interceptors = all.toArray(new ClientInterceptor[0]);
    List<String> readable = Serializers.readable(config.serializer(), config.javaAllowList());
    Serializers serializers = Serializers.of(readable, config.limits(), config.javaAllowList());
    this.callbacks = new CallbackPool(config.callbackThreads());
    ClientReferences.Settings references = new ClientReferences.Settings(serializers,
        serializers.get(config.serializer()), config.deadline(), config.maxReferences(), target,
        callbacks, config.limits());
    this.invoker = new Invoker(channel, interceptors, serializers, config.serializer(),
        config.deadline(), target, config.limits().maxDepth(), config.limits().maxMessageSize(),
        config.sessions(), config.observer(), references);
  }

  /** Runs the server's calls to this client's objects. */
  private final CallbackPool callbacks;

  /** A builder for a client with other settings than the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The default object (the client's name), to call by method name. */
  public RemoteObject getExposedObject() {
    return new RemoteObject(invoker, name);
  }

  /** The object the server exposes as {@code name}, to call by method name. */
  public RemoteObject getExposedObject(String name) {
    return new RemoteObject(invoker, Objects.requireNonNull(name, "name == null"));
  }

  /** A typed proxy for the default object; see {@link #getExposedObject(String, Class)}. */
  public <T> T getExposedObject(Class<T> iface) {
    return getExposedObject(name, iface);
  }

  /**
   * A thread-safe proxy that calls {@code name}'s methods through {@code iface}. Each abstract
   * method is a remote call returning its generic return type; {@code equals}, {@code hashCode},
   * {@code toString} and default methods run locally. A remote exception whose class the method
   * declares in {@code throws} is rebuilt as that class; any other is an {@link
   * IpcRemoteException}. Where {@code iface} overloads a name at one arity, the proxy sends the
   * parameter types, so that the server calls the same overload; otherwise the server chooses by
   * the arguments. A method returning {@code CompletableFuture<T>} (or {@code CompletionStage},
   * {@code Future}) is called asynchronously; a {@code void} method annotated {@link
   * io.ipc4j.core.Oneway} returns at once; one returning {@code Stream<T>}, {@code Iterator<T>} or
   * {@code Iterable<T>} reads the items lazily as the server streams them.
   *
   * @throws IllegalArgumentException when {@code iface} is not an interface, or an {@code @Oneway}
   *     method does not return void (the message names interface and method)
   */
  public <T> T getExposedObject(String name, Class<T> iface) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(iface, "iface == null");
    if (!iface.isInterface()) {
      throw new IllegalArgumentException(iface.getName() + " is not an interface");
    }
    // A failed parse throws out of computeIfAbsent and is not cached.
    Map<Method, ProxyMethod> methods = proxyTables.computeIfAbsent(iface, ProxyHandler::parse);
    Object proxy = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
        new ProxyHandler(invoker, iface, methods, name, target));
    return iface.cast(proxy);
  }

  /**
   * Whether the server is there and serves this client's object: asks the standard health
   * service. Answers at once when nothing listens, and waits at most three seconds for a slow
   * server. Never throws.
   */
  public boolean serverAvailable() {
    try {
      Invoker.reconnectIfFailed(channel);
      HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
          .withInterceptors(interceptors)
          .withDeadlineAfter(AVAILABLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.newBuilder().setService(name).build());
      return response.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
    } catch (RuntimeException e) {
      return false; // StatusRuntimeException, or a channel already shut down
    }
  }

  /**
   * The last remote traceback a call on this thread received (script.module.ipc's {@code
   * get_traceback}), or null when none has failed remotely yet.
   */
  public static String getTraceback() {
    return Failures.lastTraceback.get();
  }

  /** The name of the default object. */
  public String name() {
    return name;
  }

  /** Where this client connects, as a gRPC target or {@code in-process:NAME}. */
  public String target() {
    return target;
  }

  /**
   * Shuts the channel down: oneway calls still queued get a second to reach the server, calls in
   * flight a second to finish, then they are cancelled. Idempotent.
   */
  @Override
  public void close() {
    try {
      // Oneway calls queued just before close() still reach the server, within the grace period.
      invoker.awaitOnewayCalls(CLOSE_GRACE);
      invoker.closeSession(CLOSE_GRACE);
      channel.shutdown();
      activeCalls.awaitIdle(CLOSE_GRACE);
      // Nothing left to wait for: end at once what the channel would keep a while longer (a
      // connection it dropped while idle lingers for seconds).
      channel.shutdownNow();
      channel.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      callbacks.shutdown();
    }
  }

  /**
   * Waits until the channel has terminated after {@link #close()}, at most {@code timeout}, and
   * answers whether it has: then no thread or connection of this client is left. Before {@code
   * close()} it waits the whole timeout and answers false.
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout == null");
    return channel.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "IpcClient{" + name + " at " + target + "}";
  }

  /** Sends {@code authorization: Bearer <token>} with every call. */
  private static final class BearerToken implements ClientInterceptor {
    private final String value;

    BearerToken(String token) {
      this.value = WireHeaders.BEARER + token;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          headers.put(WireHeaders.AUTHORIZATION, value);
          super.start(listener, headers);
        }
      };
    }
  }

  /** The most references a session carries unless {@link Builder#maxReferences} says. */
  public static final int DEFAULT_MAX_REFERENCES = 1000;
  /** The callback threads of a client unless {@link Builder#callbackThreads} says. */
  public static final int DEFAULT_CALLBACK_THREADS = 16;

  /** Builds an {@link IpcClient}. Setters reject nulls and bad values at once. */
  public static final class Builder {
    private String name = IpcDefaults.NAME;
    private String host = IpcDefaults.HOST;
    private int port = IpcDefaults.PORT;
    private String target;
    private String inProcessName;
    private Path settings;
    private String serializer = IpcDefaults.SERIALIZER;
    private Duration deadline = Duration.ofSeconds(30);
    private String token;
    private ChannelCredentials credentials;
    private Limits limits = Limits.defaults();
    private List<String> javaAllowList = List.of();
    private final List<ClientInterceptor> interceptors = new ArrayList<>();
    /** Null: on, unless the target names replicas. */
    private Boolean sessions;
    private CallObserver observer;
    private int maxReferences = DEFAULT_MAX_REFERENCES;
    private int callbackThreads = DEFAULT_CALLBACK_THREADS;

    private Builder() {}

    /**
     * Adds gRPC interceptors to every call this client makes (tracing, metrics, fault injection
     * in tests). The first one added runs closest to the network.
     */
    public Builder intercept(ClientInterceptor... interceptors) {
      for (ClientInterceptor i : interceptors) {
        this.interceptors.add(Objects.requireNonNull(i, "interceptor == null"));
      }
      return this;
    }

    /** The default object's name; default {@value IpcDefaults#NAME}. */
    public Builder name(String name) {
      this.name = require(name, "name");
      return this;
    }

    /** The server's host; default {@value IpcDefaults#HOST}. */
    public Builder host(String host) {
      this.host = require(host, "host");
      return this;
    }

    /** The server's port; default {@value IpcDefaults#PORT}. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1-65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Any gRPC target instead of host and port:
     *
     * <ul>
     *   <li>{@code dns:///svc.local:9099}: every address the name resolves to is a replica;
     *   <li>{@code static:///host1:9099,host2:9099}: a fixed list of replicas;
     *   <li>{@code unix:///run/user/1000/ipc.sock}: a server on a Unix domain socket (Linux).
     * </ul>
     *
     * <p>Calls are balanced round-robin across the replicas that are healthy: the client watches
     * each replica's standard health service for its object {@link #name}, and a replica that
     * answers NOT_SERVING (it is stopping) or cannot be reached gets no calls until it serves
     * again. A replica without a health service counts as healthy while it is reachable.
     *
     * @throws IllegalArgumentException for a {@code static:} list that is not host:port pairs
     */
    public Builder target(String target) {
      require(target, "target");
      if (StaticResolverProvider.isStatic(target)) {
        StaticResolverProvider.parse(target);
      }
      this.target = target;
      return this;
    }

    /** Connects to an in-process server of this name (for tests). */
    public Builder inProcess(String name) {
      this.inProcessName = require(name, "inProcess name");
      return this;
    }

    /**
     * Reads name, host, port, serializer and token from a Kodi settings.xml or a .properties
     * file when the client is built; values in the file supersede those set here (a host or port
     * in the file also replaces a {@link #target}).
     */
    public Builder settings(Path file) {
      this.settings = Objects.requireNonNull(file, "file == null");
      return this;
    }

    /**
     * The serializer for arguments and results: {@code json} (default), {@code cbor}, {@code
     * java} with {@link #javaSerialization}, or one registered through a {@code
     * Serializer.Factory}.
     */
    public Builder serializer(String name) {
      require(name, "serializer");
      Serializers.checkName(name);
      this.serializer = name;
      return this;
    }

    /**
     * Lets this client use and read Java serialization ({@code serializer("java")}), reading
     * only the classes {@code allowList} names (as {@link java.io.ObjectInputFilter} patterns).
     * Off by default; see the server's option of the same name.
     *
     * @throws IllegalArgumentException for an empty allow-list
     */
    public Builder javaSerialization(String... allowList) {
      List<String> list = List.of(allowList);
      if (list.isEmpty()) {
        throw new IllegalArgumentException("javaSerialization needs the classes it may read");
      }
      this.javaAllowList = list;
      return this;
    }

    /**
     * How long one call may take before it fails with {@link IpcDeadlineExceededException};
     * default 30 s.
     */
    public Builder deadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline == null");
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive, was " + deadline);
      }
      this.deadline = deadline;
      return this;
    }

    /** Sends {@code authorization: Bearer <token>} with every call. */
    public Builder token(String token) {
      this.token = require(token, "token");
      return this;
    }

    /** Uses TLS, trusting the system's certificate authorities. */
    public Builder tls() {
      this.credentials = TlsChannelCredentials.create();
      return this;
    }

    /** Uses TLS, trusting the PEM certificate authorities in {@code caCertificates}. */
    public Builder trust(File caCertificates) throws IOException {
      this.credentials = TlsChannelCredentials.newBuilder().trustManager(caCertificates).build();
      return this;
    }

    /** Uses these channel credentials, such as {@link TlsChannelCredentials} with a client key. */
    public Builder credentials(ChannelCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials == null");
      return this;
    }

    /**
     * Sends blocking, asynchronous and oneway calls as messages on one long-lived stream (the
     * {@code Session} RPC) instead of one {@code Invoke} call each, so that a small call costs no
     * stream setup of its own; streaming calls still use {@code InvokeStream}. A server without
     * sessions is called with {@code Invoke} instead, as is a call made while the session already
     * has 256 calls in flight, or whose request is over 64 KiB.
     *
     * <p>On by default, except for a {@link #target} that may name several replicas ({@code dns:},
     * {@code static:} and other targets, {@code unix:} excepted): there each call is balanced on
     * its own, whereas a session stays on the replica it opened on. False sends every call with
     * {@code Invoke}, which a {@link ClientInterceptor} then sees as an RPC of its own.
     */
    public Builder sessions(boolean sessions) {
      this.sessions = sessions;
      return this;
    }

    /**
     * Tells {@code observer} of every call by object and method, with {@code Invoke}, on a session
     * or oneway (for metrics and traces, such as ipc-opentelemetry's); the metadata it adds
     * (trace context) travels with the call. Unless called, nothing is observed and nothing paid.
     */
    public Builder observe(CallObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer == null");
      return this;
    }

    /**
     * The most references one session carries, both ways: objects of this client passed to
     * {@link io.ipc4j.core.Remote} parameters, and proxies of the server's objects; default
     * {@value IpcClient#DEFAULT_MAX_REFERENCES}. A call that would carry more fails with
     * RESOURCE_EXHAUSTED; release references ({@link io.ipc4j.core.RemoteReference#release()})
     * to make room.
     */
    public Builder maxReferences(int maxReferences) {
      if (maxReferences < 1) {
        throw new IllegalArgumentException("maxReferences must be positive, was "
            + maxReferences);
      }
      this.maxReferences = maxReferences;
      return this;
    }

    /**
     * How many threads run the server's calls to this client's objects (callbacks); default
     * {@value IpcClient#DEFAULT_CALLBACK_THREADS}. They never run on the transport's thread, and
     * may call the server again. Calls beyond them wait, up to 10,000; more are refused.
     */
    public Builder callbackThreads(int callbackThreads) {
      if (callbackThreads < 1) {
        throw new IllegalArgumentException("callbackThreads must be positive, was "
            + callbackThreads);
      }
      this.callbackThreads = callbackThreads;
      return this;
    }

    /** Bounds on what the server may send back. */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits == null");
      return this;
    }

    /**
     * Builds the client. The channel connects lazily, so this succeeds with no server running.
     *
     * @throws IllegalArgumentException for a bad settings file or target
     * @throws IllegalStateException for a {@code unix:} target where Netty's native epoll
     *     transport is not available (it is on Linux x86_64 and aarch64)
     */
    public IpcClient build() {
      return new IpcClient(resolve());
    }

    /**
     * Everything the client will run with, resolved once: the settings file read (its values
     * win, without changing this builder).
     */
    ClientConfig resolve() {
      SettingsOverlay file = SettingsOverlay.apply(settings, this.name, this.host, this.port,
          this.serializer, this.token, true, javaAllowList);
      String name = file.name();
      String host = file.host();
      int port = file.port();
      String serializer = file.serializer();
      String token = file.token();
      // The file's address supersedes a target set here.
      String target = file.addressFromFile() ? null : this.target;
      if (Formats.needsAllowList(serializer) && javaAllowList.isEmpty()) {
        throw new IllegalStateException("serializer '" + serializer + "' needs"
            + " javaSerialization(allowList): Java serialization is off unless it names the"
            + " classes it may read");
      }
      String dialled = inProcessName != null ? null
          : target != null ? target
          : (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
      return new ClientConfig(name, dialled, target != null, inProcessName, serializer, deadline,
          token, credentials, limits, javaAllowList, interceptors,
          sessions != null ? sessions
              : target == null || target.regionMatches(true, 0, "unix:", 0, 5),
          observer, maxReferences, callbackThreads);
    }

    private static String require(String value, String what) {
      Objects.requireNonNull(value, what + " == null");
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }
  }

}
