package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS options of {@code serve} and of the client commands, over real TCP. */
class TlsOptionsTest {
  @TempDir static Path certificateDir;
  private static Certificates certs;
  @TempDir Path dir;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = Certificates.create(certificateDir);
  }

  private static void assertOk(String out, Cli.Result r) {
    assertEquals(new Cli.Result(0, out, ""), r);
  }

  private static IpcServer tlsServer() throws IOException {
    return IpcServer.builder().expose(new CallCommandTest.Fixture()).port(0)
        .tls(certs.serverCert().toFile(), certs.serverKey().toFile()).start();
  }

  @Test
  void clientCommandsTrustTheGivenCertificateAuthority() throws IOException {
    try (IpcServer server = tlsServer()) {
      String port = String.valueOf(server.port());
      String ca = certs.serverCert().toString();
      assertOk("3\n", Cli.run("call", "add", "1", "2", "--port", port, "--tls-ca", ca));
      assertOk("SERVING\n", Cli.run("health", "--port", port, "--tls-ca", ca));
      Cli.Result described = Cli.run("describe", "--port", port, "--tls-ca", ca);
      assertEquals(0, described.exitCode(), described::toString);
      assertTrue(described.out().startsWith(
          "kodi-IPC: io.ipc4j.cli.CallCommandTest$Fixture (default object)\n"),
          described::toString);
    }
  }

  @Test
  void plaintextClientCannotReachATlsServer() throws IOException {
    try (IpcServer server = tlsServer()) {
      String port = String.valueOf(server.port());
      Cli.Result r = Cli.run("call", "add", "1", "2", "--port", port, "--deadline", "5s");
      assertEquals(3, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith("ipc: cannot reach kodi-IPC at localhost:" + port + ": "),
          r::toString);
    }
  }

  @Test
  void untrustedServerCertificateIsRefused() throws IOException {
    try (IpcServer server = tlsServer()) {
      String port = String.valueOf(server.port());
      Cli.Result r = Cli.run("call", "add", "1", "2", "--port", port, "--tls-ca",
          certs.clientCert().toString());
      assertEquals(3, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith("ipc: cannot reach kodi-IPC at localhost:" + port + ": "),
          r::toString);
    }
  }

  @Test
  void serveTlsAndMutualTls() throws Exception {
    String ca = certs.serverCert().toString();
    try (Serving serve = new Serving("--port", "0", "--data-dir", dir.resolve("data").toString(),
        "--tls-cert", certs.serverCert().toString(), "--tls-key", certs.serverKey().toString(),
        "--tls-client-ca", certs.clientCert().toString())) {
      String port = serve.port();
      assertOk("{\n  \"cli\": []\n}\n", Cli.run("call", "getDataList", "cli", "--port", port,
          "--tls-ca", ca, "--tls-cert", certs.clientCert().toString(),
          "--tls-key", certs.clientKey().toString()));
      Cli.Result anonymous = Cli.run("call", "getDataList", "cli", "--port", port,
          "--tls-ca", ca);
      assertEquals(3, anonymous.exitCode(), anonymous::toString);
      assertTrue(anonymous.err().startsWith("ipc: cannot reach kodi-IPC at localhost:" + port),
          anonymous::toString);
    }
  }

  @Test
  void tlsLetsServeBindWhereProtectedModeWouldRefuse() throws Exception {
    // Protected mode checks credentials before binding; loopback keeps the test local.
    try (Serving serve = new Serving("--port", "0", "--data-dir", dir.resolve("data").toString(),
        "--tls-cert", certs.serverCert().toString(), "--tls-key", certs.serverKey().toString())) {
      assertOk("SERVING\n", Cli.run("health", "--port", serve.port(), "--tls-ca",
          certs.serverCert().toString()));
    }
  }

  @Test
  void certificateAndKeyGoTogether() {
    String cert = certs.serverCert().toString();
    assertEquals(new Cli.Result(2, "", "ipc: --tls-cert and --tls-key go together: give the"
        + " server's certificate chain and its private key\n"
        + "Try 'ipc serve --help' for more.\n"),
        Cli.run("serve", "--port", "0", "--tls-cert", cert));
    assertEquals(new Cli.Result(2, "", "ipc: --tls-client-ca needs --tls-cert and --tls-key: give"
        + " the server's certificate chain and its private key\n"
        + "Try 'ipc serve --help' for more.\n"),
        Cli.run("serve", "--port", "0", "--tls-client-ca", cert));
    assertEquals(new Cli.Result(2, "", "ipc: --tls-cert and --tls-key go together: give the"
        + " client certificate and its key\n"
        + "Try 'ipc call --help' for more.\n"), Cli.run("call", "add", "--tls-key", cert));
  }

  @Test
  void missingFilesAreNamed() {
    Path missing = dir.resolve("missing.pem");
    assertEquals(new Cli.Result(2, "", "ipc: --tls-ca " + missing + ": no such file\n"),
        Cli.run("call", "add", "1", "2", "--tls-ca", missing.toString()));
    assertEquals(new Cli.Result(2, "", "ipc: --tls-key " + missing + ": no such file\n"),
        Cli.run("serve", "--port", "0", "--data-dir", dir.toString(),
            "--tls-cert", certs.serverCert().toString(), "--tls-key", missing.toString()));
  }

  @Test
  void filesThatAreNotPemAreNamed() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
    Cli.Result serve = Cli.run("serve", "--port", "0", "--data-dir", dir.resolve("d").toString(),
        "--tls-cert", junk.toString(), "--tls-key", certs.serverKey().toString());
    assertEquals(new Cli.Result(2, "", "ipc: cannot serve TLS with --tls-cert " + junk
        + " and --tls-key " + certs.serverKey() + ": found no certificates in input stream\n"),
        serve);
    Cli.Result call = Cli.run("call", "add", "1", "2", "--port", "1", "--tls-ca",
        junk.toString());
    assertEquals(new Cli.Result(2, "", "ipc: cannot use TLS with --tls-ca " + junk
        + ": No certificate data found\n"), call);
  }
}
