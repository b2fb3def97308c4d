package io.ipc4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import io.ipc4j.examples.callbacks.ChatClient;
import io.ipc4j.examples.callbacks.ChatRoom;
import io.ipc4j.examples.callbacks.ChatServer;
import io.ipc4j.examples.dynamic.DynamicClient;
import io.ipc4j.examples.errors.Vault;
import io.ipc4j.examples.errors.VaultClient;
import io.ipc4j.examples.errors.VaultServer;
import io.ipc4j.examples.replicas.Replicas;
import io.ipc4j.examples.server.Notes;
import io.ipc4j.examples.streaming.Feed;
import io.ipc4j.examples.streaming.FeedClient;
import io.ipc4j.examples.streaming.FeedServer;
import io.ipc4j.examples.server.NotesServer;
import io.ipc4j.examples.typed.TypedClient;
import io.ipc4j.server.IpcServer;
import io.ipc4j.testkit.IpcExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every example runs, in-process through the testkit and over real TCP, and says what its README says. */
class ExamplesTest {

  private final FeedServer feed = new FeedServer();
  private final ChatServer chat = new ChatServer();

  @RegisterExtension
  final IpcExtension ipc = IpcExtension.inProcess()
      .expose(new Notes())
      .expose("vault", new VaultServer(), Vault.class)
      .expose("feed", feed, Feed.class)
      .expose("chat", chat, ChatRoom.class);

  private static String output(BiConsumer<IpcClient, PrintStream> example, IpcClient client) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    example.accept(client, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void dynamicClientNeedsNoClass() {
    String out = output(DynamicClient::run, ipc.client());
    assertTrue(out.contains("offers: int add(java.lang.String note)"), out);
    assertTrue(out.endsWith("2 notes: [buy milk, call mum]\n"), out);
  }

  @Test
  void typedClientUsesItsInterfaceAndDefaultMethods() {
    assertEquals("now 1 notes\n1 notes, last: water the plants\n",
        output(TypedClient::run, ipc.client()));
  }

  @Test
  void errorsAreHandledOnBothSides() {
    String out = output(VaultClient::run, ipc.client());
    assertTrue(out.startsWith("remote java.lang.IllegalStateException: the vault is closed\n"
        + "before opening: (locked)\n"
        + "last remote traceback:\njava.lang.IllegalStateException: the vault is closed\n"
        + "\tat io.ipc4j.examples.errors.VaultServer.contents(VaultServer.java:"), out);
    assertTrue(out.endsWith("caught wrong code: 0000\nopened: gold\n"), out);
  }

  @Test
  void feedStreamsAwaitsAndFires() {
    try (IpcClient client = ipc.newClient()) {
      assertEquals("first squares: 1, 4, 9, 16, 25\ntotal of 1000 squares: 333833500\n",
          output(FeedClient::run, client));
    } // close() lets queued oneway calls reach the server first
    assertEquals(java.util.List.of("client started"), feed.lines);
  }

  @Test
  void feedWorksOverTcp() throws Exception {
    FeedServer tcpFeed = new FeedServer();
    try (IpcServer server = FeedServer.start(tcpFeed, 0);
        IpcClient client = IpcClient.builder().port(server.port()).build()) {
      assertEquals("first squares: 1, 4, 9, 16, 25\ntotal of 1000 squares: 333833500\n",
          output(FeedClient::run, client));
    }
  }

  private static String chat(IpcClient client, String name) {
    return output((c, out) -> {
      try {
        ChatClient.run(c, name, out);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }, client);
  }

  /** Lines a member in the server's own JVM hears, up to {@code count}, waiting for each. */
  private static List<String> next(BlockingQueue<String> heard, int count)
      throws InterruptedException {
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(heard.poll(10, TimeUnit.SECONDS));
    }
    return lines;
  }

  @Test
  void chatCallsTheClientBackAndClosingTheMembershipLeaves() throws Exception {
    BlockingQueue<String> bob = new LinkedBlockingQueue<>();
    chat.join("bob", bob::add); // a member in the server's JVM hears the client too
    assertEquals("members: [bob, ann]\nheard: ann joined\nheard: ann: hello\nann left\n",
        chat(ipc.client(), "ann"));
    assertEquals(List.of("bob joined", "ann joined", "ann: hello", "ann left"), next(bob, 4));
    assertEquals(List.of("bob"), chat.members());
  }

  @Test
  void chatWorksOverTcpAndAClientThatGoesAwayLeaves() throws Exception {
    ChatServer room = new ChatServer();
    BlockingQueue<String> bob = new LinkedBlockingQueue<>();
    room.join("bob", bob::add);
    try (IpcServer server = ChatServer.start(room, 0);
        IpcClient client = IpcClient.builder().port(server.port()).build()) {
      assertEquals("members: [bob, ann]\nheard: ann joined\nheard: ann: hello\nann left\n",
          chat(client, "ann"));
      assertEquals(List.of("bob joined", "ann joined", "ann: hello", "ann left"), next(bob, 4));
      ChatRoom.Membership cat = client.getExposedObject("chat", ChatRoom.class)
          .join("cat", line -> { });
      cat.say("meow");
      assertEquals(List.of("cat joined", "cat: meow"), next(bob, 2));
      client.close(); // without closing the membership: the session's end closes it
      assertEquals(List.of("cat left"), next(bob, 1));
      assertEquals(List.of("bob"), room.members());
    }
  }

  @Test
  @EnabledOnOs(value = OS.LINUX,
      disabledReason = "Unix domain sockets need Netty's epoll transport (Linux)")
  void replicasShareTheCallsAndAUnixSocketServes() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Replicas.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    // Round robin over replicas that became ready one after another: about ten each.
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("30 calls over 3 replicas: \\{a=(\\d+), b=(\\d+), c=(\\d+)}\n").matcher(out);
    assertTrue(m.lookingAt(), out);
    int a = Integer.parseInt(m.group(1));
    int b = Integer.parseInt(m.group(2));
    int c = Integer.parseInt(m.group(3));
    assertEquals(30, a + b + c);
    assertTrue(a >= 5 && b >= 5 && c >= 5, out);
    assertTrue(out.endsWith("over ipc.sock: unix\n"), out);
  }

