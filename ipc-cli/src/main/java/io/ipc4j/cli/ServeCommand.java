package io.ipc4j.cli;

import io.grpc.TlsServerCredentials;
import io.ipc4j.core.internal.SettingsOverlay;
import io.ipc4j.datastore.DataStore;
import io.ipc4j.datastore.FileDataStore;
import io.ipc4j.server.IpcServer;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.BindException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ipc serve}: serves the built-in data store, or any class with a public no-argument
 * constructor, until Ctrl-C or SIGTERM stops it gracefully.
 */
@Command(name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Serves the built-in data store, or any class with a public no-argument constructor.",
        "%nWith no arguments, serves the built-in key-value data store "
            + "(io.ipc4j.datastore.DataStore) as kodi-IPC on localhost:9099, keeping its "
            + "persistent entries in a per-user data directory. With --expose, serves a new "
            + "instance of CLASS instead: all its public methods.",
        "%nPrints one line once serving (with the real port when --port is 0) and serves until "
            + "Ctrl-C or SIGTERM, which stop it gracefully: calls in flight finish, then the "
            + "object is closed (the data store saves its entries)."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
        "0:stopped (when stopped by Ctrl-C or SIGTERM, the JVM exits with 130 or 143)",
        "2:usage error: bad option, settings file, TLS file or class to expose; a host that is"
            + " not loopback without --tls-cert/--tls-key, --token or --insecure",
        "4:the server could not start: port taken, data directory unusable, constructor threw"})
final class ServeCommand implements Callable<Integer> {
  private final ShutdownHooks hooks;

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the data store keeps its persistent entries (default: "
          + "$XDG_DATA_HOME/ipc4j or ~/.local/share/ipc4j; ~/Library/Application Support/ipc4j "
          + "on macOS; %%APPDATA%%\\ipc4j on Windows).")
  Path dataDir;

  @Option(names = "--expose", paramLabel = "CLASS",
      description = "Serve a new instance of this class instead of the data store: all its "
          + "public methods.")
  String expose;

  @Option(names = {"--classpath", "-cp"}, paramLabel = "PATH[:PATH...]",
      description = "Directories and jars to load the --expose class from (repeatable).")
  List<String> classpath = new ArrayList<>();

