package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @TempDir Path dir;

  private static void assertOk(String out, Cli.Result r) {
    assertEquals(new Cli.Result(0, out, ""), r);
  }

  @Test
  void servesTheDataStoreUntilCtrlC() throws Exception {
    Path data = dir.resolve("data");
    String port;
    try (Serving serve = new Serving("--port", "0", "--data-dir", data.toString())) {
      port = serve.port();
      assertEquals("ipc4j serving kodi-IPC (io.ipc4j.datastore.DataStore, data in "
          + data.toRealPath() + ") on 127.0.0.1:" + port + " - Ctrl-C to stop", serve.line());
      Cli.Result set = Cli.run("call", "set", "greeting", "hello", "cli", "true", "--port", port);
      assertEquals(0, set.exitCode(), set::toString);
      assertTrue(set.out().matches("[0-9]+\n"), set::toString);
      Cli.Result get = Cli.run("call", "get", "greeting", "cli", "--port", port);
      assertOk("{\n  \"value\": \"hello\",\n  \"ts\": " + set.out().trim() + "\n}\n", get);
      assertOk("SERVING\n", Cli.run("health", "--port", port));

      assertEquals(0, serve.stop());
      assertEquals("ipc4j stopped kodi-IPC\n", serve.laterOut());
      assertEquals("", serve.err());
    }
    assertEquals(new Cli.Result(3, "NOT_SERVING\n", ""), Cli.run("health", "--port", port));
    assertTrue(Files.size(data.resolve("datastore.db")) > 0, "the persistent entry is on disk");

    try (Serving again = new Serving("--port", "0", "--data-dir", data.toString())) {
      Cli.Result get = Cli.run("call", "get", "greeting", "cli", "--port", again.port());
      assertEquals(0, get.exitCode(), get::toString);
      assertTrue(get.out().contains("\"value\": \"hello\""), get::toString);
    }
  }

  @Test
  void takenPortIsOneLineAndExitsFour() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
      int port = taken.getLocalPort();
      Cli.Result r = Cli.run("serve", "--port", String.valueOf(port), "--data-dir",
          dir.toString());
      assertEquals(new Cli.Result(4, "", "ipc: cannot serve kodi-IPC on 127.0.0.1:" + port
          + ": the port is taken (address already in use)\n"), r);
    }
  }

  @Test
  void unusableDataDirExitsFour() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Cli.Result r = Cli.run("serve", "--port", "0", "--data-dir", file.toString());
    assertEquals(4, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ipc: cannot use data directory " + file + ": "), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
  }

  @Test
  void nonLoopbackHostNeedsATokenOrInsecure() {
    Cli.Result r = Cli.run("serve", "--host", "0.0.0.0", "--port", "0", "--data-dir",
        dir.toString());
    assertEquals(new Cli.Result(2, "", "ipc: refusing to serve 0.0.0.0:0 (not loopback) without"
        + " a token or client certificates; give --token TOKEN, or --tls-cert FILE --tls-key FILE"
        + " --tls-client-ca FILE (mutual TLS), or --insecure to let anyone who reaches it call the"
        + " object\n"), r);
  }

  @Test
  void settingsFileHostIsProtectedToo() throws IOException {
    Path settings = Files.writeString(dir.resolve("ipc.properties"), "host=0.0.0.0\nport=9200\n");
    Cli.Result r = Cli.run("serve", "--settings", settings.toString(), "--data-dir",
        dir.resolve("data").toString());
    assertEquals(new Cli.Result(2, "", "ipc: refusing to serve 0.0.0.0:9200 (not loopback) without"
        + " a token or client certificates; give --token TOKEN, or --tls-cert FILE --tls-key FILE"
        + " --tls-client-ca FILE (mutual TLS), or --insecure to let anyone who reaches it call the"
        + " object\n"), r);
  }

  @Test
  void badSettingsFileNamesFileKeyAndValue() throws IOException {
    Path settings = Files.writeString(dir.resolve("ipc.properties"), "serializer=xml\n");
    Cli.Result r = Cli.run("serve", "--settings", settings.toString(), "--port", "0",
        "--data-dir", dir.resolve("data").toString());
    assertEquals(new Cli.Result(2, "", "ipc: settings file " + settings + ": key 'serializer' has"
        + " value 'xml': expected one of json, cbor\n"), r);
  }

  @Test
  void settingsFilePortIsTheOneReportedTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
      int port = taken.getLocalPort();
      Path settings = Files.writeString(dir.resolve("ipc.properties"), "port=" + port + "\n");
      Cli.Result r = Cli.run("serve", "--settings", settings.toString(), "--port", "0",
          "--data-dir", dir.resolve("data").toString());
      assertEquals(new Cli.Result(4, "", "ipc: cannot serve kodi-IPC on 127.0.0.1:" + port
          + ": the port is taken (address already in use)\n"), r);
    }
  }

  @Test
  void settingsAndTokenApplyToTheServer() throws Exception {
    Path settings = Files.writeString(dir.resolve("ipc.properties"), "name=store\ntoken=s3cret\n");
    try (Serving serve = new Serving("--settings", settings.toString(), "--port", "0",
        "--data-dir", dir.resolve("data").toString())) {
      assertTrue(serve.line().startsWith("ipc4j serving store ("), serve.line());
      String port = serve.port();
      assertOk("{\n  \"cli\": []\n}\n",
          Cli.run("call", "getDataList", "cli", "--name", "store", "--token", "s3cret",
              "--port", port));
      Cli.Result refused = Cli.run("call", "getDataList", "cli", "--name", "store", "--port",
          port);
      assertEquals(4, refused.exitCode(), refused::toString);
      assertTrue(refused.err().startsWith("ipc: "), refused::toString);
    }
  }

  @Test
  void exposesAClassFromTheClasspath() throws Exception {
    Path classes = compile("Greeter", """
        package demo;
        public class Greeter implements AutoCloseable {
          public String greet(String who) {
            return "hello " + who;
          }
          @Override
          public void close() throws Exception {
            java.nio.file.Path dir = java.nio.file.Path.of(
                Greeter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            java.nio.file.Files.writeString(dir.resolve("closed"), "yes");
          }
        }
        """);
    Files.createDirectories(dir.resolve("elsewhere"));
    try (Serving serve = new Serving("--expose", "demo.Greeter", "--classpath",
        dir.resolve("elsewhere") + java.io.File.pathSeparator + classes, "--port", "0")) {
      String port = serve.port();
      assertEquals("ipc4j serving kodi-IPC (demo.Greeter) on 127.0.0.1:" + port
          + " - Ctrl-C to stop", serve.line());
      assertOk("\"hello Bob\"\n", Cli.run("call", "greet", "Bob", "--port", port));
      assertOk("kodi-IPC: demo.Greeter (default object)\n"
          + "  java.lang.String greet(java.lang.String who)\n",
          Cli.run("describe", "--port", port));
      assertEquals(0, serve.stop());
    }
    assertEquals("yes", Files.readString(classes.resolve("closed")));
  }

  @Test
  void settingsFileNamesAnExposedClass() throws Exception {
    Path settings = Files.writeString(dir.resolve("ipc.properties"), "name=counter\n");
    try (Serving serve = new Serving("--expose", Counter.class.getName(), "--settings",
        settings.toString(), "--port", "0")) {
      assertEquals("ipc4j serving counter (" + Counter.class.getName() + ") on 127.0.0.1:"
          + serve.port() + " - Ctrl-C to stop", serve.line());
      assertOk("1\n", Cli.run("call", "next", "--settings", settings.toString(), "--port",
          serve.port()));
    }
  }

  @Test
  void exposesAClassOnItsOwnClasspathByName() throws Exception {
    try (Serving serve = new Serving("--expose", Counter.class.getName(), "--name", "counter",
        "--port", "0")) {
      String port = serve.port();
      assertOk("1\n", Cli.run("call", "next", "--name", "counter", "--port", port));
      assertOk("2\n", Cli.run("call", "next", "--name", "counter", "--port", port));
    }
  }

  @Test
  void missingClassIsAUsageError() throws Exception {
    Cli.Result r = Cli.run("serve", "--expose", "demo.Missing", "--classpath", dir.toString(),
        "--port", "0");
    assertEquals(new Cli.Result(2, "", "ipc: class demo.Missing not found on the classpath "
        + dir + "\n"), r);
    Cli.Result bare = Cli.run("serve", "--expose", "demo.Missing", "--port", "0");
    assertEquals(new Cli.Result(2, "", "ipc: class demo.Missing not found; give its directory"
        + " or jar with --classpath\n"), bare);
  }

  @Test
  void classWithoutNoArgumentConstructorIsAUsageError() throws Exception {
    Path classes = compile("Named", """
        package demo;
        public class Named {
          public Named(String name) {}
        }
        """);
    Cli.Result r = Cli.run("serve", "--expose", "demo.Named", "-cp", classes.toString(),
        "--port", "0");
    assertEquals(new Cli.Result(2, "",
        "ipc: class demo.Named has no public no-argument constructor\n"), r);
  }

  @Test
  void constructorThatThrowsExitsFour() throws Exception {
    Path classes = compile("Broken", """
        package demo;
        public class Broken {
          public Broken() {
            throw new IllegalStateException("no config");
          }
        }
        """);
    Cli.Result r = Cli.run("serve", "--expose", "demo.Broken", "-cp", classes.toString(),
        "--port", "0");
    assertEquals(new Cli.Result(4, "",
        "ipc: new demo.Broken() threw java.lang.IllegalStateException: no config\n"), r);
  }

  @Test
  void missingClasspathEntryIsAUsageError() {
    Path missing = dir.resolve("missing");
    Cli.Result r = Cli.run("serve", "--expose", "demo.X", "-cp", missing.toString());
    assertEquals(new Cli.Result(2, "", "ipc: classpath entry '" + missing
        + "' does not exist\n"), r);
  }

  @Test
  void optionsThatDoNotGoTogetherAreUsageErrors() {
    Cli.Result classpath = Cli.run("serve", "--classpath", dir.toString());
    assertEquals(2, classpath.exitCode(), classpath::toString);
    assertTrue(classpath.err().startsWith("ipc: --classpath needs --expose CLASS\n"),
        classpath::toString);
    Cli.Result dataDir = Cli.run("serve", "--expose", "demo.X", "--data-dir", dir.toString());
    assertEquals(2, dataDir.exitCode(), dataDir::toString);
    assertTrue(dataDir.err().startsWith(
        "ipc: --data-dir is for the data store; it cannot be used with --expose\n"),
        dataDir::toString);
  }

  private Path compile(String name, String source) throws IOException {
    Path src = dir.resolve("src/demo/" + name + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null,
        "-parameters", "-d", classes.toString(), src.toString());
    assertEquals(0, status, "javac " + src);
    return classes;
  }

  /** Exposed by class name from the test classpath. */
  public static final class Counter {
    private final AtomicInteger count = new AtomicInteger();

    public int next() {
      return count.incrementAndGet();
    }
  }
}
