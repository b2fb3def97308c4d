package io.ipc4j.cli;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.TlsChannelCredentials;
import io.ipc4j.client.IpcClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The options of the commands that call a server ({@code --serializer --deadline --target} and
 * TLS), and the client they describe together with the {@link ConnectionOptions}.
 */
final class ClientOptions {
  @Option(names = "--serializer", paramLabel = "NAME",
      description = "How arguments and results travel: json or cbor (default: ${DEFAULT-VALUE}).")
  String serializer = "json";

  @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long the call may take, e.g. 500ms, 30s, 2m (default: 30s).")
  Duration deadline = Duration.ofSeconds(30);

  @Option(names = "--target", paramLabel = "TARGET",
      description = "Any gRPC target instead of --host and --port: unix:///path/ipc.sock, "
          + "static:///host1:9099,host2:9099 or dns:///host:9099 (replicas are called "
          + "round-robin).")
  String target;

  @Option(names = "--tls",
      description = "Use TLS, trusting the system's certificate authorities (implied by the "
          + "other --tls options).")
  boolean tls;

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "Use TLS, trusting the certificate authorities in this PEM file.")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Use TLS with this client certificate chain (PEM), for servers that "
          + "require one; needs --tls-key.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "The private key (PEM, PKCS#8) of --tls-cert.")
  Path tlsKey;

  /**
   * A client for {@code connection} and these options; {@code spec} is the command's, for usage
   * errors. The client builder applies the settings file.
   *
   * @throws ParameterException when options that do not go together are given
   * @throws IllegalArgumentException for a bad value, settings file or TLS file, naming it
   */
  IpcClient client(ConnectionOptions connection, CommandSpec spec,
      ClientInterceptor... interceptors) {
    IpcClient.Builder b = IpcClient.builder().name(connection.name).deadline(deadline)
        .serializer(serializer).intercept(interceptors);
    if (target != null) {
      ParseResult parsed = spec.commandLine().getParseResult();
      if (parsed.hasMatchedOption("--host") || parsed.hasMatchedOption("--port")) {
        throw new ParameterException(spec.commandLine(),
            "--target names the server's address; it cannot be used with --host or --port");
      }
      b.target(target);
    } else {
      b.host(connection.host).port(connection.port);
    }
    if (connection.token() != null) {
      b.token(connection.token());
    }
    boolean secure = tls || tlsCa != null || tlsCert != null || tlsKey != null;
    if (secure) {
      b.credentials(tlsCredentials(spec));
    }
    if (connection.settings != null) {
      b.settings(connection.settings);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      if (!secure || e.getMessage() == null || e.getMessage().startsWith("settings file ")) {
        throw e;
      }
      // grpc reads the PEM in the --tls files only when it makes the channel
      throw new IllegalArgumentException("cannot use TLS with " + tlsFiles() + ": "
          + CallFailures.rootMessage(e).replaceFirst("^Unable to create SslContext: ", ""), e);
    }
  }

  /** The TLS files given, as options: {@code --tls-ca ca.pem --tls-cert me.pem ...}. */
  private String tlsFiles() {
    StringBuilder s = new StringBuilder();
    if (tlsCa != null) {
      s.append(" --tls-ca ").append(tlsCa);
    }
    if (tlsCert != null) {
      s.append(" --tls-cert ").append(tlsCert).append(" --tls-key ").append(tlsKey);
    }
    return s.length() == 0 ? "--tls" : s.substring(1);
  }

  private ChannelCredentials tlsCredentials(CommandSpec spec) {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(spec.commandLine(),
          "--tls-cert and --tls-key go together: give the client certificate and its key");
    }
    TlsChannelCredentials.Builder t = TlsChannelCredentials.newBuilder();
    try {
      if (tlsCa != null) {
        t.trustManager(PemFiles.readable("--tls-ca", tlsCa));
      }
      if (tlsCert != null) {
        t.keyManager(PemFiles.readable("--tls-cert", tlsCert),
            PemFiles.readable("--tls-key", tlsKey));
      }
    } catch (IOException e) {
      throw PemFiles.unreadable("the --tls files", e);
    }
    return t.build();
  }
}