  @Option(names = "--insecure",
      description = "Allow binding a host other than loopback without a token or client "
          + "certificates: anyone who reaches it may call the object.")
  boolean insecure;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Serve TLS with this certificate chain (PEM); needs --tls-key.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "The private key (PEM, PKCS#8) of --tls-cert.")
  Path tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "FILE",
      description = "Mutual TLS: require a client certificate signed by a certificate authority"
          + " in this PEM file.")
  Path tlsClientCa;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics on http://HOST:PORT/metrics, on the host the "
          + "server binds (0 = any free port, printed). OTEL_* variables set up OTLP export "
          + "(OTEL_TRACES_EXPORTER=otlp ...); see docs/observability.md.")
  Integer metricsPort;

  private ServeTelemetry telemetry;

  ServeCommand(ShutdownHooks hooks) {
    this.hooks = hooks;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (expose == null && !classpath.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--classpath needs --expose CLASS");
    }
    if (expose != null && dataDir != null) {
      throw new ParameterException(spec.commandLine(),
          "--data-dir is for the data store; it cannot be used with --expose");
    }
    IpcServer.Builder builder = IpcServer.builder().name(connection.name).host(connection.host)
        .port(connection.port);
    if (connection.token() != null) {
      builder.token(connection.token());
    }
    tls(builder);
    if (insecure) {
      builder.insecure();
    }
    if (connection.settings != null) {
      builder.settings(connection.settings);
    }
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw new ParameterException(spec.commandLine(),
          "--metrics-port " + metricsPort + " is not a port: give 0 to 65535");
    }
    telemetry = ServeTelemetry.create(metricsPort != null, System.getenv(),
        () -> withSettings().name());
    try {
      if (telemetry.observer() != null) {
        builder.observe(telemetry.observer());
      }
      return expose == null ? serveDataStore(builder, out, err) : serveClass(builder, out, err);
    } finally {
      telemetry.close();
    }
  }

  /** Serves TLS when {@code --tls-cert} and {@code --tls-key} say so, with clients' too. */
  private void tls(IpcServer.Builder builder) {
    if (tlsCert == null && tlsKey == null && tlsClientCa == null) {
      return;
    }
    if (tlsCert == null || tlsKey == null) {
      String what = tlsClientCa != null ? "--tls-client-ca needs --tls-cert and --tls-key"
          : "--tls-cert and --tls-key go together";
      throw new ParameterException(spec.commandLine(),
          what + ": give the server's certificate chain and its private key");
    }
    TlsServerCredentials.Builder t = TlsServerCredentials.newBuilder();
    try {
      t.keyManager(PemFiles.readable("--tls-cert", tlsCert),
          PemFiles.readable("--tls-key", tlsKey));
      if (tlsClientCa != null) {
        t.trustManager(PemFiles.readable("--tls-client-ca", tlsClientCa))
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
    } catch (IOException e) {
      throw PemFiles.unreadable("the --tls files", e);
    }
    builder.credentials(t.build());
  }

  private int serveDataStore(IpcServer.Builder builder, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    // Exposing an interface's methods takes a name: the server's, which a settings file may set.
    String name = withSettings().name();
    Path dir = dataDir != null ? dataDir : FileDataStore.defaultDataDir();
    FileDataStore store;
    try {
      store = new FileDataStore(dir);
    } catch (UncheckedIOException e) {
      err.println("ipc: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    builder.expose(name, store, DataStore.class);
    String what = DataStore.class.getName() + ", data in " + store.dataDir();
    return serve(builder, store, what, out, err);
  }

  private int serveClass(IpcServer.Builder builder, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    try (URLClassLoader loader = new URLClassLoader(urls(), Main.class.getClassLoader())) {
      Object object = instantiate(loadClass(loader));
      builder.expose(object);
      return serve(builder, object, expose, out, err);
    } catch (ConstructorException e) {
      err.println("ipc: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the class loader of " + expose, e);
    }
  }

  /**
   * The name and port the server will have once the builder applies the settings file (the same
   * code applies it): for what the server cannot say before it is built or started.
   */
  private SettingsOverlay withSettings() {
    return SettingsOverlay.apply(connection.settings, connection.name, connection.host,
        connection.port, null, null, false, List.of());
  }

  private URL[] urls() {
    List<URL> urls = new ArrayList<>();
    for (String entries : classpath) {
      for (String entry : entries.split(File.pathSeparator)) {
        if (entry.isEmpty()) {
          continue;
        }
        Path path = Path.of(entry);
        if (!Files.exists(path)) {
          throw new IllegalArgumentException("classpath entry '" + entry + "' does not exist");
        }
        try {
          urls.add(path.toAbsolutePath().toUri().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalArgumentException("classpath entry '" + entry + "': " + e.getMessage(),
              e);
        }
      }
    }
    return urls.toArray(new URL[0]);
  }

  private Class<?> loadClass(ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(expose, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("class " + expose + " not found" + (classpath.isEmpty()
          ? "; give its directory or jar with --classpath"
          : " on the classpath " + String.join(File.pathSeparator, classpath)));
    } catch (LinkageError e) {
      throw new IllegalArgumentException("cannot load class " + expose + ": " + e, e);
    }
    int modifiers = type.getModifiers();
    if (type.isInterface() || Modifier.isAbstract(modifiers)) {
      throw new IllegalArgumentException("class " + expose
          + " is abstract or an interface; name a class that can be instantiated");
    }
    if (!Modifier.isPublic(modifiers)) {
      throw new IllegalArgumentException("class " + expose + " is not public");
    }
    return type;
  }

  private Object instantiate(Class<?> type) throws ConstructorException {
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("class " + expose
          + " has no public no-argument constructor", e);
    }
    try {
      return constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw new ConstructorException("new " + expose + "() threw " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new ConstructorException("cannot create " + expose + ": " + e, e);
    }
  }

  /** Starts the server, says so, and waits until the shutdown hook has stopped it. */
  private int serve(IpcServer.Builder builder, Object object, String what, PrintWriter out,
      PrintWriter err) throws InterruptedException {
    IpcServer server;
    try {
      server = builder.build();
    } catch (IllegalStateException e) {
      close(object, err);
      throw new IllegalArgumentException(protectedMode(e.getMessage()), e);
    } catch (RuntimeException e) {
      close(object, err);
      throw e;
    }
    try {
      server.start();
    } catch (IOException e) {
      close(object, err);
      int port = withSettings().port();
      err.println("ipc: cannot serve " + server.name() + " on " + address(server.host(), port)
          + ": " + (portTaken(e) ? "the port is taken (address already in use)"
              : CallFailures.rootMessage(e)));
      err.flush();
      return ExitCodes.FAILED;
    } catch (IllegalArgumentException e) {
      close(object, err);
      if (tlsCert == null) {
        throw e;
      }
      // grpc reads the PEM in the --tls files only now
      throw new IllegalArgumentException("cannot serve TLS with --tls-cert " + tlsCert
          + " and --tls-key " + tlsKey + ": " + CallFailures.rootMessage(e), e);
    }
    String metrics = "";
    if (metricsPort != null) {
      try {
        metrics = " - metrics on http://"
            + address(server.host(), telemetry.serveMetrics(server.host(), metricsPort))
            + "/metrics";
      } catch (IOException e) {
        server.stop();
        err.println("ipc: cannot serve metrics on " + address(server.host(), metricsPort) + ": "
            + (portTaken(e) ? "the port is taken (address already in use)"
                : CallFailures.rootMessage(e)));
        err.flush();
        return ExitCodes.FAILED;
      }
    }
    hooks.add(new Thread(() -> {
      server.stop();
      telemetry.close();
      out.println("ipc4j stopped " + server.name());
      out.flush();
    }, "ipc-serve-stop"));
    out.println("ipc4j serving " + server.name() + " (" + what + ") on "
        + address(server.host(), server.port()) + metrics + " - Ctrl-C to stop");
    out.flush();
    server.awaitTermination();
    return ExitCodes.OK;
  }

  /**
   * The server's refusal to bind a non-loopback address unprotected, with the options that
   * protect it in place of the builder's methods.
   */
  private static String protectedMode(String message) {
    if (!message.startsWith("refusing to serve ")) {
      return message;
    }
    return message.replaceFirst(";.*", "") + "; give --token TOKEN, or --tls-cert FILE --tls-key"
        + " FILE --tls-client-ca FILE (mutual TLS), or --insecure to let anyone who reaches it"
        + " call the object";
  }

  /** {@code host:port}, bracketing an IPv6 literal. */
  private static String address(String host, int port) {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Whether {@code e} says the port is taken, as a {@link BindException} or Netty's own. */
  private static boolean portTaken(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static void close(Object object, PrintWriter err) {
    if (object instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        err.println("ipc: closing " + object + " failed: " + e);
      }
    }
  }

  /** The class to expose could not be created. */
  private static final class ConstructorException extends Exception {
    private static final long serialVersionUID = 1L;

    ConstructorException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
