package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallCommandTest {
  private final Fixture fixture = new Fixture();
  private IpcServer server;
  private String port;

  @BeforeEach
  void start() throws IOException {
    server = IpcServer.builder().expose(fixture).port(0).start();
    port = String.valueOf(server.port());
  }

  @AfterEach
  void stop() {
    fixture.release.countDown();
    server.stop();
  }

  private Cli.Result call(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "call";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--port";
    all[args.length + 2] = port;
    return Cli.run(all);
  }

  private static void assertOk(String out, Cli.Result r) {
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(out, r.out(), r::toString);
    assertEquals("", r.err(), r::toString);
  }

  @Test
  void wordsThatAreNotJsonAreStrings() {
    assertOk("""
        [
          "greeting",
          "hello",
          "cli",
          false
        ]
        """, call("echo", "greeting", "hello", "cli", "false"));
  }

  @Test
  void argumentsAreJsonValues() {
    assertOk("\"Long\"\n", call("typeOf", "42"));
    assertOk("\"Double\"\n", call("typeOf", "1.5"));
    assertOk("\"String\"\n", call("typeOf", "\"42\""));
    assertOk("\"Boolean\"\n", call("typeOf", "true"));
    assertOk("\"null\"\n", call("typeOf", "null"));
    assertOk("\"LinkedHashMap\"\n", call("typeOf", "{\"a\": [1, 2]}"));
    assertOk("\"ArrayList\"\n", call("typeOf", "[1, \"two\"]"));
    assertOk("\"String\"\n", call("typeOf", "two words"));
    assertOk("\"String\"\n", call("typeOf", ""));
  }

  @Test
  void bigNumbersKeepEveryDigit() {
    assertOk("123456789012345678901234567890\n",
        call("identity", "123456789012345678901234567890"));
  }

  @Test
  void atWordsAreArgumentsNotFiles() {
    assertOk("\"@home\"\n", call("identity", "@home"));
  }

  @Test
  void negativeNumbersAreArgumentsNotOptions() {
    assertOk("-3\n", call("add", "-1", "-2"));
  }

  @Test
  void dashesEndTheOptions() {
    assertOk("\"--port\"\n", Cli.run("call", "--port", port, "identity", "--", "--port"));
  }

  @Test
  void unknownOptionSuggestsTheDashes() {
    Cli.Result r = call("identity", "-x");
    assertEquals(new Cli.Result(2, "", "ipc: Unknown option: '-x'\n"
        + "To pass an argument that starts with '-', put -- before the arguments: "
        + "ipc call METHOD -- ARG...\n"
        + "Try 'ipc call --help' for more.\n"), r);
  }

  @Test
  void resultsPrintAsIndentedJson() {
    assertOk("""
        {
          "name": "ipc4j",
          "tags": [
            "grpc",
            "json"
          ],
          "empty": {},
          "none": [],
          "nothing": null
        }
        """, call("document"));
    assertOk("\"hello Bob\"\n", call("identity", "hello Bob"));
    assertOk("null\n", call("nothing"));
  }

  @Test
  void remoteExceptionPrintsItsTracebackAndExitsOne() {
    Cli.Result r = call("fail", "boom");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("java.lang.IllegalStateException: boom\n"
        + "\tat io.ipc4j.cli.CallCommandTest$Fixture.fail(CallCommandTest.java:"), r::toString);
    assertTrue(r.err().endsWith("\n"), r::toString);
  }

  @Test
  void unknownMethodIsOneLineAndExitsFour() {
    Cli.Result r = call("nosuch", "1");
    assertEquals(4, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ipc: ") && r.err().contains("'nosuch'"), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
  }

  @Test
  void unknownMethodShowsTheServersMessageAsItIs() {
    String said;
    try (IpcClient client = IpcClient.builder().port(server.port()).build()) {
      said = assertThrows(IpcNoSuchMethodException.class,
          () -> client.getExposedObject().call("ad", 1, 2)).getMessage();
    }
    assertEquals(new Cli.Result(4, "", "ipc: " + said + "\n"), call("ad", "1", "2"));
  }

  @Test
  void targetNamesTheServer() {
    assertOk("3\n", Cli.run("call", "add", "1", "2", "--target", "dns:///localhost:" + port));
    assertOk("3\n", Cli.run("call", "add", "1", "2", "--target", "static:///localhost:" + port));
    assertOk("SERVING\n", Cli.run("health", "--target", "static:///localhost:" + port));
  }

  @Test
  void targetReachesAUnixSocket(@TempDir Path dir) throws IOException {
    assumeTrue(Epoll.isAvailable(), "Unix domain sockets need Netty's epoll transport");
    Path socket = dir.resolve("ipc.sock");
    try (IpcServer unix = IpcServer.builder().expose(fixture).unixSocket(socket).start()) {
      String target = "unix://" + socket;
      assertOk("3\n", Cli.run("call", "add", "1", "2", "--target", target));
      Cli.Result described = Cli.run("describe", "--target", target);
      assertEquals(0, described.exitCode(), described::toString);
      assertTrue(described.out().startsWith(
          "kodi-IPC: io.ipc4j.cli.CallCommandTest$Fixture (default object)\n"),
          described::toString);
    }
  }

  @Test
  void missingUnixSocketIsNamed(@TempDir Path dir) {
    assumeTrue(Epoll.isAvailable(), "Unix domain sockets need Netty's epoll transport");
    Path socket = dir.resolve("none.sock");
    String expected = "ipc: cannot reach kodi-IPC at unix://" + socket + ": no socket file "
        + socket + "\n";
    assertEquals(new Cli.Result(3, "", expected),
        Cli.run("call", "add", "1", "2", "--target", "unix://" + socket));
    assertEquals(new Cli.Result(3, "", expected),
        Cli.run("describe", "--target", "unix://" + socket));
  }

  @Test
  void targetGoesWithoutHostAndPort() {
    for (String option : new String[] {"--host", "--port"}) {
      Cli.Result r = Cli.run("call", "add", "1", "2", "--target", "dns:///localhost:9099",
          option, "9100");
      assertEquals(new Cli.Result(2, "", "ipc: --target names the server's address; it cannot be"
          + " used with --host or --port\nTry 'ipc call --help' for more.\n"), r);
    }
  }

  @Test
  void badTargetIsAUsageError() {
    Cli.Result r = Cli.run("call", "add", "1", "2", "--target", "static:///localhost");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ipc: target 'static:///localhost'"), r::toString);
  }

  @Test
  void unreachableTargetIsNamed() throws IOException {
    server.stop();
    Cli.Result r = Cli.run("call", "add", "1", "2", "--target", "static:///localhost:" + port);
    assertEquals(3, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ipc: cannot reach kodi-IPC at static:///localhost:" + port
        + ": "), r::toString);
  }

  @Test
  void badArgumentsExitFour() {
    Cli.Result r = call("add", "one", "two");
    assertEquals(4, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ipc: "), r::toString);
  }

  @Test
  void unreachableServerExitsThree() {
    server.stop();
    Cli.Result r = call("add", "1", "2");
    assertEquals(3, r.exitCode(), r::toString);
    assertEquals("ipc: cannot reach kodi-IPC at localhost:" + port + ": Connection refused\n",
        r.err());
  }

  @Test
  void deadlineBoundsTheCall() {
    Cli.Result r = call("block", "--deadline", "200ms");
    assertEquals(4, r.exitCode(), r::toString);
    assertEquals("ipc: kodi-IPC.block at localhost:" + port
        + " did not answer within the deadline of 200ms\n", r.err());
  }

  @Test
  void cborSerializerWorks() {
    assertOk("3\n", call("add", "1", "2", "--serializer", "cbor"));
  }

  @Test
  void unknownSerializerIsAUsageError() {
    Cli.Result r = call("add", "1", "2", "--serializer", "xml");
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("ipc: unknown serializer 'xml'; known: json, cbor\n", r.err());
  }

  @Test
  void nameChoosesTheObject() throws IOException {
    try (IpcServer two = IpcServer.builder().expose("calc", fixture).port(0).start()) {
      String p = String.valueOf(two.port());
      assertOk("3\n", Cli.run("call", "--name", "calc", "--port", p, "add", "1", "2"));
      Cli.Result r = Cli.run("call", "--port", p, "add", "1", "2");
      assertEquals(4, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith("ipc: ") && r.err().contains("kodi-IPC"), r::toString);
    }
  }

  @Test
  void tokenIsSent() throws IOException {
    try (IpcServer guarded = IpcServer.builder().expose(fixture).token("s3cret").port(0)
        .start()) {
      String p = String.valueOf(guarded.port());
      assertOk("3\n", Cli.run("call", "--token", "s3cret", "--port", p, "add", "1", "2"));
      Cli.Result r = Cli.run("call", "--port", p, "add", "1", "2");
      assertEquals(4, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith("ipc: "), r::toString);
    }
  }

  @Test
  void settingsFileSupersedesTheOptions(@TempDir Path dir) throws IOException {
    Path settings = dir.resolve("ipc.properties");
    Files.writeString(settings, "port=" + port + "\nname=kodi-IPC\n");
    assertOk("3\n", Cli.run("call", "--settings", settings.toString(), "--port", "1", "add",
        "1", "2"));
  }

  @Test
  void kodiSettingsXmlWorks(@TempDir Path dir) throws IOException {
    Path settings = dir.resolve("settings.xml");
    Files.writeString(settings, "<settings><setting id=\"port\" value=\"" + port + "\"/>"
        + "</settings>");
    assertOk("3\n", Cli.run("call", "--settings", settings.toString(), "add", "1", "2"));
  }

  @Test
  void badSettingsFileIsAUsageError(@TempDir Path dir) throws IOException {
    Path settings = dir.resolve("ipc.properties");
    Files.writeString(settings, "port=ninety\n");
    Cli.Result r = Cli.run("call", "--settings", settings.toString(), "add", "1", "2");
    assertEquals(new Cli.Result(2, "", "ipc: settings file " + settings + ": key 'port' has value"
        + " 'ninety': expected a port number 0-65535\n"), r);
  }

  @Test
  void settingsFileIsCheckedAsTheClientBuilderChecksIt(@TempDir Path dir) throws IOException {
    Path zero = Files.writeString(dir.resolve("zero.properties"), "port=0\n");
    assertEquals(new Cli.Result(2, "", "ipc: settings file " + zero + ": key 'port' has value"
        + " '0': expected a port number 1-65535\n"),
        Cli.run("call", "--settings", zero.toString(), "add", "1", "2"));
    Path xml = Files.writeString(dir.resolve("serializer.properties"), "serializer=xml\n");
    assertEquals(new Cli.Result(2, "", "ipc: settings file " + xml + ": key 'serializer' has"
        + " value 'xml': expected one of json, cbor\n"),
        Cli.run("describe", "--settings", xml.toString()));
    Path missing = dir.resolve("missing.properties");
    assertEquals(new Cli.Result(2, "", "ipc: settings file " + missing
        + ": cannot read: no such file\n"), Cli.run("health", "--settings", missing.toString()));
  }

  @Test
  void missingMethodIsAUsageError() {
    Cli.Result r = Cli.run("call");
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("ipc: Missing required parameter: 'METHOD'\n"
        + "Try 'ipc call --help' for more.\n", r.err());
  }

  @Test
  void badDeadlineIsAUsageError() {
    Cli.Result r = call("add", "1", "2", "--deadline", "soon");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains(
        "'soon' is not a duration; write it as 500ms, 30s, 2m, 1h or PT30S"), r::toString);
  }

  @Test
  void badPortIsAUsageError() {
    Cli.Result r = Cli.run("call", "add", "1", "2", "--port", "70000");
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("ipc: port must be 1-65535, was 70000\n", r.err());
  }

  /** The object the tests call. */
  public static final class Fixture {
    final CountDownLatch release = new CountDownLatch(1);

    public List<Object> echo(Object a, Object b, Object c, Object d) {
      return java.util.Arrays.asList(a, b, c, d);
    }

    public String typeOf(Object value) {
      return value == null ? "null" : value.getClass().getSimpleName();
    }

    public Object identity(Object value) {
      return value;
    }

    public long add(long a, long b) {
      return a + b;
    }

    public java.util.Map<String, Object> document() {
      java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
      d.put("name", "ipc4j");
      d.put("tags", List.of("grpc", "json"));
      d.put("empty", java.util.Map.of());
      d.put("none", List.of());
      d.put("nothing", null);
      return d;
    }

    public void nothing() {}

    public String fail(String message) {
      throw new IllegalStateException(message);
    }

    public boolean block() throws InterruptedException {
      return release.await(20, TimeUnit.SECONDS);
    }
  }
}