  @Test
  void examplesWorkOverTcp() throws Exception {
    try (IpcServer notes = NotesServer.start(0); IpcServer vault = VaultServer.start(0);
        IpcClient notesClient = IpcClient.builder().port(notes.port()).build();
        IpcClient vaultClient = IpcClient.builder().port(vault.port()).build()) {
      String dynamic = output(DynamicClient::run, notesClient);
      assertTrue(dynamic.endsWith("2 notes: [buy milk, call mum]\n"), dynamic);
      assertEquals("now 3 notes\n3 notes, last: water the plants\n",
          output(TypedClient::run, notesClient));
      String errors = output(VaultClient::run, vaultClient);
      assertTrue(errors.endsWith("opened: gold\n"), errors);
    }
  }

  @Test
  void clientsFallBackWhenNoServerListens() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (IpcClient client = IpcClient.builder().port(port).build()) {
      assertEquals("no server at localhost:" + port + "\n", output(DynamicClient::run, client));
      String out = output(VaultClient::run, client);
      assertTrue(out.startsWith("server unavailable: "), out);
      assertTrue(out.contains("before opening: (locked)\n"), out);
      assertTrue(out.contains("\ngiving up: "), out);
    }
  }

  @Test
  void serverReportsATakenPort() throws Exception {
    try (IpcServer first = NotesServer.start(0)) {
      java.net.BindException e = org.junit.jupiter.api.Assertions.assertThrows(
          java.net.BindException.class, () -> NotesServer.start(first.port()));
      assertTrue(e.getMessage().startsWith("cannot bind " + first.host() + ":" + first.port()),
          e.getMessage());
    }
  }
}
