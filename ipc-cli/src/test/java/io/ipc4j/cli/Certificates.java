package io.ipc4j.cli;

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
import java.util.concurrent.TimeUnit;

/**
 * A self-signed server certificate (for {@code localhost} and {@code 127.0.0.1}) and a
 * self-signed client certificate, each with its key, as the PEM files the TLS options read. Made
 * during the test run by the JDK's {@code keytool}, so no key material is checked in; each side
 * trusts the other's certificate itself.
 */
final class Certificates {
  private static final String PASSWORD = "ipc4j-test";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  private final Path dir;

  private Certificates(Path dir) {
    this.dir = dir;
  }

  /** Makes both certificates and keys in {@code dir}. */
  static Certificates create(Path dir) throws IOException, InterruptedException {
    Certificates c = new Certificates(dir);
    c.selfSigned("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
    c.selfSigned("client", "CN=ipc4j cli test client", null);
    return c;
  }

  Path serverCert() {
    return dir.resolve("server.pem");
  }

  Path serverKey() {
    return dir.resolve("server.key");
  }

  Path clientCert() {
    return dir.resolve("client.pem");
  }

  Path clientKey() {
    return dir.resolve("client.key");
  }

  private void selfSigned(String name, String subject, String san)
      throws IOException, InterruptedException {
    Path store = dir.resolve(name + ".p12");
    List<String> generate = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-keyalg",
        "EC", "-groupname", "secp256r1", "-dname", subject, "-validity", "2",
        "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD));
    if (san != null) {
      generate.addAll(List.of("-ext", san));
    }
    keytool(generate);
    keytool(List.of("-exportcert", "-rfc", "-alias", name, "-file",
        dir.resolve(name + ".pem").toString(), "-keystore", store.toString(),
        "-storepass", PASSWORD));
    // keytool cannot export a private key; PKCS#8 in PEM is what grpc reads.
    Key key;
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, PASSWORD.toCharArray());
      key = keys.getKey(name, PASSWORD.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key of " + store, e);
    }
    Files.writeString(dir.resolve(name + ".key"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
  }

  private void keytool(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.add("-J-XX:TieredStopAtLevel=1");
    command.addAll(args);
    Path log = Files.createTempFile(dir, "keytool-", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    p.getOutputStream().close();
    if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("keytool took more than " + KEYTOOL_TIMEOUT_SECONDS + " s: "
          + command);
    }
    if (p.exitValue() != 0) {
      throw new IOException("keytool failed: " + command + "\n" + Files.readString(log));
    }
  }
}
