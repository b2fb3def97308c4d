package io.ipc4j.examples.server;

import io.ipc4j.server.IpcServer;
import java.io.IOException;

/** Serves a {@link Notes} as "kodi-IPC" and traps start-up errors. Run: examples/run server [port]. */
public final class NotesServer {
  private NotesServer() {}

  /** Starts the server on {@code port} (0 = any free port). */
  public static IpcServer start(int port) throws IOException {
    return IpcServer.builder().expose(new Notes()).port(port).start();
  }

  /** Serves until Ctrl-C. */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9099;
    IpcServer server;
    try {
      server = start(port);
    } catch (IOException e) {                  // BindException: the port stayed taken
      System.err.println("cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    System.out.println("serving " + server.name() + " on localhost:" + server.port());
    server.awaitTermination();
  }
}
