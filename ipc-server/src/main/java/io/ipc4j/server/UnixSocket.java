package io.ipc4j.server;

import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Unix domain socket file a server listens on, and the epoll event loops that serve it. It
 * replaces a stale socket file (nothing accepts on it) before binding, restricts the new file's
 * permissions right after binding, and removes the file on release, unless another server has
 * replaced it meanwhile.
 */
final class UnixSocket {
  private static final Logger logger = Logger.getLogger(UnixSocket.class.getName());
  /** The most bytes of a path Linux takes for a socket (sun_path holds 108 with the NUL). */
  static final int MAX_PATH_BYTES = 107;
  /** The file type bits of st_mode, and the value that marks a socket. */
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  /** The sticky bit, and the write bits of the group and of others, of st_mode. */
  private static final int S_ISVTX = 01000;
  private static final int S_IWGRP = 020;
  private static final int S_IWOTH = 02;

  private final Path path;
  private final Set<PosixFilePermission> permissions;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  /** The threads of the event loops, joined on release. */
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  /** The bound file's identity, so that release() deletes only the file it created. */
  private Object fileKey;

  UnixSocket(Path path, Set<PosixFilePermission> permissions) {
    this.path = path;
    this.permissions = Set.copyOf(permissions);
  }

  /**
   * Checks that a socket may be served at {@code path}, before anything is built.
   *
   * @throws IllegalArgumentException when the path is too long for a socket address
   * @throws IllegalStateException when Netty's native epoll transport is not available
   */
  static void check(Path path) {
    int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PATH_BYTES) {
      throw new IllegalArgumentException("unix socket path " + path + " is too long: " + bytes
          + " bytes, at most " + MAX_PATH_BYTES);
    }
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException("unix socket " + path + ": Unix domain sockets need"
          + " Netty's native epoll transport (Linux x86_64 or aarch64), which is not available"
          + " here: " + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
    }
  }

  Path path() {
    return path;
  }

  /** The gRPC target a client dials: {@code unix:///abs/path.sock}. */
  String target() {
    return "unix://" + path;
  }

  /**
   * Makes way for binding: removes a stale socket file (a server that died left it; nothing
   * accepts on it).
   *
   * @return false when a server answers on the socket, so that binding must fail
   * @throws IOException when the parent directory is missing, when the path is some other kind
   *     of file, or when the stale file cannot be removed
   */
  boolean clearStale() throws IOException {
    Path parent = path.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new NoSuchFileException(parent.toString(), null,
          "the directory of unix socket " + path + " does not exist");
    }
    if (parent != null) {
      checkDirectory(parent);
    }
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new FileAlreadyExistsException(path.toString(), null,
          "exists and is not a socket; not replacing it with the server's socket");
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(path));
      return false;
    } catch (ConnectException refused) {
      Files.deleteIfExists(path);
      logger.info("replaced the stale unix socket " + path);
      return true;
    }
  }

  /** A server builder bound to the socket, on event loops of its own named after the server. */
  NettyServerBuilder serverBuilder(ServerCredentials credentials, String threadPrefix) {
    if (boss == null || boss.isShuttingDown()) {
      boss = new MultiThreadIoEventLoopGroup(1,
          remembered(new DefaultThreadFactory(threadPrefix + "unix-boss", true)),
          EpollIoHandler.newFactory());
      workers = new MultiThreadIoEventLoopGroup(0,
          remembered(new DefaultThreadFactory(threadPrefix + "unix", true)),
          EpollIoHandler.newFactory());
    }
    return NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()), credentials)
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        // grpc asks for TCP keep-alive, which a Unix socket lacks: Netty would warn on every
        // connection. Removing the option keeps the log clean.
        .withChildOption(ChannelOption.SO_KEEPALIVE, null);
  }

  /**
   * Refuses a directory in which someone else could replace the socket file between binding and
   * setting its permissions (and so make the server change the permissions of a file a link
   * points to): the directory must belong to this process's user or to root, and others may
   * write it only when it is sticky (as {@code /tmp} is), where nobody but a file's owner may
   * rename or remove it.
   */
  private void checkDirectory(Path dir) throws IOException {
    int mode = (Integer) Files.getAttribute(dir, "unix:mode");
    int owner = (Integer) Files.getAttribute(dir, "unix:uid");
    int self = processUid();
    if (owner != self && owner != 0) {
      throw new AccessDeniedException(dir.toString(), null, "the directory of unix socket "
          + path + " belongs to another user (uid " + owner + "), who could replace the socket;"
          + " use a directory of your own, such as $XDG_RUNTIME_DIR");
    }
    if ((mode & (S_IWGRP | S_IWOTH)) != 0 && (mode & S_ISVTX) == 0) {
      throw new AccessDeniedException(dir.toString(), null, "the directory of unix socket "
          + path + " may be written by others (mode " + String.format("%04o", mode & 07777)
          + ") and is not sticky, so anyone could replace the socket; use a directory only you"
          + " can write, such as $XDG_RUNTIME_DIR, or a sticky one such as /tmp");
    }
  }

  /**
   * A factory whose threads are remembered, so that {@link #release} returns only once they have
   * ended: an event loop group reports itself terminated a moment before its threads exit.
   */
  private ThreadFactory remembered(ThreadFactory factory) {
    return task -> {
      Thread t = factory.newThread(task);
      threads.add(t);
      return t;
    };
  }

  /**
   * Right after binding: checks that the file at the path is the socket this process created
   * (never a link someone put there), restricts who may connect, and remembers which file is
   * ours. The directory check makes sure nobody else can replace the file in between.
   */
  void bound() throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if ((mode & S_IFMT) != S_IFSOCK || owner != processUid()) {
      throw new AccessDeniedException(path.toString(), null,
          "is no longer the socket this server bound; not changing its permissions");
    }
    Files.setPosixFilePermissions(path, permissions);
    fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /** The user id this process runs as (Unix sockets are served on Linux only). */
  private static int processUid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  /**
   * Shuts the event loops down (the transport on them must have terminated) and removes the
   * socket file if it is still the one this server bound. Answers whether the loops ended within
   * {@code millis}.
   */
  boolean release(long millis) throws InterruptedException {
    boolean ended = true;
    try {
      if (boss != null) {
        boss.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        ended = boss.awaitTermination(millis, TimeUnit.MILLISECONDS)
            & workers.awaitTermination(millis, TimeUnit.MILLISECONDS);
        for (Thread t : threads) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          t.join(Math.max(1, left));
          ended &= !t.isAlive();
        }
        threads.clear();
      }
    } finally {
      deleteIfOurs();
      fileKey = null;
    }
    return ended;
  }

  /** Whether the event loops and their threads have ended (true when none were started). */
  boolean isTerminated() {
    return boss == null || boss.isTerminated() && workers.isTerminated()
        && threads.stream().noneMatch(Thread::isAlive);
  }

  private void deleteIfOurs() {
    if (fileKey == null) {
      return;
    }
    try {
      Object now = Files.readAttributes(path, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).fileKey();
      if (Objects.equals(now, fileKey)) {
        Files.deleteIfExists(path);
      }
    } catch (NoSuchFileException gone) {
      // Netty removes the file when it closes the channel; nothing left to do.
    } catch (IOException e) {
      logger.log(Level.WARNING, "cannot remove unix socket " + path, e);
    }
  }
}
