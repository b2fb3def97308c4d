package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcUnavailableException;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Serving on a Unix domain socket: calls, permissions, stale and live socket files, stop. */
@EnabledOnOs(value = OS.LINUX,
    disabledReason = "Unix domain sockets need Netty's epoll transport (Linux)")
class UnixSocketTest {
  @TempDir Path dir;

  public interface Greeter {
    String greet(String who);
  }

  public static final class Store implements Greeter {
    @Override
    public String greet(String who) {
      return "hello " + who;
    }

    public Map<String, Object> info(long big, List<String> tags) {
      return Map.of("big", big, "tags", tags);
    }
  }

  private Path socket() {
    return dir.resolve("ipc.sock");
  }

  private static IpcClient client(Path socket, String serializer) {
    return IpcClient.builder().target("unix://" + socket).serializer(serializer).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void callsTravelOverTheSocket(String serializer) throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket()).start();
        IpcClient client = client(socket(), serializer)) {
      assertEquals("hello unix", client.getExposedObject().call("greet", "unix"));
      assertEquals(Map.of("big", 1L << 60, "tags", List.of("a", "b")),
          client.getExposedObject().call("info", 1L << 60, List.of("a", "b")));
      assertEquals("hello typed", client.getExposedObject(Greeter.class).greet("typed"));
      assertEquals("unix://" + socket(), client.target());
      assertEquals(-1, server.port());
      assertEquals("IpcServer{unix://" + socket() + ", objects=[kodi-IPC]}", server.toString());
    }
  }

  /**
   * Over a Unix socket the client sends its calls on a session, and after the server stops and
   * starts again on the same path, the next call opens a new session.
   */
  @Test
  void callsGoOnOneSessionAndANewOneAfterARestart() throws Exception {
    SessionTest.Rpcs rpcs = new SessionTest.Rpcs(false);
    try (IpcClient client = client(socket(), "cbor")) {
      try (IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket())
          .intercept(rpcs).start()) {
        assertEquals("hello a", client.getExposedObject().call("greet", "a"));
        assertEquals("hello b", client.getExposedObject().callAsync("greet", "b")
            .get(10, TimeUnit.SECONDS));
        assertEquals("hello c", client.getExposedObject(Greeter.class).greet("c"));
      }
      assertEquals(1, rpcs.count("ipc.v1.InvokeService/Session"));
      assertEquals(0, rpcs.count("ipc.v1.InvokeService/Invoke"));
      try (IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket())
          .intercept(rpcs).start()) {
        assertEquals("hello again", client.getExposedObject().call("greet", "again"));
      }
      assertEquals(2, rpcs.count("ipc.v1.InvokeService/Session"));
      assertEquals(0, rpcs.count("ipc.v1.InvokeService/Invoke"));
    }
  }

  @Test
  void onlyTheOwnerMayConnectByDefault() throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket()).start()) {
      assertTrue(server.isRunning());
      assertTrue(isSocket(socket()));
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(socket(), LinkOption.NOFOLLOW_LINKS)));
    }
  }

  @Test
  void permissionsMayLetTheGroupIn() throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Store())
        .unixSocket(socket(), PosixFilePermissions.fromString("rw-rw----")).start();
        IpcClient client = client(socket(), "json")) {
      assertTrue(server.isRunning());
      assertEquals("rw-rw----", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(socket(), LinkOption.NOFOLLOW_LINKS)));
      assertEquals("hello group", client.getExposedObject().call("greet", "group"));
    }
  }

  @Test
  void healthAndServerAvailableOverTheSocket() throws Exception {
    IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket()).start();
    MultiThreadIoEventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
        EpollIoHandler.newFactory());
    ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(
            socket().toString()))
        .channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class)
        .withOption(ChannelOption.SO_KEEPALIVE, null)
        .eventLoopGroup(loop).usePlaintext().build();
    try (IpcClient client = client(socket(), "json")) {
      // A first call connects (serverAvailable() waits a second at most, short for a cold JVM).
      assertEquals("hello health", client.getExposedObject().call("greet", "health"));
      assertTrue(client.serverAvailable());
      assertEquals(ServingStatus.SERVING, health(channel, ""));
      assertEquals(ServingStatus.SERVING, health(channel, "kodi-IPC"));
      server.stop();
      assertFalse(client.serverAvailable());
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject().call("greet", "nobody"));
      assertTrue(e.getMessage().endsWith("(kodi-IPC.greet at unix://" + socket() + ")"),
          e.getMessage());
    } finally {
      server.stop();
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void socketFileIsRemovedOnStop() throws Exception {
    // A name of its own, so that only this server's threads are looked for.
    String name = "removed-" + UUID.randomUUID();
    IpcServer server = IpcServer.builder().name(name).expose(new Store()).unixSocket(socket())
        .start();
    assertTrue(isSocket(socket()));
    server.stop();
    assertFalse(Files.exists(socket(), LinkOption.NOFOLLOW_LINKS));
    assertTrue(server.isTerminated());
    List<String> leftThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("ipc-server-" + name + "-unix")).toList();
    assertEquals(List.of(), leftThreads);
  }

  @Test
  void staleSocketFileIsReplaced() throws Exception {
    // A socket file nobody accepts on, as a killed server leaves it.
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket()));
    }
    assertTrue(isSocket(socket()));
    try (IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket()).start();
        IpcClient client = client(socket(), "json")) {
      assertEquals("hello again", client.getExposedObject().call("greet", "again"));
      assertTrue(server.isRunning());
    }
  }

  @Test
  void liveSocketIsABindExceptionNamingThePath() throws Exception {
    try (IpcServer first = IpcServer.builder().expose(new Store()).unixSocket(socket()).start();
        IpcClient client = client(socket(), "json")) {
      IpcServer second = IpcServer.builder().expose(new Store()).unixSocket(socket()).build();
      BindException e = assertThrows(BindException.class, second::start);
      assertEquals("cannot bind unix socket " + socket() + ": a server is listening on it"
          + " (tried 6 times, 10 ms apart)", e.getMessage());
      assertFalse(second.isRunning());
      second.stop();
      // The first server and its file are untouched.
      assertTrue(isSocket(socket()));
      assertEquals("hello first", client.getExposedObject().call("greet", "first"));
      assertTrue(first.isRunning());
    }
    assertFalse(Files.exists(socket(), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aFileThatIsNoSocketIsNeverReplaced() throws Exception {
    Files.writeString(socket(), "precious");
    IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket()).build();
    FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, server::start);
    assertEquals(socket() + ": exists and is not a socket; not replacing it with the server's"
        + " socket", e.getMessage());
    assertEquals("precious", Files.readString(socket()));
    server.stop();
  }

  @Test
  void aDirectoryOthersMayWriteIsRefused() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setAttribute(shared, "unix:mode", 0777);
    Path socket = shared.resolve("ipc.sock");
    IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket).build();
    AccessDeniedException e = assertThrows(AccessDeniedException.class, server::start);
    assertEquals(shared + ": the directory of unix socket " + socket + " may be written by"
        + " others (mode 0777) and is not sticky, so anyone could replace the socket; use a"
        + " directory only you can write, such as $XDG_RUNTIME_DIR, or a sticky one such as /tmp",
        e.getMessage());
    assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    assertFalse(server.isRunning());
    server.stop();
  }

  @Test
  void aStickyDirectoryOthersMayWriteIsAccepted() throws Exception {
    Path sticky = Files.createDirectory(dir.resolve("sticky"));
    Files.setAttribute(sticky, "unix:mode", 01777);
    Path socket = sticky.resolve("ipc.sock");
    try (IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket).start();
        IpcClient client = client(socket, "json")) {
      assertEquals("hello sticky", client.getExposedObject().call("greet", "sticky"));
      assertEquals(PosixFilePermissions.fromString("rw-------"),
          Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS));
    }
  }

  @Test
  void aLinkInPlaceOfTheSocketIsNeitherFollowedNorReplaced() throws Exception {
    Path target = Files.writeString(dir.resolve("secret.txt"), "secret");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
    Files.createSymbolicLink(socket(), target);
    IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket()).build();
    FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, server::start);
    assertEquals(socket() + ": exists and is not a socket; not replacing it with the server's"
        + " socket", e.getMessage());
    assertTrue(Files.isSymbolicLink(socket()));
    assertEquals(PosixFilePermissions.fromString("rw-r-----"),
        Files.getPosixFilePermissions(target));
    server.stop();
  }

  @Test
  void missingDirectoryIsNamed() {
    Path socket = dir.resolve("missing").resolve("ipc.sock");
    IpcServer server = IpcServer.builder().expose(new Store()).unixSocket(socket).build();
    IOException e = assertThrows(IOException.class, server::start);
    assertEquals(dir.resolve("missing") + ": the directory of unix socket " + socket
        + " does not exist", e.getMessage());
    server.stop();
  }

  @Test
  void builderRejectsWhatCannotWork() {
    Path tooLong = dir.resolve("x".repeat(120) + ".sock");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IpcServer.builder().unixSocket(tooLong));
    assertTrue(e.getMessage().startsWith("unix socket path " + tooLong + " is too long: "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith(" bytes, at most 107"), e.getMessage());

    IllegalStateException both = assertThrows(IllegalStateException.class, () -> IpcServer
        .builder().expose(new Store()).inProcess("x").unixSocket(socket()).build());
    assertEquals("both inProcess(\"x\") and unixSocket(" + socket() + ") are set; choose one",
        both.getMessage());
  }

  @Test
  void protectedModeDoesNotApplyToUnixSockets() throws Exception {
    // A host that protected mode would refuse is simply not used.
    try (IpcServer server = IpcServer.builder().expose(new Store()).host("0.0.0.0")
        .unixSocket(socket()).start();
        IpcClient client = client(socket(), "json")) {
      assertEquals("hello local", client.getExposedObject().call("greet", "local"));
      assertEquals(-1, server.port());
    }
  }

  @Test
  void tokenStillApplies() throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Store()).token("s3cret")
        .unixSocket(socket()).start();
        IpcClient without = client(socket(), "json");
        IpcClient with = IpcClient.builder().target("unix://" + socket()).token("s3cret")
            .build()) {
      assertTrue(server.isRunning());
      assertEquals("hello token", with.getExposedObject().call("greet", "token"));
      assertThrows(io.ipc4j.client.IpcUnauthenticatedException.class,
          () -> without.getExposedObject().call("greet", "nobody"));
    }
  }

  private static boolean isSocket(Path path) throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & 0170000) == 0140000;
  }

  private static ServingStatus health(ManagedChannel channel, String service) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }
}
