package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.TlsServerCredentials.ClientAuth;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcUnavailableException;
import io.ipc4j.server.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS over real TCP, with a CA, server and client certificates that keytool makes
 * for this run. Every client has a short deadline, so a failing handshake can never hang a test.
 */
class TlsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  @TempDir static Path certificateDir;
  private static TestCertificates certificates;

  /** The object the servers expose. */
  public static final class Store {
    private final Map<String, String> values = Map.of("greeting", "hello");

    public String get(String key) {
      return values.get(key);
    }
  }

  @BeforeAll
  static void makeCertificates() throws Exception {
    certificates = TestCertificates.create(certificateDir);
  }

  @Test
  void callsWorkOverTls() throws Exception {
    try (IpcServer server = tlsServer(serverTls().build(), null);
        IpcClient client = client(server.port(), clientTls().build())) {
      assertEquals("hello", client.getExposedObject().call("get", "greeting"));
      assertTrue(client.serverAvailable());
    }
  }

  @Test
  void pemFilesServeAndTrust() throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Store()).port(0)
            .tls(certificates.serverCertificatePem().toFile(),
                certificates.serverKeyPem().toFile())
            .start();
        IpcClient client = IpcClient.builder().port(server.port()).deadline(DEADLINE)
            .trust(certificates.caPem().toFile()).build()) {
      assertEquals("hello", client.getExposedObject().call("get", "greeting"));
    }
  }

  @Test
  void plaintextClientIsRefusedAsUnavailable() throws Exception {
    try (IpcServer server = tlsServer(serverTls().build(), null);
        IpcClient client = IpcClient.builder().port(server.port()).deadline(DEADLINE).build()) {
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject().call("get", "greeting"));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatusCode());
      assertFalse(client.serverAvailable());
    }
  }

  @Test
  void clientThatDoesNotTrustTheCaFails() throws Exception {
    ChannelCredentials untrusting = TlsChannelCredentials.newBuilder()
        .trustManager(certificates.unrelatedTrustManagers()).build();
    try (IpcServer server = tlsServer(serverTls().build(), null);
        IpcClient client = client(server.port(), untrusting)) {
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject().call("get", "greeting"));
      assertCause(SSLHandshakeException.class, e);
    }
  }

  @Test
  void mutualTlsRefusesClientWithoutCertificate() throws Exception {
    ServerCredentials mutual = serverTls().clientAuth(ClientAuth.REQUIRE).build();
    try (IpcServer server = tlsServer(mutual, null);
        IpcClient client = client(server.port(), clientTls().build())) {
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject().call("get", "greeting"));
      assertCauseMessage("certificate_required", e);
    }
  }

  @Test
  void mutualTlsAcceptsClientCertificateAndServerSeesItsSubject() throws Exception {
    ServerCredentials mutual = serverTls().clientAuth(ClientAuth.REQUIRE).build();
    AtomicReference<String> peer = new AtomicReference<>();
    try (IpcServer server = tlsServer(mutual, new PeerRecorder(peer));
        IpcClient client = client(server.port(),
            clientTls().keyManager(certificates.clientKeyManagers()).build())) {
      assertEquals("hello", client.getExposedObject().call("get", "greeting"));
      assertEquals(TestCertificates.CLIENT_SUBJECT, peer.get());
    }
  }

  @Test
  void tlsAloneMayNotBindAllAddresses() throws Exception {
    // TLS proves the server to the client; without client certificates or a token, anyone who
    // reaches the port may still call.
    IpcServer.Builder builder = IpcServer.builder().expose(new Store()).host("0.0.0.0").port(0)
        .credentials(serverTls().build());
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertEquals("refusing to serve 0.0.0.0:0 (not loopback) without a token or client"
        + " certificates (TLS alone proves the server, not the client); set token(...) or"
        + " credentials(...) that require client certificates, or call insecure() to let anyone"
        + " who reaches it call your objects", e.getMessage());
  }

  @Test
  void mutualTlsServerMayBindAllAddresses() throws Exception {
    ServerCredentials mutual = serverTls().clientAuth(ClientAuth.REQUIRE).build();
    try (IpcServer server = IpcServer.builder().expose(new Store()).host("0.0.0.0").port(0)
            .credentials(mutual).start();
        IpcClient client = IpcClient.builder().target("127.0.0.1:" + server.port())
            .deadline(DEADLINE).credentials(
                clientTls().keyManager(certificates.clientKeyManagers()).build()).build()) {
      assertEquals("hello", client.getExposedObject().call("get", "greeting"));
    }
  }

  @Test
  void tlsWithATokenMayBindAllAddresses() throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Store()).host("0.0.0.0").port(0)
            .credentials(serverTls().build()).token("t0ken").start();
        IpcClient client = IpcClient.builder().target("127.0.0.1:" + server.port())
            .deadline(DEADLINE).credentials(clientTls().build()).token("t0ken").build()) {
      assertEquals("hello", client.getExposedObject().call("get", "greeting"));
    }
  }

  @Test
  void certificateMustNameTheAddressDialled() throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Store()).host("0.0.0.0").port(0)
            .credentials(serverTls().build()).token("t0ken").start();
        IpcClient client = IpcClient.builder().target("127.0.0.2:" + server.port())
            .deadline(DEADLINE).credentials(clientTls().build()).token("t0ken").build()) {
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject().call("get", "greeting"));
      assertCauseMessage("no subject alternative names matching ip address 127.0.0.2", e);
    }
  }

  @Test
  void plaintextServerMayNotBindAllAddresses() {
    IpcServer.Builder builder = IpcServer.builder().expose(new Store()).host("0.0.0.0").port(0);
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertEquals("refusing to serve 0.0.0.0:0 (not loopback) without a token or client"
        + " certificates; set token(...) or credentials(...) that require client certificates, or"
        + " call insecure() to let anyone who reaches it call your objects", e.getMessage());
  }

  private static IpcServer tlsServer(ServerCredentials credentials, ServerInterceptor interceptor)
      throws Exception {
    IpcServer.Builder builder =
        IpcServer.builder().expose(new Store()).port(0).credentials(credentials);
    if (interceptor != null) {
      builder.intercept(interceptor);
    }
    return builder.start();
  }

  private static IpcClient client(int port, ChannelCredentials credentials) {
    return IpcClient.builder().port(port).deadline(DEADLINE).credentials(credentials).build();
  }

  private static TlsServerCredentials.Builder serverTls() throws Exception {
    return TlsServerCredentials.newBuilder()
        .keyManager(certificates.serverKeyManagers())
        .trustManager(certificates.trustManagers());
  }

  private static TlsChannelCredentials.Builder clientTls() throws Exception {
    return TlsChannelCredentials.newBuilder().trustManager(certificates.trustManagers());
  }

  private static void assertCause(Class<? extends Throwable> type, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return;
      }
    }
    throw new AssertionError("no " + type.getName() + " among the causes of " + e, e);
  }

  /** Passes when a cause's message contains {@code text} (lower case), in any case. */
  private static void assertCauseMessage(String text, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(text)) {
        return;
      }
    }
    throw new AssertionError("no cause of " + e + " says '" + text + "'", e);
  }

  /** Records the subject of the TLS peer's certificate, as the server sees it. */
  private static final class PeerRecorder implements ServerInterceptor {
    private final AtomicReference<String> subject;

    PeerRecorder(AtomicReference<String> subject) {
      this.subject = subject;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      if (session == null) {
        subject.set("no TLS session");
        return next.startCall(call, headers);
      }
      try {
        subject.set(session.getPeerPrincipal().getName());
      } catch (SSLPeerUnverifiedException e) {
        subject.set("unverified: " + e.getMessage());
      }
      return next.startCall(call, headers);
    }
  }
}
