package io.ipc4j.server.hardening;

import io.ipc4j.server.IpcServer;
import java.io.IOException;

/**
 * A server in a child JVM, for the fault tests that kill a server process: serves {@link
 * Target} as {@value #NAME} on 127.0.0.1 and the port given (0 for any), prints {@code READY
 * <port>} once bound, and stops when its standard input closes (the parent test ended).
 */
public final class ChildServer {
  static final String NAME = "child";

  private ChildServer() {}

  /** What the child serves. */
  public static final class Target {
    public long add(long a, long b) {
      return a + b;
    }

    /** The serving process, so that a test sees which server answered. */
    public long pid() {
      return ProcessHandle.current().pid();
    }
  }

  /** {@code args[0]}: the port. */
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    IpcServer server;
    try {
      server = IpcServer.builder().expose(NAME, new Target()).host("127.0.0.1").port(port)
          .start();
    } catch (IOException e) {
      System.out.println("FAILED " + e);
      System.exit(2);
      return;
    }
    System.out.println("READY " + server.port());
    System.out.flush();
    while (System.in.read() != -1) {
      // the parent's end of the pipe stays open while it wants this server
    }
    server.stop();
  }
}
