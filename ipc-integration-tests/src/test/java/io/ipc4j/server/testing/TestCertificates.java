package io.ipc4j.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority with a server certificate (for {@code localhost} and {@code
 * 127.0.0.1}) and a client certificate signed by it, made during the test run by the JDK's own
 * {@code keytool}, so no key material is checked in and none expires in the repository.
 *
 * <p>Everything lives in PKCS12 files (password {@link #PASSWORD}) and PEM files in one
 * directory, usually a JUnit {@code @TempDir}. Each keytool run is bounded by {@link
 * #KEYTOOL_TIMEOUT_SECONDS}.
 */
public final class TestCertificates {
  /** The password of every PKCS12 file made here. */
  public static final String PASSWORD = "ipc4j-test";
  /** The subject of the client certificate, as the server sees its peer. */
  public static final String CLIENT_SUBJECT = "CN=ipc4j test client";
  /** How long one keytool run may take before the test fails. */
  static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  private static final String VALIDITY_DAYS = "2";

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /**
   * Makes a CA, a server and a client certificate signed by it, and a trust store holding only
   * the CA, in {@code dir}.
   *
   * @throws IOException when keytool fails or takes too long; the message holds its output
   */
  public static TestCertificates create(Path dir) throws IOException, InterruptedException {
    TestCertificates c = new TestCertificates(dir);
    c.selfSignedCa("ca", "CN=ipc4j test CA");
    c.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", c.caPem().toString(),
        "-keystore", c.file("trust.p12").toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD);
    // The two chains share nothing but the CA they read, so they are made side by side.
    ExecutorService second = Executors.newSingleThreadExecutor();
    try {
      Future<?> client = second.submit(() -> {
        c.signed("client", CLIENT_SUBJECT, null, "eku=clientAuth");
        return null;
      });
      c.signed("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1", "eku=serverAuth");
      client.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot make the client certificate", e.getCause());
    } finally {
      second.shutdownNow();
    }
    c.writeKeyPem("server");
    return c;
  }

  /**
   * Trust managers that trust only a freshly made CA unrelated to this one, for a client that
   * must not accept this server's certificate.
   */
  public TrustManager[] unrelatedTrustManagers() throws IOException, InterruptedException {
    selfSignedCa("other-ca", "CN=some other CA");
    keytool("-importcert", "-noprompt", "-alias", "other-ca", "-file",
        file("other-ca.pem").toString(), "-keystore", file("other-trust.p12").toString(),
        "-storetype", "PKCS12", "-storepass", PASSWORD);
    return trustManagers(file("other-trust.p12"));
  }

  /** The CA certificate in PEM, for {@code IpcClient.Builder.trust(File)}. */
  public Path caPem() {
    return file("ca.pem");
  }

  /** The server certificate in PEM, for {@code IpcServer.Builder.tls(File, File)}. */
  public Path serverCertificatePem() {
    return file("server.pem");
  }

  /** The server's private key in PEM (unencrypted PKCS#8), for {@code tls(File, File)}. */
  public Path serverKeyPem() {
    return file("server.key.pem");
  }

  /** Key managers holding the server's key and certificate chain. */
  public KeyManager[] serverKeyManagers() throws IOException {
    return keyManagers(file("server.p12"));
  }

  /** Key managers holding the client's key and certificate chain. */
  public KeyManager[] clientKeyManagers() throws IOException {
    return keyManagers(file("client.p12"));
  }

  /** Trust managers that trust exactly this CA. */
  public TrustManager[] trustManagers() throws IOException {
    return trustManagers(file("trust.p12"));
  }

  private void selfSignedCa(String alias, String subject) throws IOException, InterruptedException {
    Path store = file(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", subject, "-ext", "bc:c", "-validity", VALIDITY_DAYS,
        "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", alias, "-file", file(alias + ".pem").toString(),
        "-keystore", store.toString(), "-storepass", PASSWORD);
  }

  /** A key pair in {@code NAME.p12} whose certificate the CA signs; the chain goes back in. */
  private void signed(String name, String subject, String san, String usage)
      throws IOException, InterruptedException {
    String store = file(name + ".p12").toString();
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", subject, "-validity", VALIDITY_DAYS, "-keystore", store,
        "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-certreq", "-alias", name, "-file", file(name + ".csr").toString(),
        "-keystore", store, "-storepass", PASSWORD);
    List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca",
        "-infile", file(name + ".csr").toString(), "-outfile", file(name + ".pem").toString(),
        "-validity", VALIDITY_DAYS, "-ext", usage, "-ext", "ku:c=digitalSignature",
        "-keystore", file("ca.p12").toString(), "-storepass", PASSWORD));
    if (san != null) {
      sign.addAll(List.of("-ext", san));
    }
    keytool(sign.toArray(new String[0]));
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem().toString(),
        "-keystore", store, "-storepass", PASSWORD);
    keytool("-importcert", "-alias", name, "-file", file(name + ".pem").toString(),
        "-keystore", store, "-storepass", PASSWORD);
  }

  /** Writes the private key of {@code NAME.p12} as PEM; keytool cannot export private keys. */
  private void writeKeyPem(String name) throws IOException {
    KeyStore store = load(file(name + ".p12"));
    Key key;
    try {
      key = store.getKey(name, PASSWORD.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read key '" + name + "' of " + file(name + ".p12"), e);
    }
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(file(name + ".key.pem"), pem, StandardCharsets.US_ASCII);
  }

  private static KeyManager[] keyManagers(Path p12) throws IOException {
    try {
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(load(p12), PASSWORD.toCharArray());
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the keys in " + p12, e);
    }
  }

  private static TrustManager[] trustManagers(Path p12) throws IOException {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(load(p12));
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the certificates in " + p12, e);
    }
  }

  private static KeyStore load(Path p12) throws IOException {
    try (InputStream in = Files.newInputStream(p12)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load " + p12, e);
    }
  }

  private Path file(String name) {
    return dir.resolve(name);
  }

  /** Runs the keytool of the running JDK; its output goes to a log file beside the stores. */
  private void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>();
    command.add(keytool.toString());
    command.add("-J-XX:TieredStopAtLevel=1"); // starts faster; keytool does little work
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "keytool-", ".log");
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
    process.getOutputStream().close(); // no prompt may wait for an answer
    if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new IOException("keytool took more than " + KEYTOOL_TIMEOUT_SECONDS + " s: "
          + String.join(" ", command));
    }
    if (process.exitValue() != 0) {
      throw new IOException("keytool failed with exit code " + process.exitValue() + ": "
          + String.join(" ", command) + "\n" + Files.readString(log));
    }
  }
}
